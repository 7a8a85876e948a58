// Colours for the viewer's modes, written into one RGB byte per channel per point (a normalized attribute).

export type ColourMode = 'rgb' | 'elevation' | 'intensity' | 'classification';

export const modeNames: Record<ColourMode, string> = {
  rgb: 'RGB',
  elevation: 'Elevation',
  intensity: 'Intensity',
  classification: 'Classification',
};

/** What the points hold, kept by the viewer for recolouring. */
export interface Attributes {
  positions: Float32Array;
  rgb: Uint16Array | null;
  intensity: Uint16Array;
  classification: Uint8Array;
  /** Elevation range (relative to the centre, as the positions are). */
  zMin: number;
  zMax: number;
  /** The largest colour and intensity values seen: files use 8 or 16 bits. */
  rgbMax: number;
  intensityMax: number;
}

const ramp = lut([
  [0.0, [48, 18, 160]],
  [0.25, [30, 120, 220]],
  [0.5, [40, 190, 120]],
  [0.75, [240, 210, 40]],
  [1.0, [215, 40, 30]],
]);

/** ASPRS standard classes 0–18; others grey. */
const classes = [
  [150, 150, 150], [200, 200, 200], [166, 120, 60], [140, 200, 100], [60, 160, 60], [20, 110, 40], [220, 80, 60],
  [255, 0, 255], [200, 200, 0], [40, 110, 220], [120, 60, 120], [90, 90, 90], [230, 230, 120], [250, 200, 0],
  [250, 150, 0], [160, 80, 200], [200, 120, 200], [100, 100, 180], [255, 0, 0],
];

export function paint(mode: ColourMode, a: Attributes, out: Uint8Array, from: number, to: number) {
  if (mode === 'rgb' && a.rgb) {
    const rgb = a.rgb;
    const shift = a.rgbMax > 255 ? 8 : 0;
    for (let i = from * 3, end = to * 3; i < end; i++) out[i] = rgb[i] >> shift;
  } else if (mode === 'intensity') {
    const scale = 255 / Math.max(1, a.intensityMax);
    for (let i = from; i < to; i++) {
      const v = Math.min(255, a.intensity[i] * scale * 1.5);
      out[i * 3] = out[i * 3 + 1] = out[i * 3 + 2] = v;
    }
  } else if (mode === 'classification') {
    for (let i = from; i < to; i++) {
      const c = classes[a.classification[i]] ?? classes[0];
      out[i * 3] = c[0];
      out[i * 3 + 1] = c[1];
      out[i * 3 + 2] = c[2];
    }
  } else {
    const scale = 255 / Math.max(1e-9, a.zMax - a.zMin);
    const z = a.positions;
    for (let i = from; i < to; i++) {
      const k = Math.max(0, Math.min(255, ((z[i * 3 + 2] - a.zMin) * scale) | 0)) * 3;
      out[i * 3] = ramp[k];
      out[i * 3 + 1] = ramp[k + 1];
      out[i * 3 + 2] = ramp[k + 2];
    }
  }
}

function lut(stops: [number, number[]][]): Uint8Array {
  const table = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    const t = i / 255;
    const upper = stops.findIndex(([at]) => at >= t);
    const [t1, c1] = stops[Math.max(1, upper)];
    const [t0, c0] = stops[Math.max(0, upper - 1)];
    const f = t1 === t0 ? 0 : (t - t0) / (t1 - t0);
    for (let c = 0; c < 3; c++) table[i * 3 + c] = Math.round(c0[c] + (c1[c] - c0[c]) * f);
  }
  return table;
}
