// LASzip's chunk table, read and written: the only compressed part of a LAZ file that bench/console/make-laz.mjs has to
// make itself (it copies whole compressed point chunks, which are independent of each other, and needs no point encoder).
// The table is coded with LASzip's adaptive arithmetic coder and integer compressor (32 bits, 2 contexts: point counts,
// byte counts, each against the previous entry); laz-perf decodes it when it opens a file.

const MIN_LENGTH = 0x01000000; // renormalize below this interval length
const MAX_LENGTH = 0xffffffff;
const BM_SHIFT = 13; // bit models: length bits discarded before multiplying
const BM_MAX = 1 << BM_SHIFT;
const DM_SHIFT = 15; // symbol models
const DM_MAX = 1 << DM_SHIFT;
const BITS_HIGH = 8;

/** An adaptive model of `symbols` symbols (Amir Said's FastAC, as LASzip uses it). */
class SymbolModel {
  constructor(symbols) {
    this.symbols = symbols;
    this.last = symbols - 1;
    this.distribution = new Uint32Array(symbols);
    this.counts = new Uint32Array(symbols).fill(1);
    this.total = 0;
    this.cycle = symbols;
    this.update();
    this.untilUpdate = this.cycle = (symbols + 6) >>> 1;
  }

  update() {
    if ((this.total += this.cycle) > DM_MAX) {
      this.total = 0;
      for (let n = 0; n < this.symbols; n++) this.total += this.counts[n] = (this.counts[n] + 1) >>> 1;
    }
    const scale = Math.floor(0x80000000 / this.total);
    let sum = 0;
    for (let k = 0; k < this.symbols; k++) {
      this.distribution[k] = Math.floor((scale * sum) / 2 ** (31 - DM_SHIFT));
      sum += this.counts[k];
    }
    this.cycle = Math.min((5 * this.cycle) >>> 2, (this.symbols + 6) << 3);
    this.untilUpdate = this.cycle;
  }
}

class BitModel {
  constructor() {
    this.zeros = 1;
    this.count = 2;
    this.zeroProbability = 1 << (BM_SHIFT - 1);
    this.cycle = this.untilUpdate = 4;
  }

  update() {
    if ((this.count += this.cycle) > BM_MAX) {
      this.count = (this.count + 1) >>> 1;
      this.zeros = (this.zeros + 1) >>> 1;
      if (this.zeros === this.count) this.count++;
    }
    const scale = Math.floor(0x80000000 / this.count);
    this.zeroProbability = Math.floor((this.zeros * scale) / 2 ** (31 - BM_SHIFT));
    this.cycle = Math.min((5 * this.cycle) >>> 2, 64);
    this.untilUpdate = this.cycle;
  }
}

class Encoder {
  bytes = [];
  base = 0;
  length = MAX_LENGTH;

  encodeSymbol(m, symbol) {
    const start = this.base;
    let x;
    if (symbol === m.last) {
      x = m.distribution[symbol] * (this.length >>> DM_SHIFT);
      this.base = (this.base + x) >>> 0;
      this.length = (this.length - x) >>> 0;
    } else {
      this.length >>>= DM_SHIFT;
      x = m.distribution[symbol] * this.length;
      this.base = (this.base + x) >>> 0;
      this.length = (m.distribution[symbol + 1] * this.length - x) >>> 0;
    }
    this.settle(start);
    m.counts[symbol]++;
    if (--m.untilUpdate === 0) m.update();
  }

  encodeBit(m, bit) {
    const x = m.zeroProbability * (this.length >>> BM_SHIFT);
    const start = this.base;
    if (bit === 0) {
      this.length = x;
      m.zeros++;
    } else {
      this.base = (this.base + x) >>> 0;
      this.length = (this.length - x) >>> 0;
    }
    this.settle(start);
    if (--m.untilUpdate === 0) m.update();
  }

  writeBits(bits, value) {
    if (bits > 19) {
      this.writeBits(16, value & 0xffff);
      value >>>= 16;
      bits -= 16;
    }
    const start = this.base;
    this.length >>>= bits;
    this.base = (this.base + value * this.length) >>> 0;
    this.settle(start);
  }

  /** After the interval moved from `start`: carry on overflow, shift out bytes while the interval is short. */
  settle(start) {
    if (start > this.base) {
      let i = this.bytes.length - 1;
      while (this.bytes[i] === 0xff) this.bytes[i--] = 0;
      this.bytes[i]++;
    }
    if (this.length < MIN_LENGTH) this.renormalize();
  }

  renormalize() {
    do {
      this.bytes.push(this.base >>> 24);
      this.base = (this.base << 8) >>> 0;
      this.length = (this.length << 8) >>> 0;
    } while (this.length < MIN_LENGTH);
  }

  done() {
    const start = this.base;
    let anotherByte = true;
    if (this.length > 2 * MIN_LENGTH) {
      this.base = (this.base + MIN_LENGTH) >>> 0;
      this.length = MIN_LENGTH >>> 1;
    } else {
      this.base = (this.base + (MIN_LENGTH >>> 1)) >>> 0;
      this.length = MIN_LENGTH >>> 9;
      anotherByte = false;
    }
    if (start > this.base) this.settle(start);
    this.renormalize();
    this.bytes.push(0, 0);
    if (anotherByte) this.bytes.push(0);
    return Uint8Array.from(this.bytes);
  }
}

