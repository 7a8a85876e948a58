// The APS integration surface (/aps/api/v1) as the console uses it: a project's design files (by the project's
// integer number), one file, an upload with its progress, the translation that follows, and the viewer's token.
import { ApiFailure, call } from '../api';
import { session } from '../session.svelte';

export const apsBase = '/aps/api/v1';

export type DesignStatus = 'uploaded' | 'translating' | 'ready' | 'failed';

export interface DesignFile {
  id: number;
  name: string;
  original_filename: string;
  urn: string;
  project_id: number;
  status: DesignStatus;
  size: number;
  uploaded_at: string;
  translated_at: string | null;
}

export interface DesignFileDetail extends DesignFile {
  error?: string | null;
  metadata: { guid: string; name: string; role: string | null } | null;
}

interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
  has_more: boolean;
}

export interface ViewerConfig {
  urn: string;
  access_token: string;
  expires_in: number;
  api: string;
  env: string;
  url?: string;
}

/** Statuses that change by themselves: a page showing one asks again. */
export const settling = (status: DesignStatus) => status === 'uploaded' || status === 'translating';

export const statusWords: Record<DesignStatus, string> = {
  uploaded: 'Uploaded, not translated yet',
  translating: 'Translating…',
  ready: 'Ready',
  failed: 'Translation failed',
};

/** Every design file of the project with this number, in upload order. */
export async function designFiles(projectNumber: number): Promise<DesignFile[]> {
  const all: DesignFile[] = [];
  for (let offset = 0; ; offset += 100) {
    const page = await call<Page<DesignFile>>('GET', `${apsBase}/files?project_id=${projectNumber}&limit=100&offset=${offset}&sort=id&order=asc`);
    all.push(...page.items);
    if (!page.has_more) return all;
  }
}

export const designFile = (id: number) => call<DesignFileDetail>('GET', `${apsBase}/files/${id}`);

/** Starts the file's translation (SVF2, 2D and 3D views): uploads are not translated by themselves. */
export const translate = (urn: string) => call<unknown>('POST', `${apsBase}/aps/translate`, { urn });

export const viewerConfig = (urn: string) => call<ViewerConfig>('GET', `${apsBase}/viewer/config/${encodeURIComponent(urn)}`);

/**
 * Uploads a design file to the project (multipart `file` and `project_id`), calling `progress` with the share sent
 * (0 to 1). XMLHttpRequest, since fetch does not report an upload's progress. Failures are ApiFailure, as call's.
 */
export function uploadDesign(projectNumber: number, file: File, progress: (share: number) => void): Promise<DesignFile> {
  const token = session.token();
  if (!token) return Promise.reject(new ApiFailure(401, 'Your session has expired: sign in again.'));
  const form = new FormData();
  form.append('project_id', String(projectNumber));
  form.append('file', file, file.name);
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', `${apsBase}/files`);
    request.setRequestHeader('Authorization', `Bearer ${token}`);
    request.setRequestHeader('Accept', 'application/json');
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) progress(event.loaded / event.total);
    };
    request.onerror = () => reject(new ApiFailure(0, 'Scanport could not be reached: check your connection and try again.'));
    request.onload = () => {
      let body: { detail?: unknown } | null = null;
      try {
        body = JSON.parse(request.responseText) as { detail?: unknown };
      } catch {
        // Not JSON: the status says enough.
      }
      if (request.status === 401) {
        session.expire();
        reject(new ApiFailure(401, 'Your session has expired: sign in again.'));
      } else if (request.status >= 200 && request.status < 300) {
        resolve(body as unknown as DesignFile);
      } else {
        const detail = typeof body?.detail === 'string' ? body.detail : null;
        reject(new ApiFailure(request.status, detail ?? uploadRefusal(request.status)));
      }
    };
    request.send(form);
  });
}

function uploadRefusal(status: number): string {
  if (status === 413) return 'The file is larger than Scanport accepts';
  if (status === 415) return 'This type of file cannot be translated';
  if (status === 403) return 'You are not allowed to add files to this project';
  if (status === 404) return 'The project no longer exists';
  return status >= 500 ? 'Scanport failed to store it' : `The upload was refused (${status})`;
}

/** What to do after an upload failed, by its status. */
export function uploadAdvice(status: number): string {
  if (status === 415) return 'Choose a design file of one of the supported types.';
  if (status === 413) return 'Choose a smaller file, or split the model.';
  if (status === 403) return 'Ask an administrator or the project’s creator for access.';
  if (status === 0 || status >= 500) return 'Try again in a moment.';
  return 'Check the file and try again.';
}
