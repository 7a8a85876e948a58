// Drives APS's official Node OSS client (@aps_sdk/oss) against a Scanport: node oss.mjs <sdkDir> <baseUrl> <token> <command> '<json args>'.
// Prints one JSON line: {"ok":true,"result":...} or {"ok":false,"status":<http status>,"data":<error body>,"message":...}.
import { createRequire } from 'node:module';
import path from 'node:path';

const [sdkDir, baseUrl, accessToken, command, json] = process.argv.slice(2);
const require = createRequire(path.join(sdkDir, 'package.json'));
const { SdkManagerBuilder, ApsConfiguration } = require('@aps_sdk/autodesk-sdkmanager');
const { OssClient } = require('@aps_sdk/oss');

const configuration = new ApsConfiguration({});
configuration.BaseAddress = new URL(baseUrl); // the only change an application makes to use Scanport
const sdkManager = SdkManagerBuilder.create().addApsConfiguration(configuration).build();
const oss = new OssClient({ sdkManager });
const a = JSON.parse(json ?? '{}');

const commands = {
  createBucket: () => oss.createBucket(a.region ?? 'US', { bucketKey: a.bucketKey, policyKey: a.policyKey ?? 'transient' }, { accessToken }),
  getBuckets: () => oss.getBuckets({ region: a.region, limit: a.limit, startAt: a.startAt, accessToken }),
  getBucketDetails: () => oss.getBucketDetails(a.bucketKey, { accessToken }),
  deleteBucket: () => oss.deleteBucket(a.bucketKey, { accessToken }),
  uploadObject: () => oss.uploadObject(a.bucketKey, a.objectKey, a.file, { accessToken, xAdsMetaContentType: a.contentType }),
  getObjects: () => oss.getObjects(a.bucketKey, { limit: a.limit, beginsWith: a.beginsWith, startAt: a.startAt, accessToken }),
  getObjectDetails: () => oss.getObjectDetails(a.bucketKey, a.objectKey, { _with: a.with, accessToken }),
  signedS3Download: () => oss.signedS3Download(a.bucketKey, a.objectKey, {
    minutesExpiration: a.minutesExpiration, responseContentType: a.responseContentType,
    responseContentDisposition: a.responseContentDisposition, accessToken,
  }),
  // The SDK's own download (only for objects of at most 5 MiB: it interleaves the chunks of larger ones).
  downloadObject: async () => { await oss.downloadObject(a.bucketKey, a.objectKey, a.file, { accessToken }); return { file: a.file }; },
  deleteObject: () => oss.deleteObject(a.bucketKey, a.objectKey, { accessToken }),
  signedS3Upload: () => oss.signedS3Upload(a.bucketKey, a.objectKey, {
    parts: a.parts, firstPart: a.firstPart, uploadKey: a.uploadKey, minutesExpiration: a.minutesExpiration, accessToken,
  }),
  completeSignedS3Upload: () => oss.completeSignedS3Upload(a.bucketKey, a.objectKey, 'application/json',
    { uploadKey: a.uploadKey, size: a.size, eTags: a.eTags }, { accessToken }),
};

try {
  let result = await commands[command]();
  if (result && typeof result === 'object' && 'content' in result && 'httpResponse' in result) result = result.content;
  console.log(JSON.stringify({ ok: true, result: result ?? null }));
} catch (e) {
  const response = e.axiosError?.response ?? e.response;
  console.log(JSON.stringify({ ok: false, status: response?.status ?? null, data: response?.data ?? null, message: String(e.message ?? e) }));
}
