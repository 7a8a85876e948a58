// One webhook flow driven with node's own fetch (APS publishes no Node SDK for Webhooks): a two-legged token, a secret
// token, a receiver on 127.0.0.1, a hook to it (201 and Location), then the first callback, whose signature is checked.
// Usage: node webhook-flow.mjs <base> <clientId> <clientSecret> <workflow>; prints the callback's body as JSON.
import http from 'node:http';
import crypto from 'node:crypto';

const [base, clientId, clientSecret, workflow] = process.argv.slice(2);
const fail = (message) => { console.error(message); process.exit(1); };

const tokenResponse = await fetch(`${base}/authentication/v2/token`, {
  method: 'POST',
  headers: {
    'Content-Type': 'application/x-www-form-urlencoded',
    Authorization: 'Basic ' + Buffer.from(`${clientId}:${clientSecret}`).toString('base64'),
  },
  body: new URLSearchParams({ grant_type: 'client_credentials', scope: 'data:read data:write' }),
});
if (tokenResponse.status !== 200) fail(`token: ${tokenResponse.status} ${await tokenResponse.text()}`);
const { access_token: token } = await tokenResponse.json();
const api = (path, init = {}) => fetch(`${base}/webhooks/v1${path}`, {
  ...init,
  headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', ...(init.headers ?? {}) },
});

const secret = `node-secret-${crypto.randomUUID()}`;
const setToken = await api('/tokens', { method: 'POST', body: JSON.stringify({ token: secret }) });
if (setToken.status !== 200) fail(`tokens: ${setToken.status} ${await setToken.text()}`);

const callback = new Promise((resolve) => {
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      res.writeHead(204).end();
      server.close();
      resolve({ body: Buffer.concat(chunks), signature: req.headers['x-adsk-signature'], deliveryId: req.headers['x-adsk-delivery-id'] });
    });
  });
  server.listen(0, '127.0.0.1', () => created(server.address().port));
});

let created;
const hookCreated = new Promise((resolve) => { created = resolve; }).then(async (port) => {
  const response = await api('/systems/derivative/events/extraction.finished/hooks', {
    method: 'POST',
    body: JSON.stringify({ callbackUrl: `http://127.0.0.1:${port}/node-callback`, scope: { workflow } }),
  });
  if (response.status !== 201) fail(`create: ${response.status} ${await response.text()}`);
  const location = response.headers.get('location');
  const details = await api(location.replace('/webhooks/v1', ''));
  if (details.status !== 200) fail(`get ${location}: ${details.status}`);
  const hook = await details.json();
  if (hook.scope.workflow !== workflow || hook.status !== 'active') fail(`hook: ${JSON.stringify(hook)}`);
});

await hookCreated;
const received = await callback;
const expected = 'sha1hash=' + crypto.createHmac('sha1', secret).update(received.body).digest('hex');
if (received.signature !== expected) fail(`signature ${received.signature}, expected ${expected}`);
console.log(JSON.stringify({ deliveryId: received.deliveryId, body: JSON.parse(received.body.toString('utf8')) }));
