// The reference: laz-perf (the same npm package and WASM the console's viewer runs) decoding every point of a LAZ in
// Node, read from a URL (the console's presigned URL) or a file; prints the time to the first and to the last point.
//   node decode-node.mjs <url-or-file> <laz-perf package folder>
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const [where, lazPerfDir] = process.argv.slice(2);
const { createLazPerf } = await import(pathToFileURL(path.join(lazPerfDir, 'lib', 'node', 'index.js')).href);
const started = performance.now();
const bytes = where.startsWith('http') ? new Uint8Array(await (await fetch(where)).arrayBuffer()) : new Uint8Array(await readFile(where));
const fetched = performance.now();
const LazPerf = await createLazPerf();
const filePtr = LazPerf._malloc(bytes.length);
LazPerf.HEAPU8.set(bytes, filePtr);
const laszip = new LazPerf.LASZip();
laszip.open(filePtr, bytes.length);
const count = laszip.getCount();
const length = laszip.getPointLength();
const pointPtr = LazPerf._malloc(length);
let first = 0;
let checksum = 0;
for (let i = 0; i < count; i++) {
  laszip.getPoint(pointPtr);
  if (i === 0) first = performance.now();
  checksum = (checksum + LazPerf.HEAPU8[pointPtr] + LazPerf.HEAPU8[pointPtr + length - 1]) % 1e9;
}
const all = performance.now();
laszip.delete();
LazPerf._free(pointPtr);
LazPerf._free(filePtr);
console.log(JSON.stringify({ points: count, fetch_ms: fetched - started, first_ms: first - started, all_ms: all - started, checksum }));
