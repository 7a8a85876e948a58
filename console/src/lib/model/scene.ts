// The 3D view of a model: a three.js scene on a canvas with orbit (drag, wheel), fit to view, picking and highlighting
// of the object under a click. Objects are numbered as Model Derivative numbers them (the glTF nodes' extras.objectid).
import * as THREE from 'three';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';

const background = 0x20242a;

export class ModelScene {
  readonly renderer: THREE.WebGLRenderer;
  private readonly scene = new THREE.Scene();
  private readonly camera = new THREE.PerspectiveCamera(45, 1, 0.01, 1000);
  private readonly controls: OrbitControls;
  private readonly resize: ResizeObserver;
  private readonly byObjectId = new Map<number, THREE.Object3D>();
  private readonly highlighted = new Map<THREE.Mesh, THREE.Material | THREE.Material[]>();
  private readonly highlight = new THREE.MeshStandardMaterial({ color: 0x3d8bff, emissive: 0x12306b, side: THREE.DoubleSide });
  private model: THREE.Object3D | null = null;
  private frame = 0;
  private down: { x: number; y: number } | null = null;
  /** Called with the object id under a click on the model (null: nothing numbered there). */
  onPick: (objectId: number | null) => void = () => {};
  /** How many frames were drawn (for people's scripts and tests). */
  frames = 0;

  constructor(private readonly canvas: HTMLCanvasElement) {
    this.renderer = new THREE.WebGLRenderer({ canvas, antialias: true });
    this.renderer.setPixelRatio(window.devicePixelRatio);
    this.renderer.setClearColor(background);
    this.scene.add(new THREE.HemisphereLight(0xffffff, 0x444450, 2.2));
    const sun = new THREE.DirectionalLight(0xffffff, 1.6);
    sun.position.set(1, 2, 1.5);
    this.scene.add(sun);
    this.camera.position.set(1, 1, 1);
    this.controls = new OrbitControls(this.camera, canvas);
    this.controls.addEventListener('change', () => this.requestRender());
    this.resize = new ResizeObserver(() => this.fitCanvas());
    this.resize.observe(canvas.parentElement ?? canvas);
    canvas.addEventListener('pointerdown', this.pointerDown);
    canvas.addEventListener('pointerup', this.pointerUp);
  }

  /** Shows the model (replacing any other) and frames it. */
  show(model: THREE.Object3D) {
    if (this.model) this.scene.remove(this.model);
    this.model = model;
    this.byObjectId.clear();
    model.traverse((o) => {
      const id = objectIdOf(o, false);
      if (id !== null && !this.byObjectId.has(id)) this.byObjectId.set(id, o);
    });
    this.scene.add(model);
    this.fitCanvas();
    this.fitToView();
  }

  /** Frames the whole model: the camera keeps its direction and backs off until the bounding sphere fits. */
  fitToView() {
    if (!this.model) return;
    const sphere = new THREE.Box3().setFromObject(this.model).getBoundingSphere(new THREE.Sphere());
    const radius = Math.max(sphere.radius, 1e-6);
    const direction = this.camera.position.clone().sub(this.controls.target);
    if (direction.lengthSq() === 0) direction.set(1, 1, 1);
    direction.normalize();
    const halfFov = THREE.MathUtils.degToRad(this.camera.fov / 2);
    const distance = (radius / Math.sin(Math.min(halfFov, halfFov * this.camera.aspect))) * 1.15;
    this.controls.target.copy(sphere.center);
    this.camera.position.copy(sphere.center).addScaledVector(direction, distance);
    this.camera.near = distance / 100;
    this.camera.far = distance * 100;
    this.camera.updateProjectionMatrix();
    this.controls.update();
    this.requestRender();
  }

  /** Highlights the object (and what it contains), or nothing. */
  select(objectId: number | null) {
    for (const [mesh, material] of this.highlighted) mesh.material = material;
    this.highlighted.clear();
    const object = objectId === null ? undefined : this.byObjectId.get(objectId);
    object?.traverse((o) => {
      if (!(o instanceof THREE.Mesh)) return;
      this.highlighted.set(o, o.material);
      o.material = this.highlight;
    });
    this.requestRender();
  }

  /** Resolves once a frame with the model has been drawn. */
  drawn(): Promise<void> {
    this.requestRender();
    return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
  }

  dispose() {
    cancelAnimationFrame(this.frame);
    this.resize.disconnect();
    this.canvas.removeEventListener('pointerdown', this.pointerDown);
    this.canvas.removeEventListener('pointerup', this.pointerUp);
    this.controls.dispose();
    this.model?.traverse((o) => {
      if (o instanceof THREE.Mesh || o instanceof THREE.Points) o.geometry.dispose();
    });
    this.highlight.dispose();
    this.renderer.dispose();
  }

  private requestRender() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.renderer.render(this.scene, this.camera);
      this.frames++;
    });
  }

  private fitCanvas() {
    const box = this.canvas.parentElement ?? this.canvas;
    const { clientWidth: width, clientHeight: height } = box;
    if (!width || !height) return;
    this.renderer.setSize(width, height, false);
    this.camera.aspect = width / height;
    this.camera.updateProjectionMatrix();
    this.requestRender();
  }

  private readonly pointerDown = (event: PointerEvent) => {
    this.down = { x: event.clientX, y: event.clientY };
  };

  // A click (not the end of an orbit drag) picks the object under the pointer.
  private readonly pointerUp = (event: PointerEvent) => {
    const down = this.down;
    this.down = null;
    if (!this.model || !down || Math.hypot(event.clientX - down.x, event.clientY - down.y) > 4) return;
    const rect = this.canvas.getBoundingClientRect();
    const pointer = new THREE.Vector2(((event.clientX - rect.left) / rect.width) * 2 - 1, -((event.clientY - rect.top) / rect.height) * 2 + 1);
    const raycaster = new THREE.Raycaster();
    raycaster.setFromCamera(pointer, this.camera);
    const hit = raycaster.intersectObject(this.model, true).find((h) => h.object instanceof THREE.Mesh);
    this.onPick(hit ? objectIdOf(hit.object, true) : null);
  };
}

/** The Model Derivative object id of an object (or, with `inherited`, of the nearest numbered object above it). */
export function objectIdOf(object: THREE.Object3D, inherited: boolean): number | null {
  for (let o: THREE.Object3D | null = object; o; o = inherited ? o.parent : null) {
    const id = (o.userData as { objectid?: unknown }).objectid;
    if (typeof id === 'number' && Number.isInteger(id)) return id;
  }
  return null;
}
