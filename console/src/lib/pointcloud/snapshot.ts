// A ScanAce snapshot as GET /scanace/snapshots/{id} gives it (the surface's own document), for the header facts.

import { call } from '../api';

export interface Snapshot {
  id: string;
  name: string;
  status: string;
  description: string | null;
  utm_zone_nr: number;
  utm_hemisphere: string;
  location: { latitude: number | null; longitude: number | null } | null;
  failure_reason?: string | null;
  point_cloud?: {
    las_version: string | null;
    point_format: number | null;
    point_count: number | null;
    compressed: boolean | null;
    bounds: { min_x: number; min_y: number; min_z: number; max_x: number; max_y: number; max_z: number } | null;
    crs: { epsg: number | null; wkt: string | null; units: string | null } | null;
  };
}

export const snapshot = async (id: string) => (await call<{ data: Snapshot }>('GET', `/scanace/snapshots/${encodeURIComponent(id)}`)).data;

/** Statuses after which nothing changes by itself. */
export const settled = (status: string) => status === 'ready' || status === 'failed';

export const statusWords: Record<string, string> = {
  created: 'Waiting for upload',
  committed: 'Uploaded, waiting to be read',
  processing: 'Being read',
  ready: 'Ready',
  failed: 'Failed',
};
