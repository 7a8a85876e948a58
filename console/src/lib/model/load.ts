// What the viewer shows, loaded: a translated design (viewer token → manifest → glTF derivative → metadata → object
// tree) or a reconstruction mesh (GLB or PLY from its presigned URL).
import * as THREE from 'three';
import { GLTFLoader, type GLTF } from 'three/addons/loaders/GLTFLoader.js';
import { PLYLoader } from 'three/addons/loaders/PLYLoader.js';
import { viewerConfig } from './aps';
import { ModelDerivative, ViewerError, findGlb, type TreeObject } from './derivative';
import { fileUrl } from '../files';

/** What the viewer is asked to show: a design file of the APS integration surface, or a project's stored mesh. */
export type Source = { kind: 'design'; urn: string; name: string } | { kind: 'mesh'; projectId: string; fileId: string };

export interface Loaded {
  model: THREE.Object3D;
  tree: TreeObject[];
  /** Reads an object's properties; null where the model has none to read. */
  api: ModelDerivative | null;
  guid: string | null;
  notice: string | null;
}

function parseGlb(buffer: ArrayBuffer): Promise<GLTF> {
  return new Promise((resolve, reject) =>
    new GLTFLoader().parse(buffer, '', resolve, (error) =>
      reject(new ViewerError(`The model’s glTF could not be read: ${(error as unknown as Error)?.message ?? error}`)),
    ),
  );
}

/** The object tree from the glTF's nodes, named and numbered as Model Derivative's metadata names and numbers them. */
function treeOfNodes(gltf: GLTF, modelName: string): TreeObject[] {
  const json = gltf.parser.json as { nodes?: { name?: string; mesh?: number }[]; meshes?: { name?: string }[] };
  const numbered = (o: THREE.Object3D) => Number.isInteger(o.userData?.objectid);
  const item = (o: THREE.Object3D, isRoot: boolean): TreeObject => {
    const index = gltf.parser.associations.get(o)?.nodes;
    const definition = (index === undefined ? undefined : json.nodes?.[index]) ?? {};
    const meshName = definition.mesh === undefined ? undefined : json.meshes?.[definition.mesh]?.name;
    const name = definition.name || meshName || (isRoot ? modelName : `Object ${o.userData.objectid}`);
    return { objectid: o.userData.objectid as number, name, objects: o.children.filter(numbered).map((c) => item(c, false)) };
  };
  const roots = gltf.scene.children.filter(numbered);
  return roots.length === 1 ? [item(roots[0], true)] : [{ objectid: 1, name: modelName, objects: roots.map((r) => item(r, false)) }];
}

export async function loadDesign(urn: string, name: string): Promise<Loaded> {
  const config = await viewerConfig(urn);
  if (config.api !== 'scanport')
    throw new ViewerError('This model is translated on Autodesk’s cloud, which serves it to Autodesk’s own viewer only: open it there.');
  const api = new ModelDerivative(config.urn, config.access_token);
  const manifest = await api.manifest();
  if (manifest.status !== 'success') throw new ViewerError(`The model’s translation is ${manifest.status} (${manifest.progress}).`);
  const glb = findGlb(manifest);
  if (!glb?.urn) throw new ViewerError('The translation has no 3D view to show (no glTF derivative in its manifest).');
  const gltf = await parseGlb(await api.glb(glb.urn));
  try {
    const views = await api.views();
    const guid = (views.find((v) => v.role === '3d') ?? views[0])?.guid;
    if (!guid) throw new ViewerError('The model has no 3D view in its metadata.');
    return { model: gltf.scene, tree: await api.tree(guid), api, guid, notice: null };
  } catch (error) {
    if (!(error instanceof ViewerError && error.status === 403)) throw error;
    // A token that reads the model but not Model Derivative's metadata: the tree is then the glTF's own nodes, which
    // carry the metadata's object ids (extras.objectid).
    return { model: gltf.scene, tree: treeOfNodes(gltf, name), api: null, guid: null, notice: 'Object properties are not readable with this token.' };
  }
}

/** A reconstruction mesh, read straight from the object store through a 15-minute URL. */
export async function loadMesh(projectId: string, fileId: string): Promise<Loaded & { name: string }> {
  const link = await fileUrl(projectId, fileId);
  let response: Response;
  try {
    response = await fetch(link.url, { cache: 'no-store', referrerPolicy: 'no-referrer' });
  } catch {
    throw new ViewerError('The mesh could not be downloaded: check your connection and reload the page.');
  }
  if (!response.ok) throw new ViewerError(`The mesh could not be downloaded (${response.status}): reload the page to try again.`);
  const buffer = await response.arrayBuffer();
  const lower = `${link.name} ${link.content_type ?? ''}`.toLowerCase();
  const head = new TextDecoder().decode(buffer.slice(0, 4));
  if (head === 'glTF' || lower.includes('gltf') || lower.endsWith('.glb')) {
    const gltf = await parseGlb(buffer);
    return { name: link.name, model: gltf.scene, tree: [], api: null, guid: null, notice: null };
  }
  if (head.startsWith('ply') || lower.includes('.ply') || lower.includes('ply')) {
    let geometry: THREE.BufferGeometry;
    try {
      geometry = new PLYLoader().parse(buffer);
    } catch (error) {
      throw new ViewerError(`The mesh’s PLY could not be read: ${(error as Error)?.message ?? error}`);
    }
    const colored = geometry.hasAttribute('color');
    if (!geometry.index) {
      // Vertices without faces: shown as points.
      const points = new THREE.Points(geometry, new THREE.PointsMaterial({ size: 0.01, vertexColors: colored, sizeAttenuation: true }));
      return { name: link.name, model: points, tree: [], api: null, guid: null, notice: null };
    }
    if (!geometry.hasAttribute('normal')) geometry.computeVertexNormals();
    const material = new THREE.MeshStandardMaterial({ color: colored ? 0xffffff : 0xb8c2cc, vertexColors: colored, side: THREE.DoubleSide });
    return { name: link.name, model: new THREE.Mesh(geometry, material), tree: [], api: null, guid: null, notice: null };
  }
  throw new ViewerError(`Scanport shows meshes as GLB or PLY; ${link.name} is neither.`);
}
