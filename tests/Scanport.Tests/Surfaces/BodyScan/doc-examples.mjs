// Runs the JavaScript usage examples of body-scan-frame-quality-api.md, unchanged, against a running
// Scanport. Only what the document leaves to its reader is supplied: the base URL and a bearer token
// (added to fetch), the camera frames and processFrame(), updateProgress(), and a stop for the
// polling loop of Example 2. Prints one JSON line with what the examples logged and displayed.
import { readFileSync } from 'node:fs';

const [docPath, baseUrl, token] = process.argv.slice(2);
const markdown = readFileSync(docPath, 'utf8');
const blocks = [...markdown.matchAll(/```javascript\n([\s\S]*?)```/g)].map(m => m[1]);
if (blocks.length !== 3) throw new Error(`expected 3 JavaScript examples, found ${blocks.length}`);

const realFetch = globalThis.fetch;
const fetch = (path, init = {}) => realFetch(new URL(path, baseUrl), {
  ...init,
  headers: { ...(init.headers ?? {}), Authorization: `Bearer ${token}` },
});

const logs = [];
const console = { log: (...args) => logs.push(args.join(' ')) };
const progress = [];
const updateProgress = p => progress.push(p);
// 100 frames; the user is out of frame in every 20th.
const videoFrames = Array.from({ length: 100 }, (_, i) => ({ index: i }));
const processFrame = f => ({
  personDetected: f.index % 20 !== 0,
  detectionConfidence: f.index % 20 !== 0 ? 0.92 : 0.3,
  stability: 0.8,
  iou: 0.88,
});
const intervals = [];
const setInterval = (fn, ms) => { const id = globalThis.setInterval(fn, ms); intervals.push(id); return id; };

const run = (code, names, values) => new Function(...names, `return (async () => {\n${code}\nreturn typeof scanId === 'undefined' ? undefined : scanId;\n})();`)(...values);
const env = { fetch, console, videoFrames, processFrame, updateProgress, setInterval };
const names = Object.keys(env);
const values = Object.values(env);

const scanId = await run(blocks[0], names, values);                     // Example 1: complete workflow
await run(blocks[1], [...names, 'scanId'], [...values, scanId]);         // Example 2: polling every 100 ms
await new Promise(resolve => globalThis.setTimeout(resolve, 1000));
intervals.forEach(id => globalThis.clearInterval(id));
await run(blocks[2], [...names, 'scanId'], [...values, scanId]);         // Example 3: quality assessment

process.stdout.write(JSON.stringify({ scanId, logs, progress }) + '\n');
