// The LAS public header block (ASPRS LAS 1.0–1.4; LAZ files carry the same header) and where each point record keeps the
// fields the viewer colours by. Offsets are the specification's.

export interface LasHeader {
  version: string;
  /** The point data record format, 0–10 (LAZ's compression bits removed). */
  pointFormat: number;
  recordLength: number;
  compressed: boolean;
  pointOffset: number;
  count: number;
  scale: [number, number, number];
  offset: [number, number, number];
  min: [number, number, number];
  max: [number, number, number];
}

/** The smallest header any LAS version has (1.0–1.2); 1.4's is 375 bytes. */
export const headerBytes = 375;

export class NotLas extends Error {}

export function readHeader(bytes: Uint8Array): LasHeader {
  if (bytes.length < 227 || String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]) !== 'LASF')
    throw new NotLas('The file is not a LAS or LAZ point cloud (it does not start with "LASF").');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const f64 = (at: number) => view.getFloat64(at, true);
  const major = view.getUint8(24);
  const minor = view.getUint8(25);
  const headerSize = view.getUint16(94, true);
  const formatByte = view.getUint8(104);
  let count = view.getUint32(107, true);
  if (count === 0 && minor >= 4 && headerSize >= 375 && bytes.length >= 255) count = Number(view.getBigUint64(247, true));
  return {
    version: `${major}.${minor}`,
    pointFormat: formatByte & 0x3f,
    recordLength: view.getUint16(105, true),
    // LASzip marks a compressed file by setting bit 7 (and bit 6 in older writers) of the format byte.
    compressed: (formatByte & 0xc0) !== 0,
    pointOffset: view.getUint32(96, true),
    count,
    scale: [f64(131), f64(139), f64(147)],
    offset: [f64(155), f64(163), f64(171)],
    min: [f64(187), f64(203), f64(219)],
    max: [f64(179), f64(195), f64(211)],
  };
}

/** Where a record of the format keeps its colour (-1: none) and its classification. */
export function layout(pointFormat: number): { rgb: number; classification: number } {
  const rgb = pointFormat === 2 ? 20 : pointFormat === 3 || pointFormat === 5 ? 28 : pointFormat === 7 || pointFormat === 8 || pointFormat === 10 ? 30 : -1;
  return { rgb, classification: pointFormat >= 6 ? 16 : 15 };
}
