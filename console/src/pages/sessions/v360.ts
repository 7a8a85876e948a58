// The 360° imaging surface (/v1) as the console calls it: the session's token as the bearer, and the surface's error
// envelope ({error: {code, message, details}, request_id}) turned into an ApiFailure with a sentence for people.
import { ApiFailure, request, type ErrorReader } from '../../lib/api';

export interface Vehicle {
  id: string;
  vin: string | null;
  stock: string | null;
}

export interface SessionItem {
  id: string;
  vehicle: Vehicle;
  mode: 'studio360' | 'walk360' | 'stills';
  status: 'active' | 'complete' | 'abandoned' | 'failed';
  operator: { id: string; name: string | null } | null;
  site: { id: string; name: string };
  started_at: string;
  completed_at: string | null;
  image_count: number;
}

export interface SessionList {
  data: SessionItem[];
  total: number;
  limit: number;
  offset: number;
}

export interface SessionDetails extends SessionItem {
  org_id: string;
  site_id: string;
  vehicle_id: string;
  shot_list: { studio360?: { frame_count: number }; stills?: string[] };
  device: { id: string; model: string | null } | null;
}

export interface Qc {
  sharpness?: { score: number; status: string };
  exposure?: { status: string; shadows_clipped?: number; highlights_clipped?: number; mean?: number };
}

export interface ImageItem {
  id: string;
  session_id: string;
  angle_deg: number | null;
  shot_name: string | null;
  thumb_keys: Record<string, string>;
  /** Short-lived download URLs of the thumbnails, by size (150, 600, 1200). */
  thumb_urls: Record<string, string>;
  qc: Qc;
  status: 'pending' | 'processing' | 'processed' | 'failed' | 'published';
  created_at: string;
}

export interface ImageDetails extends ImageItem {
  vehicle_id: string;
  storage_key: string;
  original_url: string | null;
  width: number | null;
  height: number | null;
  exif: { iso: number | null; shutter: string | null; aperture: string | null; timestamp: string | null } | null;
  failure_reason?: string;
  published_at: string | null;
}

/** The surface's errors: {error: {code, message, details}}. */
const v360Errors: ErrorReader = (answer) => {
  const said = (answer ?? {}) as { error?: { message?: string; details?: Record<string, string[]> } };
  return { message: said.error?.message, fields: said.error?.details };
};

export const v360 = <T>(method: string, path: string) => request<T>(method, `/v1${path}`, undefined, v360Errors);

/** The vehicle a session is named after: its VIN, its stock number, or both. */
export function vehicleName(vehicle: Vehicle): string {
  if (vehicle.vin && vehicle.stock) return `${vehicle.vin} (stock ${vehicle.stock})`;
  return vehicle.vin ?? `Stock ${vehicle.stock ?? 'unknown'}`;
}

export const dateTime = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A session's name in lists and headings: its vehicle and when it started. */
export const sessionName = (s: { vehicle: Vehicle; started_at: string }) => `${vehicleName(s.vehicle)}, ${dateTime(s.started_at)}`;

export const modeWords: Record<string, string> = { studio360: 'Studio 360°', walk360: 'Walk-around 360°', stills: 'Stills' };
export const sessionStatusWords: Record<string, string> = { active: 'Active', complete: 'Complete', abandoned: 'Abandoned', failed: 'Failed' };

/** What a failed call of `what` says, with what to do; null after a 401 (sign-in takes over). */
export function explain360(e: unknown, what: string): string | null {
  if (!(e instanceof ApiFailure)) return `${what}: something unexpected went wrong. Reload the page and try again.`;
  switch (e.status) {
    case 401:
      return null;
    case 0:
      return e.message;
    case 403:
      return `${what}: ${e.message}. Ask an administrator of your organization if you need this.`;
    case 404:
      return `${what}: not found. It may have been deleted, or it is on a site you cannot see.`;
    case 409:
      return `${what}: ${e.message}.`;
    case 429:
      return `${what}: too many requests. Wait a minute and try again.`;
  }
  const fields = Object.entries(e.fields).map(([name, reasons]) => `${name.replaceAll('_', ' ')} ${reasons.join(', ')}`);
  return fields.length ? `${what}: ${fields.join('; ')}.` : `${what}: ${e.message}. Try again, and tell your administrator if it goes on.`;
}
