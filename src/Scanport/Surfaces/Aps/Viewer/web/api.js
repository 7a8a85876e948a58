// The Model Derivative endpoints at this origin, called with the bearer token the page was opened with.
const root = '/modelderivative/v2/designdata';

/** An answer the viewer cannot use, with the reason to show. */
export class ViewerError extends Error {
  constructor(message, status) { super(message); this.status = status; }

  static async from(response) {
    let reason = `${response.status} ${response.statusText}`.trim();
    try {
      const body = await response.json();
      reason = body.developerMessage ?? body.diagnostic ?? body.reason ?? body.detail ?? body.message ?? reason;
    } catch { /* not JSON: the status says it */ }
    const what = response.status === 401 || response.status === 403 ? 'The token was refused' : 'The model could not be loaded';
    return new ViewerError(`${what} (${response.status}): ${reason}`, response.status);
  }
}

/**
 * The token from the URL fragment (#token=...), which browsers never send to the server; it is then removed from the
 * address bar and history so that it is not copied or bookmarked with the link.
 */
export function takeToken() {
  const token = new URLSearchParams(location.hash.slice(1)).get('token');
  if (location.hash) history.replaceState(null, '', location.pathname + location.search);
  return token;
}

/** The URN the page shows: the last segment of /aps/viewer/{urn}. */
export function urnFromPath() {
  return decodeURIComponent(location.pathname.split('/').filter(Boolean).pop() ?? '');
}

export class ModelApi {
  constructor(urn, token) { this.urn = urn; this.token = token; }

  async #get(path) {
    const response = await fetch(`${root}/${encodeURIComponent(this.urn)}${path}`, {
      headers: { Authorization: `Bearer ${this.token}` }, cache: 'no-store', referrerPolicy: 'no-referrer',
    });
    if (response.status === 202) throw new ViewerError('The model is still translating; open it again when it is done.', 202);
    if (!response.ok) throw await ViewerError.from(response);
    return response;
  }

  async json(path) { return (await this.#get(path)).json(); }

  manifest() { return this.json('/manifest'); }

  async glb(derivativeUrn) { return (await this.#get(`/manifest/${encodeURIComponent(derivativeUrn)}`)).arrayBuffer(); }

  async views() { return (await this.json('/metadata')).data?.metadata ?? []; }

  async tree(guid) { return (await this.json(`/metadata/${encodeURIComponent(guid)}`)).data?.objects ?? []; }

  async properties(guid, objectId) {
    const answer = await this.json(`/metadata/${encodeURIComponent(guid)}/properties?objectid=${objectId}`);
    return answer.data?.collection?.[0] ?? null;
  }
}

/** The first derivative of the manifest whose mime is the binary glTF (a 3D view's graphics). */
export function findGlb(manifest) {
  const pending = [...(manifest.derivatives ?? [])];
  while (pending.length) {
    const node = pending.shift();
    if (node.mime === 'model/gltf-binary' && node.urn) return node;
    pending.push(...(node.children ?? []));
  }
  return null;
}
