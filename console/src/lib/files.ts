// A project's stored files (every surface's) and the short-lived URLs that read them straight from the object store,
// which viewers fetch (with Range) without the token.
import { call } from './api';
import type { ProjectFile, ProjectFilePage, ProjectFileUrl } from './types';

export async function projectFiles(projectId: string): Promise<ProjectFile[]> {
  const all: ProjectFile[] = [];
  for (let offset = 0; ; offset += 100) {
    const page = await call<ProjectFilePage>('GET', `/platform/v1/projects/${projectId}/files?limit=100&offset=${offset}`);
    all.push(...page.items);
    if (offset + page.limit >= page.total) return all;
  }
}

/** A URL for the file, valid for 15 minutes (ask again for a longer read). */
export const fileUrl = (projectId: string, fileId: string) =>
  call<ProjectFileUrl>('GET', `/platform/v1/projects/${projectId}/files/${encodeURIComponent(fileId)}/url`);
