// Loads a point cloud file for the viewer: LAS and LAZ decoded in a worker (decode.worker.ts), PLY with three.js's
// PLYLoader. Either way the viewer hears the cloud's extent first, then batches of points, then the end or a failure.

import type { LasHeader } from './las';
import type { DecodeMessage, DecodeRequest, PointBatch } from './protocol';

export interface CloudInfo {
  /** The points the file holds (the header's count). */
  total: number;
  /** Bounds in the file's coordinates, and their centre, which every position is relative to. */
  min: [number, number, number];
  max: [number, number, number];
  centre: [number, number, number];
  hasRgb: boolean;
  hasIntensity: boolean;
  hasClassification: boolean;
  /** What a LAS/LAZ header says (null for PLY). */
  las: LasHeader | null;
}

export interface CloudEvents {
  info(info: CloudInfo): void;
  batch(batch: PointBatch, decoded: number): void;
  progress(bytes: number, size: number): void;
  done(decoded: number): void;
  error(message: string): void;
}

export interface CloudFile {
  url: string;
  name: string;
  contentType: string;
  size: number;
}

export const batchSize = 100_000;

export const isPly = (file: CloudFile) => /ply/i.test(file.contentType) || /\.ply$/i.test(file.name);

/** Starts loading; the returned function stops it (the worker is ended, late answers ignored). */
export function loadCloud(file: CloudFile, budget: number, events: CloudEvents): () => void {
  if (isPly(file)) {
    const controller = new AbortController();
    import('./ply').then(
      ({ loadPly }) => loadPly(file, budget, events, controller.signal),
      () => events.error('The PLY reader could not be loaded: reload the page.'),
    );
    return () => controller.abort();
  }
  const worker = new Worker(new URL('./decode.worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = ({ data }: MessageEvent<DecodeMessage>) => {
    switch (data.type) {
      case 'header': {
        const h = data.header;
        events.info({ total: h.count, min: h.min, max: h.max, centre: data.centre, hasRgb: data.hasRgb, hasIntensity: true, hasClassification: true, las: h });
        break;
      }
      case 'progress':
        events.progress(data.bytes, data.size);
        break;
      case 'batch':
        events.batch(data, data.decoded);
        break;
      case 'done':
        events.done(data.decoded);
        worker.terminate();
        break;
      case 'error':
        events.error(data.message);
        worker.terminate();
        break;
    }
  };
  worker.onerror = () => {
    events.error('The point cloud decoder could not start: reload the page.');
    worker.terminate();
  };
  const request: DecodeRequest = { url: file.url, size: file.size, budget, batchSize };
  worker.postMessage(request);
  return () => worker.terminate();
}
