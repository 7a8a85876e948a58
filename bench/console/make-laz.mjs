// Makes a LAZ of at least POINTS points from a LAS 1.2 LAZ by repeating its compressed point chunks (each chunk is coded
// on its own, so copies decode as the original does) under a new header and chunk table. Every copy repeats the source's
// points: the file is for timing decoders and viewers, not for looking at.
//   node make-laz.mjs <source.laz> <out.laz> [points]
import { openSync, readFileSync, writeSync, closeSync } from 'node:fs';
import { readChunkTable, writeChunkTable } from './laz-chunks.mjs';

const [source, out, wanted = '10000000'] = process.argv.slice(2);
if (!source || !out) throw new Error('usage: node make-laz.mjs <source.laz> <out.laz> [points]');
const file = readFileSync(source);
if (file.toString('latin1', 0, 4) !== 'LASF' || file[24] !== 1 || file[25] !== 2) throw new Error(`${source} is not a LAS 1.2 file`);

const pointOffset = file.readUInt32LE(96);
const vlrCount = file.readUInt32LE(100);
const totalPoints = file.readUInt32LE(107);
let vlr = file.readUInt16LE(94);
let chunkSizeAt = -1;
for (let i = 0; i < vlrCount; i++) {
  if (file.toString('latin1', vlr + 2, vlr + 18).replace(/\0+$/, '') === 'laszip encoded') chunkSizeAt = vlr + 54 + 12;
  vlr += 54 + file.readUInt16LE(vlr + 20);
}
if (chunkSizeAt < 0) throw new Error(`${source} is not LASzip-compressed`);

const tableAt = Number(file.readBigInt64LE(pointOffset));
const chunks = readChunkTable(file.subarray(tableAt + 8), file.readUInt32LE(tableAt + 4), file.readUInt32LE(chunkSizeAt), totalPoints);
const data = file.subarray(pointOffset + 8, tableAt);
if (chunks.reduce((sum, c) => sum + c.bytes, 0) !== data.length) throw new Error("the chunk table does not add up to the file's point data");

const copies = Math.ceil(Number(wanted) / totalPoints);
const points = copies * totalPoints;
if (points > 0xffffffff) throw new Error('too many points for a LAS 1.2 header');

const header = Buffer.from(file.subarray(0, pointOffset + 8));
header.writeUInt32LE(points, 107);
for (let r = 0; r < 5; r++) header.writeUInt32LE(file.readUInt32LE(111 + 4 * r) * copies, 111 + 4 * r);
header.writeUInt32LE(0xffffffff, chunkSizeAt); // variable-size chunks: the table gives each chunk's count
const newTableAt = pointOffset + 8 + copies * data.length;
header.writeBigInt64LE(BigInt(newTableAt), pointOffset);

const allChunks = Array.from({ length: copies }, () => chunks).flat();
const tableHead = Buffer.alloc(8);
tableHead.writeUInt32LE(0, 0);
tableHead.writeUInt32LE(allChunks.length, 4);

const fd = openSync(out, 'w');
writeSync(fd, header);
for (let i = 0; i < copies; i++) writeSync(fd, data);
writeSync(fd, tableHead);
writeSync(fd, writeChunkTable(allChunks, true));
closeSync(fd);
console.log(`points=${points} chunks=${allChunks.length} copies=${copies} bytes=${newTableAt + 8}`);
