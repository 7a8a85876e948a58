// Scanport's model viewer: a translated model's glTF from Model Derivative, orbit, fit to view, the object tree,
// properties on click, and a distance measured between two picked points. Its state is window.scanportViewer (and
// data-* attributes on <body>) for people's scripts and the browser tests.
import * as THREE from 'three';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';
import { GLTFLoader } from 'three/addons/loaders/GLTFLoader.js';
import { ModelApi, ViewerError, findGlb, takeToken, urnFromPath } from './api.js';
import { countObjects, markInTree, renderProperties, renderTree } from './panels.js';

const background = 0x20242a;
const state = { state: 'loading', error: null, notice: null, urn: null, objects: 0, selected: null, measurement: null, measuring: false, camera: null, fits: 0 };
window.scanportViewer = state;

const $ = (id) => document.getElementById(id);
const canvas = $('canvas');
const renderer = new THREE.WebGLRenderer({ canvas, antialias: true });
renderer.setPixelRatio(window.devicePixelRatio);
renderer.setClearColor(background);
const scene = new THREE.Scene();
scene.add(new THREE.HemisphereLight(0xffffff, 0x444450, 2.2));
const sun = new THREE.DirectionalLight(0xffffff, 1.6);
sun.position.set(1, 2, 1.5);
scene.add(sun);
const camera = new THREE.PerspectiveCamera(45, 1, 0.01, 1000);
camera.position.set(1, 1, 1);
const controls = new OrbitControls(camera, canvas);
controls.addEventListener('change', () => { recordCamera(); requestRender(); });
const markers = new THREE.Group();
scene.add(markers);

let model = null;
let api = null;
let viewGuid = null;
const byObjectId = new Map();
const highlighted = new Map();
const highlight = new THREE.MeshStandardMaterial({ color: 0x3d8bff, emissive: 0x12306b, side: THREE.DoubleSide });

let frame = 0;
function requestRender() {
  if (frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    renderer.render(scene, camera);
    document.body.dataset.frames = String(Number(document.body.dataset.frames ?? 0) + 1);
  });
}

function setStatus(text) { $('status').textContent = text; }

function setState(value, error = null) {
  state.state = value;
  state.error = error;
  document.body.dataset.state = value;
  if (error) setStatus(error);
}

function recordCamera() {
  const round = (v) => v.toArray().map((n) => Math.round(n * 1e6) / 1e6);
  state.camera = { position: round(camera.position), target: round(controls.target) };
}

new ResizeObserver(() => {
  const { clientWidth: width, clientHeight: height } = canvas.parentElement;
  if (!width || !height) return;
  renderer.setSize(width, height, false);
  camera.aspect = width / height;
  camera.updateProjectionMatrix();
  requestRender();
}).observe(canvas.parentElement);

/** Frames the whole model: the camera keeps its direction and backs off until the bounding sphere fits. */
function fitToView() {
  if (!model) return;
  const sphere = new THREE.Box3().setFromObject(model).getBoundingSphere(new THREE.Sphere());
  const radius = Math.max(sphere.radius, 1e-6);
  const direction = camera.position.clone().sub(controls.target);
  if (direction.lengthSq() === 0) direction.set(1, 1, 1);
  direction.normalize();
  const halfFov = THREE.MathUtils.degToRad(camera.fov / 2);
  const distance = radius / Math.sin(Math.min(halfFov, halfFov * camera.aspect)) * 1.15;
  controls.target.copy(sphere.center);
  camera.position.copy(sphere.center).addScaledVector(direction, distance);
  camera.near = distance / 100;
  camera.far = distance * 100;
  camera.updateProjectionMatrix();
  controls.update();
  state.fits += 1;
  recordCamera();
  requestRender();
}

function objectIdOf(object) {
  for (let o = object; o; o = o.parent) if (Number.isInteger(o.userData?.objectid)) return o.userData.objectid;
  return null;
}

function setHighlight(objectId) {
  for (const [mesh, material] of highlighted) mesh.material = material;
  highlighted.clear();
  byObjectId.get(objectId)?.traverse((o) => {
    if (!o.isMesh) return;
    highlighted.set(o, o.material);
    o.material = highlight;
  });
  requestRender();
}

async function select(objectId) {
  setHighlight(objectId);
  markInTree($('tree'), objectId);
  if (objectId == null) {
    state.selected = null;
    delete document.body.dataset.selected;
    renderProperties($('properties'), null);
    return;
  }
  state.selected = { objectid: objectId, name: null, externalId: null, properties: null };
  document.body.dataset.selected = String(objectId);
  if (!viewGuid) {
    state.selected.name = $('tree').querySelector(`button[data-objectid="${objectId}"]`)?.textContent ?? null;
    renderProperties($('properties'), { objectid: objectId, name: state.selected.name ?? `Object ${objectId}` }, state.notice);
    return;
  }
  try {
    const item = await api.properties(viewGuid, objectId);
    if (state.selected?.objectid !== objectId) return;
    state.selected = { objectid: objectId, name: item?.name ?? null, externalId: item?.externalId ?? null, properties: item?.properties ?? null };
    renderProperties($('properties'), item ?? { objectid: objectId, name: `Object ${objectId}` });
  } catch (error) {
    setStatus(error.message);
  }
}

function pick(event) {
  const rect = canvas.getBoundingClientRect();
  const pointer = new THREE.Vector2(((event.clientX - rect.left) / rect.width) * 2 - 1, -((event.clientY - rect.top) / rect.height) * 2 + 1);
  const raycaster = new THREE.Raycaster();
  raycaster.setFromCamera(pointer, camera);
  return raycaster.intersectObject(model, true).find((hit) => hit.object.isMesh) ?? null;
}

