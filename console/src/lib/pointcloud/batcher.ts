// Turns LAS point records into batches the viewer draws: the decode loop's inner part, so it stays tight (one pass, typed
// arrays allocated once per batch, no per-point object). Points beyond the budget are skipped evenly: of `total`
// records, `kept` are kept, spread through the file by an integer accumulator (Bresenham-style).

import { layout, type LasHeader } from './las';
import type { PointBatch } from './protocol';

export class Batcher {
  /** Records read so far, kept or not. */
  decoded = 0;
  private readonly kept: number;
  private readonly total: number;
  private acc = 0;
  private n = 0;
  private batch!: PointBatch;
  private readonly sx: number;
  private readonly sy: number;
  private readonly sz: number;
  private readonly dx: number;
  private readonly dy: number;
  private readonly dz: number;
  private readonly rgbAt: number;
  private readonly classAt: number;
  private readonly mask: number;

  constructor(
    header: LasHeader,
    centre: [number, number, number],
    budget: number,
    private readonly size: number,
    private readonly emit: (batch: PointBatch, decoded: number) => void,
  ) {
    this.total = Math.max(1, header.count);
    this.kept = Math.min(this.total, Math.max(1, budget));
    [this.sx, this.sy, this.sz] = header.scale;
    // Offset minus centre in doubles first, so that big (UTM) coordinates keep their precision in 32-bit floats.
    this.dx = header.offset[0] - centre[0];
    this.dy = header.offset[1] - centre[1];
    this.dz = header.offset[2] - centre[2];
    const where = layout(header.pointFormat);
    this.rgbAt = where.rgb;
    this.classAt = where.classification;
    this.mask = header.pointFormat >= 6 ? 0xff : 0x1f;
    this.start();
  }

  /** Reads `count` consecutive records of `length` bytes from `view`, the first at byte `at`. */
  records(view: DataView, at: number, count: number, length: number) {
    for (let i = 0; i < count; i++, at += length) this.record(view, at);
  }

  record(view: DataView, at: number) {
    this.decoded++;
    this.acc += this.kept;
    if (this.acc < this.total) return;
    this.acc -= this.total;
    const b = this.batch;
    const n = this.n;
    const p = n * 3;
    b.positions[p] = view.getInt32(at, true) * this.sx + this.dx;
    b.positions[p + 1] = view.getInt32(at + 4, true) * this.sy + this.dy;
    b.positions[p + 2] = view.getInt32(at + 8, true) * this.sz + this.dz;
    b.intensity[n] = view.getUint16(at + 12, true);
    b.classification[n] = view.getUint8(at + this.classAt) & this.mask;
    if (b.rgb) {
      const c = this.rgbAt;
      b.rgb[p] = view.getUint16(at + c, true);
      b.rgb[p + 1] = view.getUint16(at + c + 2, true);
      b.rgb[p + 2] = view.getUint16(at + c + 4, true);
    }
    if (++this.n === this.size) this.flush();
  }

  /** Posts what is batched (the last, partial batch at the end of the file). */
  flush() {
    if (this.n === 0) return;
    const n = this.n;
    const b = this.batch;
    const cut: PointBatch =
      n === this.size ? b
      : {
          count: n,
          positions: b.positions.slice(0, n * 3),
          rgb: b.rgb ? b.rgb.slice(0, n * 3) : null,
          intensity: b.intensity.slice(0, n),
          classification: b.classification.slice(0, n),
        };
    this.emit(cut, this.decoded);
    this.start();
  }

  private start() {
    const size = this.size;
    this.n = 0;
    this.batch = {
      count: size,
      positions: new Float32Array(size * 3),
      rgb: this.rgbAt >= 0 ? new Uint16Array(size * 3) : null,
      intensity: new Uint16Array(size),
      classification: new Uint8Array(size),
    };
  }
}
