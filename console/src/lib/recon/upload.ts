// Uploads to POST /api/v1/files/upload/video (multipart `file` + `project_id`) with XMLHttpRequest, whose upload
// events report the bytes sent. The surface takes each file in one request (no chunked or resumable route), so a failed
// upload is sent again whole; a batch of photos resumes where it stopped: each photo sent is remembered in this tab
// (sessionStorage, per project), and choosing the same photos again skips those already stored.
import { ApiFailure } from '../api';
import { reconBase, refusal, token } from './api';

export interface Progress {
  /** Bytes sent of this file. */
  loaded: number;
  total: number;
}

export interface Upload {
  done: Promise<void>;
  abort: () => void;
}

export function upload(projectNumber: number, file: File, onProgress: (p: Progress) => void): Upload {
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
    xhr.onerror = () => reject(new ApiFailure(0, 'the connection broke off during the upload: check your connection and choose Retry upload.'));
    xhr.onabort = () => reject(new ApiFailure(-1, 'the upload was stopped'));
    xhr.send(form);
  });
  return { done, abort: () => xhr.abort() };
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