function measure(point) {
  const points = state.measurement?.points?.length === 1 ? [...state.measurement.points, point.toArray()] : [point.toArray()];
  markers.clear();
  const size = new THREE.Box3().setFromObject(model).getSize(new THREE.Vector3()).length() / 150;
  const vectors = points.map((p) => new THREE.Vector3(...p));
  for (const v of vectors) {
    const dot = new THREE.Mesh(new THREE.SphereGeometry(size), new THREE.MeshBasicMaterial({ color: 0xffb300, depthTest: false }));
    dot.position.copy(v);
    dot.renderOrder = 10;
    markers.add(dot);
  }
  if (vectors.length === 2) {
    const line = new THREE.Line(new THREE.BufferGeometry().setFromPoints(vectors), new THREE.LineBasicMaterial({ color: 0xffb300, depthTest: false }));
    line.renderOrder = 10;
    markers.add(line);
    const distance = vectors[0].distanceTo(vectors[1]);
    state.measurement = { points, distance };
    document.body.dataset.distance = String(distance);
    setStatus(`Distance: ${distance.toFixed(4)} (model units)`);
  } else {
    state.measurement = { points, distance: null };
    delete document.body.dataset.distance;
    setStatus('Measure: click a second point');
  }
  requestRender();
}

// A click (not the end of an orbit drag) picks: the object under the pointer, or a measured point.
let down = null;
canvas.addEventListener('pointerdown', (event) => { down = { x: event.clientX, y: event.clientY }; });
canvas.addEventListener('pointerup', (event) => {
  if (!model || !down || Math.hypot(event.clientX - down.x, event.clientY - down.y) > 4) return;
  const hit = pick(event);
  if (state.measuring) {
    if (hit) measure(hit.point);
    return;
  }
  select(hit ? objectIdOf(hit.object) : null);
});

$('fit').addEventListener('click', fitToView);
$('measure').addEventListener('click', () => {
  state.measuring = !state.measuring;
  state.measurement = null;
  markers.clear();
  delete document.body.dataset.distance;
  $('measure').setAttribute('aria-pressed', String(state.measuring));
  document.body.classList.toggle('measuring', state.measuring);
  setStatus(state.measuring ? 'Measure: click a first point' : 'Ready');
  requestRender();
});

/** The object tree from the glTF's nodes, named and numbered as Model Derivative's metadata names and numbers them. */
function treeOfNodes(gltf, modelName) {
  const json = gltf.parser.json;
  const numbered = (o) => Number.isInteger(o.userData?.objectid);
  const item = (o, isRoot) => {
    const definition = json.nodes?.[gltf.parser.associations.get(o)?.nodes] ?? {};
    const name = definition.name || json.meshes?.[definition.mesh]?.name || (isRoot ? modelName : `Object ${o.userData.objectid}`);
    return { objectid: o.userData.objectid, name, objects: o.children.filter(numbered).map((c) => item(c, false)) };
  };
  const roots = gltf.scene.children.filter(numbered);
  return roots.length === 1 ? [item(roots[0], true)] : [{ objectid: 1, name: modelName, objects: roots.map((r) => item(r, false)) }];
}

function parse(buffer) {
  return new Promise((resolve, reject) => new GLTFLoader().parse(buffer, '', resolve,
    (error) => reject(new ViewerError(`The model's glTF could not be read: ${error?.message ?? error}`))));
}

async function load() {
  state.urn = urnFromPath();
  const token = takeToken();
  if (!token) throw new ViewerError('No token: open the viewer as /aps/viewer/{urn}#token={an APS token with viewables:read or data:read}.');
  api = new ModelApi(state.urn, token);
  const manifest = await api.manifest();
  if (manifest.status !== 'success') throw new ViewerError(`The model's translation is ${manifest.status} (${manifest.progress}).`);
  const glb = findGlb(manifest);
  if (!glb) throw new ViewerError('The manifest has no glTF derivative to show.');
  $('title').textContent = glb.name ?? manifest.derivatives?.[0]?.name ?? 'Scanport viewer';
  const gltf = await parse(await api.glb(glb.urn));
  model = gltf.scene;
  model.traverse((o) => { if (Number.isInteger(o.userData?.objectid)) byObjectId.set(o.userData.objectid, o); });
  scene.add(model);
  let tree;
  try {
    const views = await api.views();
    viewGuid = (views.find((v) => v.role === '3d') ?? views[0])?.guid;
    if (!viewGuid) throw new ViewerError('The model has no 3D view in its metadata.');
    tree = await api.tree(viewGuid);
  } catch (error) {
    if (error.status !== 403) throw error;
    // A viewables:read token (what a viewer is given) reads the model but not Model Derivative's metadata, as at APS:
    // the tree is then the glTF's own nodes, which carry the metadata's object ids (extras.objectid).
    viewGuid = null;
    tree = treeOfNodes(gltf, $('title').textContent);
    state.notice = 'Object properties need a token with data:read.';
  }
  renderTree($('tree'), tree, select);
  state.objects = countObjects(tree);
  document.body.dataset.objects = String(state.objects);
  fitToView();
  $('fit').disabled = false;
  $('measure').disabled = false;
  setStatus(state.notice ? `Ready. ${state.notice}` : 'Ready');
  // Ready once the first frame with the model is drawn.
  requestAnimationFrame(() => requestAnimationFrame(() => setState('ready')));
}

load().catch((error) => {
  console.error(error);
  setState('error', error instanceof ViewerError ? error.message : `The viewer failed: ${error?.message ?? error}`);
});
