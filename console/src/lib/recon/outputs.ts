// A reconstruction's outputs as downloads: the stored files (video, point cloud, meshes) through the platform's
// presigned URLs, which the browser reads straight from the object store; the frames as the surface's own zip, which
// needs the token, so it is fetched and handed to the browser as a blob.
import { ApiFailure } from '../api';
import { fileUrl, projectFiles } from '../files';
import type { ProjectFile } from '../types';
import { reconBase, refusal, token } from './api';

export interface Output {
  id: string;
  /** What the link says: "Download point cloud". */
  label: string;
  name: string;
  kind: string;
  url: string;
  expiresAt: number;
}

const labels: Record<string, string> = {
  video: 'video',
  point_cloud: 'point cloud',
  mesh: 'mesh',
  textured_mesh: 'textured mesh',
};
const order = ['point_cloud', 'textured_mesh', 'mesh', 'video'];

/** The project's reconstruction files, each with a URL valid for 15 minutes. */
export async function outputs(projectId: string): Promise<Output[]> {
  const files = (await projectFiles(projectId)).filter((f: ProjectFile) => f.source === 'reconstruction' && f.stored);
  files.sort((a, b) => order.indexOf(a.source_id) - order.indexOf(b.source_id));
  return Promise.all(
    files.map(async (f) => {
      const url = await fileUrl(projectId, f.id);
      return {
        id: f.id,
        label: `Download ${labels[f.source_id] ?? f.name}`,
        name: url.name,
        kind: f.source_id,
        url: url.url,
        expiresAt: new Date(String(url.expires_at)).getTime(),
      };
    }),
  );
}

/** A fresh URL when the one the link holds is about to expire (the page may have stayed open). */
export async function freshUrl(projectId: string, output: Output): Promise<string> {
  if (output.expiresAt - Date.now() > 60_000) return output.url;
  const url = await fileUrl(projectId, output.id);
  output.url = url.url;
  output.expiresAt = new Date(String(url.expires_at)).getTime();
  return url.url;
}

/** Downloads the project's frames as a zip (GET /files/download/{n}/frames with the token), saved under its own name. */
export async function downloadFrames(projectNumber: number): Promise<void> {
  let response: Response;
  try {
    response = await fetch(`${reconBase}/files/download/${projectNumber}/frames`, { headers: { Authorization: `Bearer ${token()}` } });
  } catch {
    throw new ApiFailure(0, 'Scanport could not be reached: check your connection and try again.');
  }
  if (!response.ok) throw await refusal(response.status, () => response.json());
  const blob = await response.blob();
  const name = /filename="?([^";]+)"?/.exec(response.headers.get('Content-Disposition') ?? '')?.[1] ?? `project_${projectNumber}_frames.zip`;
  save(blob, name);
}

function save(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
