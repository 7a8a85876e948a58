// What the page and the decoding worker say to each other. Batches carry transferable typed arrays (no copy).

import type { LasHeader } from './las';

export interface DecodeRequest {
  url: string;
  /** The file's size from the URL endpoint, when the object store's answer has no Content-Length. */
  size: number;
  /** At most this many points are kept (spread evenly through the file); the rest are read and skipped. */
  budget: number;
  /** Points per batch posted to the page. */
  batchSize: number;
}

/** Points ready to draw: positions relative to the header's bounds centre, in the file's units. */
export interface PointBatch {
  count: number;
  positions: Float32Array;
  /** 16-bit colour per point (3 values), when the point format has one. */
  rgb: Uint16Array | null;
  intensity: Uint16Array;
  classification: Uint8Array;
}

export type DecodeMessage =
  | { type: 'header'; header: LasHeader; centre: [number, number, number]; hasRgb: boolean }
  | { type: 'progress'; bytes: number; size: number }
  | ({ type: 'batch'; decoded: number } & PointBatch)
  | { type: 'done'; decoded: number }
  | { type: 'error'; message: string };
