// Drives Scanport's Model Derivative with APS's own Node client (@aps_sdk/model-derivative), base address changed only.
// Usage: node model-derivative.mjs '<spec json>' — spec: { sdk, base, token, urn, out, steps: [...], job, force, queries }.
// Prints one JSON object: each step's result, or { status, body } where the client threw an HTTP error.
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const spec = JSON.parse(process.argv[2]);
const require = createRequire(join(spec.sdk, 'package.json'));
const { ModelDerivativeClient } = require('@aps_sdk/model-derivative');
const { SdkManagerBuilder, ApsConfiguration, StaticAuthenticationProvider } = require('@aps_sdk/autodesk-sdkmanager');

const configuration = new ApsConfiguration({});
configuration.BaseAddress = new URL(spec.base);
const sdkManager = SdkManagerBuilder.create().addApsConfiguration(configuration).build();
const client = new ModelDerivativeClient({ sdkManager, authenticationProvider: new StaticAuthenticationProvider(spec.token) });

async function call(fn) {
  try {
    return await fn();
  } catch (e) {
    const response = e.axiosError?.response;
    if (!response) throw e;
    let body = response.data;
    // An error to a binary request (a thumbnail asked as an arraybuffer) comes as bytes: its JSON.
    if (body instanceof ArrayBuffer || ArrayBuffer.isView(body)) body = JSON.parse(Buffer.from(body).toString('utf8'));
    return { status: response.status, body };
  }
}

async function raw(path, headers = {}, method = 'GET') {
  const response = await fetch(new URL(path, spec.base), { method, headers: { Authorization: `Bearer ${spec.token}`, ...headers } });
  return { status: response.status, headers: Object.fromEntries(response.headers), bytes: Buffer.from(await response.arrayBuffer()) };
}

const report = {};
for (const step of spec.steps) {
  if (step === 'job') {
    report.job = await call(() => client.startJob(spec.job, spec.force === undefined ? {} : { xAdsForce: spec.force }));
  } else if (step === 'manifest') {
    report.manifest = await call(() => client.getManifest(spec.urn));
  } else if (step === 'wait') {
    const deadline = Date.now() + (spec.waitSeconds ?? 180) * 1000;
    const seen = new Set();
    let manifest;
    do {
      if (manifest) await new Promise(r => setTimeout(r, 250));
      manifest = await client.getManifest(spec.urn);
      seen.add(`${manifest.status} ${manifest.progress}`);
    } while (['pending', 'inprogress'].includes(manifest.status) && Date.now() < deadline);
    report.manifest = manifest;
    report.seen = [...seen];
  } else if (step === 'details') {
    report.views = await client.getModelViews(spec.urn);
    const guid = report.views.data.metadata[0].guid;
    report.tree = await client.getObjectTree(spec.urn, guid);
    report.properties = await client.getAllProperties(spec.urn, guid);
    const thumbnail = await client.getThumbnail(spec.urn, { width: 400, height: 400, options: { responseType: 'arraybuffer' } });
    writeFileSync(join(spec.out, 'thumbnail-400.png'), Buffer.from(thumbnail));
    const small = await client.getThumbnail(spec.urn, { width: 100, options: { responseType: 'arraybuffer' } });
    writeFileSync(join(spec.out, 'thumbnail-100.png'), Buffer.from(small));
    const view = report.manifest.derivatives[0].children.find(c => c.type === 'geometry');
    const graphics = view.children.find(c => c.role === 'graphics');
    const head = await client.headCheckDerivative(spec.urn, graphics.urn);
    report.head = { status: head.response.status, length: Number(head.response.headers['content-length']), type: head.response.headers['content-type'] };
    const path = `/modelderivative/v2/designdata/${encodeURIComponent(spec.urn)}/manifest/${encodeURIComponent(graphics.urn)}`;
    const whole = await raw(path);
    writeFileSync(join(spec.out, 'model.glb'), whole.bytes);
    report.download = { status: whole.status, length: whole.bytes.length };
    const ranged = await raw(path, { Range: 'bytes=0-11' });
    report.range = { status: ranged.status, contentRange: ranged.headers['content-range'], magic: ranged.bytes.subarray(0, 4).toString('latin1'), length: ranged.bytes.length };
    // The SDK's own download URL: signed cookies copied onto it as query parameters, fetched with no token.
    const link = await client.getDerivativeUrl(graphics.urn, spec.urn, { minutesExpiration: 10 });
    const signed = await fetch(link.url);
    const signedBytes = Buffer.from(await signed.arrayBuffer());
    const signedRange = await fetch(link.url, { headers: { Range: 'bytes=4-7' } });
    const tampered = new URL(link.url);
    tampered.searchParams.set('Signature', tampered.searchParams.get('Signature').split('').reverse().join(''));
    const forged = await fetch(tampered);
    report.link = {
      size: link.size, type: link['content-type'], expiration: link.expiration, status: signed.status,
      same: Buffer.compare(signedBytes, whole.bytes) === 0, rangeStatus: signedRange.status,
      rangeBytes: Buffer.from(await signedRange.arrayBuffer()).length, forged: forged.status, forgedBody: await forged.json(),
    };
  } else if (step === 'query') {
    const guid = (await client.getModelViews(spec.urn)).data.metadata[0].guid;
    report.queries = [];
    for (const payload of spec.queries) report.queries.push(await call(() => client.fetchSpecificProperties(spec.urn, guid, payload)));
  } else if (step === 'delete') {
    report.delete = await call(() => client.deleteManifest(spec.urn));
  } else if (step === 'formats') {
    report.formats = await call(() => client.getFormats());
  } else if (step === 'views') {
    report.views = await call(() => client.getModelViews(spec.urn));
  } else if (step === 'thumbnail') {
    report.thumbnail = await call(async () => Buffer.from(await client.getThumbnail(spec.urn, { options: { responseType: 'arraybuffer' } })).length);
  } else {
    throw new Error(`unknown step ${step}`);
  }
}
process.stdout.write(JSON.stringify(report));