class Decoder {
  constructor(bytes) {
    this.bytes = bytes;
    this.at = 4;
    this.value = ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
    this.length = MAX_LENGTH;
  }

  next() {
    return this.at < this.bytes.length ? this.bytes[this.at++] : 0;
  }

  decodeSymbol(m) {
    let symbol = 0;
    let x = 0;
    let y = this.length;
    this.length >>>= DM_SHIFT;
    let n = m.symbols;
    let k = n >>> 1;
    do {
      const z = this.length * m.distribution[k];
      if (z > this.value) {
        n = k;
        y = z;
      } else {
        symbol = k;
        x = z;
      }
    } while ((k = (symbol + n) >>> 1) !== symbol);
    this.value = (this.value - x) >>> 0;
    this.length = (y - x) >>> 0;
    if (this.length < MIN_LENGTH) this.renormalize();
    m.counts[symbol]++;
    if (--m.untilUpdate === 0) m.update();
    return symbol;
  }

  decodeBit(m) {
    const x = m.zeroProbability * (this.length >>> BM_SHIFT);
    const bit = this.value >= x ? 1 : 0;
    if (bit === 0) {
      this.length = x;
      m.zeros++;
    } else {
      this.value = (this.value - x) >>> 0;
      this.length = (this.length - x) >>> 0;
    }
    if (this.length < MIN_LENGTH) this.renormalize();
    if (--m.untilUpdate === 0) m.update();
    return bit;
  }

  readBits(bits) {
    if (bits > 19) {
      const low = this.readBits(16);
      return ((this.readBits(bits - 16) << 16) | low) >>> 0;
    }
    this.length >>>= bits;
    const value = Math.floor(this.value / this.length);
    this.value = (this.value - this.length * value) >>> 0;
    if (this.length < MIN_LENGTH) this.renormalize();
    return value;
  }

  renormalize() {
    do {
      this.value = ((this.value << 8) | this.next()) >>> 0;
      this.length = (this.length << 8) >>> 0;
    } while (this.length < MIN_LENGTH);
  }
}

/** LASzip's integer compressor with 32-bit values (corrections wrap around 2^32). */
class Integers {
  constructor(contexts) {
    this.bits = Array.from({ length: contexts }, () => new SymbolModel(33));
    this.correctors = Array.from({ length: 32 }, (_, i) => new SymbolModel(1 << Math.min(i + 1, BITS_HIGH)));
    this.zeroOrOne = new BitModel();
  }

  compress(encoder, predicted, real, context) {
    let c = (real - predicted) | 0; // the correction, as an int32 (wrapping like C's uint32 arithmetic)
    let c1 = c <= 0 ? -c >>> 0 : c - 1;
    let k = 0;
    for (; c1; k++) c1 = Math.floor(c1 / 2);
    encoder.encodeSymbol(this.bits[context], k);
    if (k === 0) return encoder.encodeBit(this.zeroOrOne, c);
    if (k === 32) return;
    c = c < 0 ? c + (2 ** k - 1) : c - 1;
    if (k <= BITS_HIGH) return encoder.encodeSymbol(this.correctors[k - 1], c);
    const low = k - BITS_HIGH;
    encoder.encodeSymbol(this.correctors[k - 1], Math.floor(c / 2 ** low));
    encoder.writeBits(low, c % 2 ** low);
  }

  decompress(decoder, predicted, context) {
    const k = decoder.decodeSymbol(this.bits[context]);
    let c;
    if (k === 0) c = decoder.decodeBit(this.zeroOrOne);
    else if (k === 32) c = -0x80000000;
    else {
      if (k <= BITS_HIGH) c = decoder.decodeSymbol(this.correctors[k - 1]);
      else {
        const low = k - BITS_HIGH;
        c = decoder.decodeSymbol(this.correctors[k - 1]) * 2 ** low + decoder.readBits(low);
      }
      c = c >= 2 ** (k - 1) ? c + 1 : c - (2 ** k - 1);
    }
    return (predicted + c) >>> 0;
  }
}

/** The entries of a chunk table's coded part: [{points, bytes}]; `points` is coded only with variable-size chunks. */
export function readChunkTable(coded, count, chunkSize, totalPoints) {
  const decoder = new Decoder(coded);
  const integers = new Integers(2);
  const chunks = [];
  let points = 0;
  let bytes = 0;
  let left = totalPoints;
  for (let i = 0; i < count; i++) {
    if (chunkSize === 0xffffffff) points = integers.decompress(decoder, points, 0);
    else points = Math.min(chunkSize, left);
    left -= points;
    bytes = integers.decompress(decoder, bytes, 1);
    chunks.push({ points, bytes });
  }
  return chunks;
}

/** The coded part of a chunk table for `chunks` ([{points, bytes}]). */
export function writeChunkTable(chunks, variable) {
  const encoder = new Encoder();
  const integers = new Integers(2);
  let points = 0;
  let bytes = 0;
  for (const chunk of chunks) {
    if (variable) integers.compress(encoder, points, chunk.points, 0);
    integers.compress(encoder, bytes, chunk.bytes, 1);
    ({ points, bytes } = chunk);
  }
  return encoder.done();
}
