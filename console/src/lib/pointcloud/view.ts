// The three.js scene of the point-cloud viewer: one THREE.Points whose buffers are allocated once for the kept points
// and filled batch by batch (drawRange grows), colour modes, orbit and fit, and picking two points to measure.
// It renders only when something changed.

import {
  BufferAttribute, BufferGeometry, Color, Line, LineBasicMaterial, LinearSRGBColorSpace, PerspectiveCamera, Points,
  PointsMaterial, Raycaster, Scene, Sphere, Vector2, Vector3, WebGLRenderer,
} from 'three';
import { OrbitControls } from 'three/addons/controls/OrbitControls.js';
import { paint, type Attributes, type ColourMode } from './colours';
import type { PointBatch } from './protocol';
import type { CloudInfo } from './source';

export class PointCloudView {
  readonly canvas: HTMLCanvasElement;
  /** Points drawn so far (the kept ones). */
  shown = 0;
  private readonly renderer: WebGLRenderer;
  private readonly scene = new Scene();
  private readonly camera = new PerspectiveCamera(60, 1, 0.1, 1000);
  private readonly controls: OrbitControls;
  private readonly geometry = new BufferGeometry();
  private readonly points: Points;
  private attributes: Attributes | null = null;
  private colours = new Uint8Array(0);
  private mode: ColourMode = 'elevation';
  private radius = 1;
  private dirty = true;
  /** Points arrived since the last draw: drawn at most every `batchDrawInterval` ms, so that while a big file streams
   * in, redrawing millions of points (in software where there is no GPU) does not take the cores the decoder needs. */
  private arrived = false;
  private lastDraw = 0;
  private readonly resize: ResizeObserver;
  private readonly marks = new BufferGeometry();
  private readonly dots = new BufferGeometry();
  private picked: Vector3[] = [];

  constructor(host: HTMLElement) {
    this.renderer = new WebGLRenderer({ antialias: false, preserveDrawingBuffer: true });
    this.renderer.setPixelRatio(Math.min(2, devicePixelRatio));
    // Point colours are sRGB bytes already (LAS colours, the palettes): drawn as they are, not converted again.
    this.renderer.outputColorSpace = LinearSRGBColorSpace;
    this.renderer.setClearColor(srgb(0x101820));
    this.canvas = this.renderer.domElement;
    host.append(this.canvas);
    this.camera.up.set(0, 0, 1);
    this.controls = new OrbitControls(this.camera, this.canvas);
    this.controls.addEventListener('change', () => (this.dirty = true));
    this.controls.listenToKeyEvents(host);
    this.points = new Points(this.geometry, new PointsMaterial({ size: 2, sizeAttenuation: false, vertexColors: true }));
    this.points.frustumCulled = false;
    this.scene.add(this.points);
    this.marks.setAttribute('position', new BufferAttribute(new Float32Array(6), 3));
    this.marks.setDrawRange(0, 0);
    // The picked points and the line between them, drawn over the cloud in a colour no mode uses.
    const line = new Line(this.marks, new LineBasicMaterial({ color: srgb(0xff2d95), depthTest: false }));
    this.dots.setAttribute('position', this.marks.getAttribute('position'));
    this.dots.setDrawRange(0, 0);
    const dots = new Points(this.dots, new PointsMaterial({ color: srgb(0xff2d95), size: 9, sizeAttenuation: false, depthTest: false }));
    for (const mark of [line, dots]) {
      mark.renderOrder = 1;
      mark.frustumCulled = false;
      this.scene.add(mark);
    }
    this.resize = new ResizeObserver(() => this.fitCanvas(host));
    this.resize.observe(host);
    this.fitCanvas(host);
    this.renderer.setAnimationLoop((now: number) => {
      if (!this.dirty && !(this.arrived && now - this.lastDraw >= batchDrawInterval)) return;
      this.dirty = this.arrived = false;
      this.lastDraw = now;
      this.renderer.render(this.scene, this.camera);
    });
  }

  /** Allocates the buffers for `capacity` points and frames the cloud's bounds. */
  begin(info: CloudInfo, capacity: number) {
    const positions = new Float32Array(capacity * 3);
    this.attributes = {
      positions,
      rgb: info.hasRgb ? new Uint16Array(capacity * 3) : null,
      intensity: new Uint16Array(capacity),
      classification: new Uint8Array(capacity),
      zMin: info.min[2] - info.centre[2],
      zMax: info.max[2] - info.centre[2],
      rgbMax: 0,
      intensityMax: 0,
    };
    this.colours = new Uint8Array(capacity * 3);
    this.geometry.setAttribute('position', new BufferAttribute(positions, 3));
    this.geometry.setAttribute('color', new BufferAttribute(this.colours, 3, true));
    this.geometry.setDrawRange(0, 0);
    const size = new Vector3(...info.max).sub(new Vector3(...info.min));
    this.radius = Math.max(1e-6, size.length() / 2);
    // Known from the header: picking needs no pass over the points to find it.
    this.geometry.boundingSphere = new Sphere(new Vector3(), this.radius * 1.01);
    (this.points.material as PointsMaterial).size = capacity > 1_000_000 ? 1 : 2;
    this.fit();
  }

