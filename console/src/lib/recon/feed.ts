// A project's job events, live over the surface's WebSocket (/ws/jobs/{project number}?token=…). Each event carries the
// id it is stored under; when the socket drops, the feed polls (the page's own `refresh`) and reconnects with
// last_event_id, so the server replays what was missed. `refresh` also runs once each socket opens, for whatever
// happened before it did.
import { session } from '../session.svelte';

export interface JobEvent {
  id: number;
  type: 'job_started' | 'job_progress' | 'job_completed' | 'job_failed' | 'job_cancelled';
  job_id: number;
  project_id: number;
  job_type: string;
  status: 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';
  progress: number | null;
  stage: string | null;
  error: string | null;
  timestamp: string;
}

/** How the page hears of changes: `connecting`, `live` (the socket), `polling` (the socket is down), `closed`. */
export type FeedMode = 'connecting' | 'live' | 'polling' | 'closed';

export interface FeedOptions {
  onEvent: (event: JobEvent) => void;
  onMode: (mode: FeedMode) => void;
  /** Reads the state again over HTTP: on each (re)connection, and every few seconds while the socket is down. */
  refresh: () => Promise<void>;
  pollMs?: number;
  /** Replays the stored events after this id first (0: all the project still keeps); by default only new ones. */
  from?: number;
}

export class JobFeed {
  private socket: WebSocket | null = null;
  private lastEventId: number | null = null;
  private poll: ReturnType<typeof setInterval> | undefined;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private delay = 1000;
  private closed = false;

  constructor(
    private readonly projectNumber: number,
    private readonly options: FeedOptions,
  ) {
    this.lastEventId = options.from ?? null;
    this.connect();
  }

  close() {
    this.closed = true;
    clearInterval(this.poll);
    clearTimeout(this.retry);
    this.socket?.close(1000, 'page closed');
    this.socket = null;
    this.options.onMode('closed');
  }

  private connect() {
    if (this.closed) return;
    const token = session.token();
    if (!token) {
      this.close();
      return;
    }
    const query = new URLSearchParams({ token });
    if (this.lastEventId !== null) query.set('last_event_id', String(this.lastEventId));
    const scheme = location.protocol === 'https:' ? 'wss' : 'ws';
    const socket = new WebSocket(`${scheme}://${location.host}/ws/jobs/${this.projectNumber}?${query}`);
    this.socket = socket;
    if (this.poll === undefined) this.options.onMode('connecting');
    socket.onmessage = (message) => {
      let data: { type?: string; id?: number; last_event_id?: number };
      try {
        data = JSON.parse(String(message.data));
      } catch {
        return;
      }
      if (data.type === 'connected') {
        this.lastEventId ??= data.last_event_id ?? 0;
        this.delay = 1000;
        clearInterval(this.poll);
        this.poll = undefined;
        this.options.onMode('live');
        void this.options.refresh().catch(() => {});
        return;
      }
      if (typeof data.id === 'number') this.lastEventId = Math.max(this.lastEventId ?? 0, data.id);
      this.options.onEvent(data as JobEvent);
    };
    socket.onclose = () => {
      if (this.closed || this.socket !== socket) return;
      this.socket = null;
      this.fallBack();
    };
  }

  /** Polls while the socket is down, and tries it again later (1 s, doubling up to 30 s). */
  private fallBack() {
    if (this.poll === undefined) {
      this.options.onMode('polling');
      void this.options.refresh().catch(() => {});
      this.poll = setInterval(() => void this.options.refresh().catch(() => {}), this.options.pollMs ?? 3000);
    }
    this.retry = setTimeout(() => this.connect(), this.delay);
    this.delay = Math.min(this.delay * 2, 30_000);
  }
}

/**
 * Runs `task` at most once at a time; a call while it runs asks for one more run after it, `gapMs` later, so a burst of
 * events (a replay, ffmpeg's progress) costs a few requests, within the surface's rate limit (10 a second).
 */
export function coalesce(task: () => Promise<void>, gapMs = 300): () => Promise<void> {
  let running: Promise<void> | null = null;
  let again = false;
  const run = async (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await task();
          if (again) await new Promise((resolve) => setTimeout(resolve, gapMs));
        } while (again);
      } finally {
        running = null;
      }
    })();
    return running;
  };
  return run;
}
