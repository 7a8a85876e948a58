// One scan kept live: its status from the status stream (Server-Sent Events: one status at once, another after each
// change) and its frames, first every page of them, then after each status the ones after the last frame held.
import { ApiFailure } from '../api';
import { scanStatus, framesAfter, statusStreamUrl, explainScan, type FrameRecord, type ScanStatus } from './api';

export type LiveState = 'loading' | 'live' | 'reconnecting' | 'ended' | 'stopped' | 'missing' | 'error';

export class LiveScan {
  status = $state<ScanStatus | null>(null);
  frames = $state.raw<FrameRecord[]>([]);
  state = $state<LiveState>('loading');
  error = $state<string | null>(null);
  private stream: EventSource | null = null;
  private fetching = false;
  private again = false;
  private closed = false;

  constructor(private readonly scanId: string) {}

  async open() {
    try {
      this.status = await scanStatus(this.scanId);
      this.frames = await framesAfter(this.scanId, -1);
    } catch (e) {
      if (e instanceof ApiFailure && e.status === 404) this.state = 'missing';
      else {
        this.state = 'error';
        this.error = explainScan(e, 'The scan could not be loaded');
      }
      return;
    }
    if (this.closed) return;
    if (this.status.status === 'completed') {
      this.state = 'ended';
      return;
    }
    this.listen();
  }

  /** A status from lock or complete: shown at once (the stream says the same soon after). */
  take(status: ScanStatus) {
    this.status = status;
    void this.catchUp();
  }

  close() {
    this.closed = true;
    this.stream?.close();
    this.stream = null;
  }

  private listen() {
    const url = statusStreamUrl(this.scanId);
    if (!url) return;
    const stream = new EventSource(url);
    this.stream = stream;
    stream.addEventListener('open', () => {
      if (this.stream === stream) this.state = 'live';
    });
    stream.addEventListener('status', (event) => {
      const status = JSON.parse((event as MessageEvent<string>).data) as ScanStatus;
      this.status = status;
      this.state = 'live';
      void this.catchUp();
      // The stream ends once the scan completes: no reconnecting after that.
      if (status.status === 'completed') {
        stream.close();
        this.state = 'ended';
      }
    });
    stream.addEventListener('error', () => {
      if (this.stream !== stream || this.state === 'ended') return;
      // The browser reconnects by itself unless the server refused the stream (closed): then it stays stopped.
      this.state = stream.readyState === EventSource.CLOSED ? 'stopped' : 'reconnecting';
    });
  }

  /** Fetches the frames the status counts and the page lacks; one fetch at a time, again if a status came meanwhile. */
  private async catchUp() {
    if (this.fetching) {
      this.again = true;
      return;
    }
    this.fetching = true;
    try {
      do {
        this.again = false;
        const want = this.status?.frameCount ?? 0;
        if (this.frames.length >= want) continue;
        const last = this.frames.length ? this.frames[this.frames.length - 1].frameNumber : -1;
        let frames = [...this.frames, ...(await framesAfter(this.scanId, last))];
        // A frame numbered below the last one held arrived late: read them all again.
        if (frames.length < want) frames = await framesAfter(this.scanId, -1);
        if (!this.closed) this.frames = frames;
      } while (this.again && !this.closed);
    } catch (e) {
      this.error = explainScan(e, 'New frames could not be loaded');
    } finally {
      this.fetching = false;
    }
  }
}
