// Decodes a LAS or LAZ file from its presigned URL off the page's thread and posts its points in batches as they decode.
// LAS: records are decoded while the body streams in. LAZ: the body streams straight into laz-perf's WASM heap, then
// laz-perf's LASZip decodes it point by point (its chunk table, which would allow decoding chunks as they arrive, is
// arithmetic-coded and laz-perf 0.0.7 does not expose it).

import createLazPerf from 'laz-perf/lib/worker/laz-perf.js';
import wasmUrl from 'laz-perf/lib/worker/laz-perf.wasm?url';
import { Batcher } from './batcher';
import { headerBytes, layout, NotLas, readHeader, type LasHeader } from './las';
import type { DecodeMessage, DecodeRequest, PointBatch } from './protocol';

/** A failure whose message is for the person. */
class Failure extends Error {}

const post = (message: DecodeMessage, transfer: Transferable[] = []) => postMessage(message, { transfer });

onmessage = (event: MessageEvent<DecodeRequest>) => {
  decode(event.data).catch((e: unknown) =>
    post({
      type: 'error',
      message: e instanceof Failure || e instanceof NotLas ? e.message : 'The point cloud could not be decoded: the file may be damaged.',
    }),
  );
};

async function decode(request: DecodeRequest) {
  let response: Response;
  try {
    response = await fetch(request.url);
  } catch {
    throw new Failure('The file could not be downloaded: check your connection and reload the page.');
  }
  if (!response.ok || !response.body)
    throw new Failure(`The object store refused the file (${response.status}): reload the page to get a new link.`);
  const reader = response.body.getReader();
  const size = Number(response.headers.get('Content-Length')) || request.size;

  // The header first, whatever the chunking.
  let head: Uint8Array = new Uint8Array(0);
  while (head.length < headerBytes) {
    const { done, value } = await reader.read();
    if (done) break;
    head = concat(head, value);
  }
  const header = readHeader(head);
  if (header.count === 0) throw new Failure('The file holds no points.');
  const centre: [number, number, number] = [0, 1, 2].map((i) => (header.min[i] + header.max[i]) / 2) as [number, number, number];
  post({ type: 'header', header, centre, hasRgb: layout(header.pointFormat).rgb >= 0 });
  const batcher = new Batcher(header, centre, request.budget, request.batchSize, emit);
  if (header.compressed) await laz(header, head, reader, Math.max(size, head.length), batcher);
  else await las(header, head, reader, batcher);
  batcher.flush();
  post({ type: 'done', decoded: batcher.decoded });
}

function emit(batch: PointBatch, decoded: number) {
  const transfer: Transferable[] = [batch.positions.buffer, batch.intensity.buffer, batch.classification.buffer];
  if (batch.rgb) transfer.push(batch.rgb.buffer);
  post({ type: 'batch', decoded, ...batch }, transfer);
}

/** Decodes records straight from each chunk of the body as it arrives; only a record split across chunks is copied. */
async function las(header: LasHeader, head: Uint8Array, reader: ReadableStreamDefaultReader<Uint8Array>, batcher: Batcher) {
  const { pointOffset, recordLength, count } = header;
  const split = new Uint8Array(recordLength);
  const splitView = new DataView(split.buffer);
  let splitBytes = 0;
  let position = 0; // of the chunk's first byte in the file
  let chunk = head;
  for (;;) {
    let at = Math.max(0, pointOffset - position);
    if (at < chunk.length && batcher.decoded < count) {
      if (splitBytes > 0) {
        const take = Math.min(recordLength - splitBytes, chunk.length - at);
        split.set(chunk.subarray(at, at + take), splitBytes);
        splitBytes += take;
        at += take;
        if (splitBytes === recordLength) {
          batcher.record(splitView, 0);
          splitBytes = 0;
        }
      }
      const whole = Math.min(count - batcher.decoded, Math.floor((chunk.length - at) / recordLength));
      if (whole > 0 && splitBytes === 0) {
        batcher.records(new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength), at, whole, recordLength);
        at += whole * recordLength;
      }
      if (at < chunk.length && batcher.decoded < count && splitBytes === 0) {
        split.set(chunk.subarray(at));
        splitBytes = chunk.length - at;
      }
    }
    if (batcher.decoded === count) return;
    position += chunk.length;
    const { done, value } = await reader.read();
    if (done) throw new Failure(`The file ends after ${batcher.decoded.toLocaleString('en')} of its ${count.toLocaleString('en')} points: it is incomplete or damaged.`);
    chunk = value;
  }
}

async function laz(header: LasHeader, head: Uint8Array, reader: ReadableStreamDefaultReader<Uint8Array>, size: number, batcher: Batcher) {
  const module = await createLazPerf({ locateFile: () => wasmUrl });
  const file = module._malloc(size);
  let received = 0;
  let told = 0;
  try {
    module.HEAPU8.set(head, file);
    received = head.length;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (received + value.length > size) throw new Failure('The file is larger than the store said: reload the page.');
      module.HEAPU8.set(value, file + received);
      received += value.length;
      if (received - told >= 1 << 20) {
        told = received;
        post({ type: 'progress', bytes: received, size });
      }
    }
    post({ type: 'progress', bytes: received, size });
    const zip = new module.LASZip();
    // getPoint writes one record of the file's own length; a margin costs nothing.
    const point = module._malloc(header.recordLength + 64);
    try {
      try {
        zip.open(file, received);
      } catch {
        throw new Failure('The LAZ file could not be opened: it is damaged or uses a compression this viewer does not read.');
      }
      const count = Math.min(zip.getCount(), header.count);
      // laz-perf may grow its heap while decoding (a new buffer): the view follows it.
      let heap = module.HEAPU8.buffer;
      let view = new DataView(heap);
      for (let i = 0; i < count; i++) {
        zip.getPoint(point);
        if (module.HEAPU8.buffer !== heap) view = new DataView((heap = module.HEAPU8.buffer));
        batcher.record(view, point);
      }
    } finally {
      module._free(point);
      zip.delete();
    }
  } finally {
    module._free(file);
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}
