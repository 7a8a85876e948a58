// Uploads a file to a reconstruction project with a progress bar. A file larger than one part goes resumably, through
// the surface's tus endpoint (/api/v1/files/uploads) with tus-js-client: whole parts, each stored as it arrives, the
// upload's address kept in this browser (localStorage, by project and file), so a broken connection, a Retry, or the
// same file chosen again after a reload carries on from the last part the server holds; then
// POST /files/uploads/{id}/complete hands the file to the project with the one-request upload's checks and answers.
// A smaller file goes in one request (POST /files/upload/video, multipart `file` + `project_id`) with XMLHttpRequest,
// whose upload events report the bytes sent. A batch of photos resumes where it stopped: each photo sent is remembered
// in this tab (sessionStorage, per project), and choosing the same photos again skips those already stored.
import type { DetailedError, HttpResponse } from 'tus-js-client';
import { ApiFailure } from '../api';
import { recon, reconBase, refusal, token } from './api';

export interface Progress {
  /** Bytes sent of this file. */
  loaded: number;
  total: number;
}

export interface Upload {
  done: Promise<void>;
  abort: () => void;
}

const broken = () => new ApiFailure(0, 'the connection broke off during the upload: check your connection and choose Retry upload.');
const stopped = () => new ApiFailure(-1, 'the upload was stopped');

/** Files up to this size go in one request; larger ones resumably (the server's default part size). */
const resumableFrom = 8 * 1024 * 1024;

export function upload(projectNumber: number, file: File, onProgress: (p: Progress) => void): Upload {
  return file.size > resumableFrom ? resumable(projectNumber, file, onProgress) : whole(projectNumber, file, onProgress);
}

function whole(projectNumber: number, file: File, onProgress: (p: Progress) => void): Upload {
  const xhr = new XMLHttpRequest();
  const done = new Promise<void>((resolve, reject) => {
    let bearer: string;
    try {
      bearer = token();
    } catch (e) {
      reject(e);
      return;
    }
    const form = new FormData();
    form.append('project_id', String(projectNumber));
    form.append('file', file, file.name);
    xhr.open('POST', `${reconBase}/files/upload/video`);
    xhr.setRequestHeader('Authorization', `Bearer ${bearer}`);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress({ loaded: file.size, total: file.size });
        resolve();
      } else refusal(xhr.status, async () => xhr.response).then(reject, reject);
    };
    xhr.onerror = () => reject(broken());
    xhr.onabort = () => reject(stopped());
    xhr.send(form);
  });
  return { done, abort: () => xhr.abort() };
}

function resumable(projectNumber: number, file: File, onProgress: (p: Progress) => void): Upload {
  let stop = () => {};
  const done = new Promise<void>((resolve, reject) => {
    let aborted = false;
    let sending: { abort: (terminate?: boolean) => Promise<void> } | null = null;
    stop = () => {
      aborted = true;
      void sending?.abort(false); // the server keeps what it has: Retry carries on from there
      reject(stopped());
    };
    const fingerprint = `scanport-recon|${projectNumber}|${file.name}|${file.type}|${file.size}|${file.lastModified}`;
    (async () => {
      const tus = await import('tus-js-client');
      const chunkSize = await partSize(file.size);
      const url = await new Promise<string>((sent, failed) => {
        const upload = new tus.Upload(file, {
          endpoint: `${reconBase}/files/uploads`,
          chunkSize,
          retryDelays: [0, 1000, 3000, 5000],
          metadata: { project_id: String(projectNumber), filename: file.name },
          fingerprint: async () => fingerprint,
          removeFingerprintOnSuccess: false, // kept until the project has taken the file (a 409 there can be retried)
          onBeforeRequest: (request) => request.setHeader('Authorization', `Bearer ${token()}`),
          onShouldRetry: (error) => retryable(error.originalResponse),
          onProgress: (loaded, total) => onProgress({ loaded, total }),
          onSuccess: () => sent(upload.url!),
          onError: (error) => failed(error),
        });
        sending = upload;
        upload.findPreviousUploads().then((previous) => {
          if (aborted) return;
          if (previous.length > 0) upload.resumeFromPreviousUpload(previous[0]);
          upload.start();
        }, failed);
      }).catch(async (error: unknown) => {
        throw error instanceof ApiFailure ? error : await failure(error as DetailedError);
      });
      if (aborted) return;
      try {
        await recon<unknown>('POST', `${new URL(url, location.href).pathname.slice(reconBase.length)}/complete`);
      } catch (e) {
        if (!(e instanceof ApiFailure) || e.status !== 409) await forget(tus.defaultOptions.urlStorage, fingerprint);
        throw e;
      }
      await forget(tus.defaultOptions.urlStorage, fingerprint);
      onProgress({ loaded: file.size, total: file.size });
    })().then(resolve, reject);
  });
  return { done, abort: () => stop() };
}

/** The server's part size for a file of this size (OPTIONS tells the configured one; a huge file needs larger parts). */
async function partSize(size: number): Promise<number> {
  let answer: Response;
  try {
    answer = await fetch(`${reconBase}/files/uploads`, { method: 'OPTIONS', headers: { Authorization: `Bearer ${token()}` } });
  } catch {
    throw broken();
  }
  if (!answer.ok) throw await refusal(answer.status, () => answer.json());
  const configured = Number(answer.headers.get('Scanport-Part-Size')) || resumableFrom;
  return Math.max(configured, Math.ceil(size / 10_000));
}

/** Worth another try: no answer at all, a conflict or lock (tus's own), throttling, or the server failing. */
const retryable = (response: HttpResponse | null) => {
  const status = response?.getStatus() ?? 0;
  return status === 0 || status === 409 || status === 423 || status === 429 || status >= 500;
};

async function failure(error: DetailedError): Promise<ApiFailure> {
  const response = error.originalResponse;
  if (!response || response.getStatus() === 0) return broken();
  return refusal(response.getStatus(), async () => JSON.parse(response.getBody() || 'null'));
}

async function forget(storage: { findUploadsByFingerprint(f: string): Promise<{ urlStorageKey: string }[]>; removeUpload(k: string): Promise<void> }, fingerprint: string) {
  for (const previous of await storage.findUploadsByFingerprint(fingerprint)) await storage.removeUpload(previous.urlStorageKey);
}

const key = (projectNumber: number) => `scanport.recon.photos.${projectNumber}`;
/** A photo's identity for resuming: the same file chosen again has the same name, size and date. */
export const signature = (file: File) => `${file.name}|${file.size}|${file.lastModified}`;

export function sentPhotos(projectNumber: number): Set<string> {
  try {
    return new Set(JSON.parse(sessionStorage.getItem(key(projectNumber)) ?? '[]') as string[]);
  } catch {
    return new Set();
  }
}

export function rememberPhoto(projectNumber: number, file: File) {
  const sent = sentPhotos(projectNumber);
  sent.add(signature(file));
  sessionStorage.setItem(key(projectNumber), JSON.stringify([...sent]));
}

export function forgetPhotos(projectNumber: number) {
  sessionStorage.removeItem(key(projectNumber));
}
