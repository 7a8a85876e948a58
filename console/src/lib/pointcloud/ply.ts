// PLY point clouds (reconstructions' outputs) with three.js's PLYLoader, on the page's thread: one batch, decimated evenly
// to the budget like LAS/LAZ.

import { PLYLoader } from 'three/addons/loaders/PLYLoader.js';
import type { CloudEvents, CloudFile } from './source';

export async function loadPly(file: CloudFile, budget: number, events: CloudEvents, signal: AbortSignal) {
  let bytes: ArrayBuffer;
  try {
    const response = await fetch(file.url, { signal });
    if (!response.ok) return events.error(`The object store refused the file (${response.status}): reload the page to get a new link.`);
    bytes = await response.arrayBuffer();
  } catch {
    if (!signal.aborted) events.error('The file could not be downloaded: check your connection and reload the page.');
    return;
  }
  if (signal.aborted) return;
  let geometry;
  try {
    geometry = new PLYLoader().parse(bytes);
  } catch {
    return events.error('The file is not a readable PLY point cloud: it may be damaged.');
  }
  const position = geometry.getAttribute('position');
  const colour = geometry.getAttribute('color');
  const total = position?.count ?? 0;
  if (total === 0) return events.error('The PLY file holds no points.');
  geometry.computeBoundingBox();
  const box = geometry.boundingBox!;
  const min: [number, number, number] = [box.min.x, box.min.y, box.min.z];
  const max: [number, number, number] = [box.max.x, box.max.y, box.max.z];
  const centre: [number, number, number] = [0, 1, 2].map((i) => (min[i] + max[i]) / 2) as [number, number, number];
  events.info({ total, min, max, centre, hasRgb: !!colour, hasIntensity: false, hasClassification: false, las: null });

  const kept = Math.min(total, budget);
  const positions = new Float32Array(kept * 3);
  const rgb = colour ? new Uint16Array(kept * 3) : null;
  let n = 0;
  for (let i = 0, acc = 0; i < total && n < kept; i++) {
    acc += kept;
    if (acc < total) continue;
    acc -= total;
    const p = n * 3;
    positions[p] = position.getX(i) - centre[0];
    positions[p + 1] = position.getY(i) - centre[1];
    positions[p + 2] = position.getZ(i) - centre[2];
    if (rgb && colour) {
      rgb[p] = toSrgb(colour.getX(i));
      rgb[p + 1] = toSrgb(colour.getY(i));
      rgb[p + 2] = toSrgb(colour.getZ(i));
    }
    n++;
  }
  geometry.dispose();
  events.batch({ count: n, positions, rgb, intensity: new Uint16Array(n), classification: new Uint8Array(n) }, total);
  events.done(total);
}

/** PLYLoader gives colours in three.js's linear working space; the viewer draws sRGB values (16-bit here). */
function toSrgb(linear: number): number {
  const c = linear <= 0.0031308 ? linear * 12.92 : 1.055 * Math.pow(linear, 1 / 2.4) - 0.055;
  return Math.round(Math.min(1, Math.max(0, c)) * 65535);
}
