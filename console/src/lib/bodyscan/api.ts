// The body-scan surface (/api/scan) as the console calls it: the session's token as the bearer, and the surface's own
// error shape ({error, details: {field: [reasons]}}) turned into an ApiFailure with a sentence for people.
import { ApiFailure, request, type ErrorReader } from '../api';
import { session } from '../session.svelte';

export interface LatestFrame {
  frameNumber: number;
  userInFrame: boolean;
  confidence: number;
  stabilityScore: number;
  iou: number | null;
  isValid: boolean;
  timestamp: string;
}

export interface ScanStatus {
  scanId: string;
  sessionId: string;
  status: 'active' | 'locked' | 'completed';
  isLocked: boolean;
  frameCount: number;
  latestFrame: LatestFrame | null;
  averageConfidence: number;
  averageStabilityScore: number;
  userDetectionRate: number;
  qualityMetrics: { totalFrames: number; validFrames: number; framesWithUser: number; avgConfidence: number; avgStability: number };
  startedAt: string;
  completedAt: string | null;
}

export interface ScanSummary {
  scanId: string;
  sessionId: string;
  status: ScanStatus['status'];
  projectId: string | null;
  siteId: string | null;
  frameCount: number;
  validFrames: number;
  averageConfidence: number;
  averageStabilityScore: number;
  startedAt: string;
  completedAt: string | null;
}

export interface ScanList {
  scans: ScanSummary[];
  total: number;
  limit: number;
  offset: number;
}

export interface FrameRecord {
  frameId: string;
  scanId: string;
  frameNumber: number;
  userInFrame: boolean;
  confidence: number;
  stabilityScore: number;
  iou: number | null;
  isValid: boolean;
  timestamp: string;
}

export interface FramePage {
  scanId: string;
  frames: FrameRecord[];
  nextAfter: number | null;
}

/** The surface's errors: {error, details: {field: [reasons]}}. */
const scanErrors: ErrorReader = (answer) => {
  const said = (answer ?? {}) as { error?: unknown; details?: Record<string, string[]> };
  return { message: typeof said.error === 'string' ? said.error : undefined, fields: said.details };
};

const scanCall = <T>(method: string, path: string, body?: unknown) => request<T>(method, `/api/scan${path}`, body, scanErrors);

export const projectScans = (projectId: string, limit: number, offset: number) =>
  scanCall<ScanList>('GET', `/scans?projectId=${encodeURIComponent(projectId)}&limit=${limit}&offset=${offset}`);

export const scanStatus = (scanId: string) => scanCall<ScanStatus>('GET', `/status?scanId=${encodeURIComponent(scanId)}`);

/** The frames numbered after `after` (-1: from the start), every page of them. */
export async function framesAfter(scanId: string, after: number): Promise<FrameRecord[]> {
  const all: FrameRecord[] = [];
  for (let from = after; ; ) {
    const page = await scanCall<FramePage>('GET', `/frames?scanId=${encodeURIComponent(scanId)}&after=${from}&limit=1000`);
    all.push(...page.frames);
    if (page.nextAfter === null) return all;
    from = page.nextAfter;
  }
}

export const lockScan = (scanId: string) => scanCall<ScanStatus>('POST', '/lock', { scanId });
export const completeScan = (scanId: string) => scanCall<ScanStatus>('POST', '/complete', { scanId });

/** The status stream's address: an EventSource cannot set headers, so the token rides in the query (this endpoint only). */
export function statusStreamUrl(scanId: string): string | null {
  const token = session.token();
  return token ? `/api/scan/status/stream?scanId=${encodeURIComponent(scanId)}&access_token=${encodeURIComponent(token)}` : null;
}

/** What a failed call of `what` ("The scan was not locked") says, with what to do; null after a 401 (sign-in takes over). */
export function explainScan(e: unknown, what: string): string | null {
  if (!(e instanceof ApiFailure)) return `${what}: something unexpected went wrong. Reload the page and try again.`;
  switch (e.status) {
    case 401:
      return null;
    case 0:
      return e.message;
    case 403:
      return `${what}: your role may only look at scans (reviewers cannot record, lock or complete them).`;
    case 404:
      return `${what}: the scan was not found. It may have been deleted, or it is not one you can see.`;
    case 409:
      return `${what}: ${e.message}. Reload the page to see the scan as it is now.`;
    case 429:
      return `${what}: too many requests. Wait a moment and try again.`;
  }
  return `${what}: ${e.message}. Try again, and tell your administrator if it goes on.`;
}