  add(batch: PointBatch) {
    const a = this.attributes;
    if (!a) return;
    const from = this.shown;
    const count = Math.min(batch.count, a.intensity.length - from);
    if (count <= 0) return;
    a.positions.set(batch.positions.subarray(0, count * 3), from * 3);
    a.intensity.set(batch.intensity.subarray(0, count), from);
    a.classification.set(batch.classification.subarray(0, count), from);
    for (let i = 0; i < count; i++) if (batch.intensity[i] > a.intensityMax) a.intensityMax = batch.intensity[i];
    if (a.rgb && batch.rgb) {
      a.rgb.set(batch.rgb.subarray(0, count * 3), from * 3);
      for (let i = 0; i < count * 3; i++) if (batch.rgb[i] > a.rgbMax) a.rgbMax = batch.rgb[i];
    }
    this.shown = from + count;
    paint(this.mode, a, this.colours, from, this.shown);
    this.update(from, this.shown);
  }

  /** Colours every point again (a new mode, or the value ranges known once all points are in). */
  colourBy(mode: ColourMode) {
    this.mode = mode;
    if (!this.attributes) return;
    paint(mode, this.attributes, this.colours, 0, this.shown);
    this.update(0, this.shown);
    this.dirty = true;
  }

  /** The whole cloud in view, seen from the south-west above. */
  fit() {
    const distance = this.radius / Math.tan((this.camera.fov * Math.PI) / 360);
    this.camera.near = distance / 1000;
    this.camera.far = distance * 10;
    this.camera.position.set(-0.6, -0.8, 0.7).normalize().multiplyScalar(distance);
    this.camera.updateProjectionMatrix();
    this.controls.target.set(0, 0, 0);
    this.controls.update();
    this.dirty = true;
  }

  /**
   * The drawn point nearest the ray under the pointer, in the cloud's centred coordinates; the second pick draws the line
   * between the two and returns both.
   */
  pick(clientX: number, clientY: number): Vector3[] | null {
    const rect = this.canvas.getBoundingClientRect();
    const ray = new Raycaster();
    ray.params.Points = { threshold: this.radius / 150 };
    ray.setFromCamera(new Vector2(((clientX - rect.left) / rect.width) * 2 - 1, -((clientY - rect.top) / rect.height) * 2 + 1), this.camera);
    const hit = ray.intersectObject(this.points, false)[0];
    if (!hit || hit.index === undefined) return null;
    const p = this.attributes!.positions;
    const at = new Vector3(p[hit.index * 3], p[hit.index * 3 + 1], p[hit.index * 3 + 2]);
    this.picked = this.picked.length === 1 ? [this.picked[0], at] : [at];
    const marks = this.marks.getAttribute('position') as BufferAttribute;
    this.picked.forEach((v, i) => marks.setXYZ(i, v.x, v.y, v.z));
    marks.needsUpdate = true;
    this.marks.setDrawRange(0, this.picked.length === 2 ? 2 : 0);
    this.dots.setDrawRange(0, this.picked.length);
    this.dirty = true;
    return this.picked;
  }

  clearPicks() {
    this.picked = [];
    this.marks.setDrawRange(0, 0);
    this.dots.setDrawRange(0, 0);
    this.dirty = true;
  }

  dispose() {
    this.renderer.setAnimationLoop(null);
    this.resize.disconnect();
    this.controls.dispose();
    this.geometry.dispose();
    this.marks.dispose();
    this.dots.dispose();
    (this.points.material as PointsMaterial).dispose();
    this.renderer.dispose();
    this.canvas.remove();
  }

  private update(from: number, to: number) {
    const position = this.geometry.getAttribute('position') as BufferAttribute;
    const colour = this.geometry.getAttribute('color') as BufferAttribute;
    position.clearUpdateRanges();
    position.addUpdateRange(from * 3, (to - from) * 3);
    position.needsUpdate = true;
    colour.clearUpdateRanges();
    colour.addUpdateRange(from * 3, (to - from) * 3);
    colour.needsUpdate = true;
    this.geometry.setDrawRange(0, this.shown);
    this.arrived = true;
  }

  private fitCanvas(host: HTMLElement) {
    const width = Math.max(1, host.clientWidth);
    const height = Math.max(1, host.clientHeight);
    this.renderer.setSize(width, height, false);
    this.camera.aspect = width / height;
    this.camera.updateProjectionMatrix();
    this.dirty = true;
  }
}

const batchDrawInterval = 250;

/** A colour given in sRGB, kept as it is (the renderer outputs without conversion). */
const srgb = (hex: number) => new Color().setHex(hex, LinearSRGBColorSpace);
