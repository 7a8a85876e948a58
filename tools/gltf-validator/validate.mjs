// Validates a glTF binary with the Khronos validator and prints its report's issues as JSON:
//   { "numErrors": n, "numWarnings": n, "messages": [{ code, message, pointer, severity }] }
// Usage: node validate.mjs <model.glb>
import { readFileSync } from 'node:fs';
import validator from 'gltf-validator';

const [path] = process.argv.slice(2);
const report = await validator.validateBytes(new Uint8Array(readFileSync(path)), {
  externalResourceFunction: () => Promise.reject(new Error('a translated model must hold all its resources')),
});
const { numErrors, numWarnings, messages } = report.issues;
process.stdout.write(JSON.stringify({ numErrors, numWarnings, messages }) + '\n');
