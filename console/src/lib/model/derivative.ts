// Model Derivative at this origin (Scanport's APS cloud), called with the viewer token of the APS integration surface:
// the manifest, its binary glTF derivative, the 3D view's object tree and an object's properties. The same data path
// as Scanport's own model viewer page (/aps/viewer/{urn}).
const root = '/modelderivative/v2/designdata';

/** An answer the viewer cannot use, with the reason to show. */
export class ViewerError extends Error {
  constructor(
    message: string,
    readonly status = 0,
  ) {
    super(message);
  }

  static async from(response: Response): Promise<ViewerError> {
    let reason = `${response.status} ${response.statusText}`.trim();
    try {
      const body = (await response.json()) as Record<string, unknown>;
      const said = body.developerMessage ?? body.diagnostic ?? body.reason ?? body.detail ?? body.message;
      if (typeof said === 'string') reason = said;
    } catch {
      // Not JSON: the status says it.
    }
    const what = response.status === 401 || response.status === 403 ? 'The viewer’s token was refused' : 'The model could not be loaded';
    return new ViewerError(`${what} (${response.status}): ${reason}. Reload the page to try again.`, response.status);
  }
}

export interface TreeObject {
  objectid: number;
  name: string;
  objects?: TreeObject[];
}

export interface ObjectProperties {
  objectid: number;
  name: string;
  externalId?: string;
  properties?: Record<string, Record<string, unknown>>;
}

interface Derivative {
  mime?: string;
  urn?: string;
  name?: string;
  role?: string;
  children?: Derivative[];
}

export interface Manifest {
  status: string;
  progress: string;
  derivatives?: Derivative[];
}

export class ModelDerivative {
  constructor(
    readonly urn: string,
    private readonly token: string,
  ) {}

  private async get(path: string): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(`${root}/${encodeURIComponent(this.urn)}${path}`, {
        headers: { Authorization: `Bearer ${this.token}` },
        cache: 'no-store',
        referrerPolicy: 'no-referrer',
      });
    } catch {
      throw new ViewerError('Scanport could not be reached: check your connection and reload the page.');
    }
    if (response.status === 202) throw new ViewerError('The model is still translating; it is shown once the translation is done.', 202);
    if (!response.ok) throw await ViewerError.from(response);
    return response;
  }

  private async json<T>(path: string): Promise<T> {
    return (await (await this.get(path)).json()) as T;
  }

  manifest(): Promise<Manifest> {
    return this.json('/manifest');
  }

  async glb(derivativeUrn: string): Promise<ArrayBuffer> {
    return (await this.get(`/manifest/${encodeURIComponent(derivativeUrn)}`)).arrayBuffer();
  }

  async views(): Promise<{ guid: string; role?: string; name?: string }[]> {
    return (await this.json<{ data?: { metadata?: { guid: string; role?: string }[] } }>('/metadata')).data?.metadata ?? [];
  }

  async tree(guid: string): Promise<TreeObject[]> {
    return (await this.json<{ data?: { objects?: TreeObject[] } }>(`/metadata/${encodeURIComponent(guid)}`)).data?.objects ?? [];
  }

  async properties(guid: string, objectId: number): Promise<ObjectProperties | null> {
    const answer = await this.json<{ data?: { collection?: ObjectProperties[] } }>(
      `/metadata/${encodeURIComponent(guid)}/properties?objectid=${objectId}`,
    );
    return answer.data?.collection?.[0] ?? null;
  }
}

/** The first derivative of the manifest whose mime is the binary glTF (a 3D view's graphics). */
export function findGlb(manifest: Manifest): Derivative | null {
  const pending = [...(manifest.derivatives ?? [])];
  while (pending.length) {
    const node = pending.shift()!;
    if (node.mime === 'model/gltf-binary' && node.urn) return node;
    pending.push(...(node.children ?? []));
  }
  return null;
}

/** Counts the objects of a tree (every node, the root included). */
export const countObjects = (objects: TreeObject[]): number => objects.reduce((n, o) => n + 1 + countObjects(o.objects ?? []), 0);
