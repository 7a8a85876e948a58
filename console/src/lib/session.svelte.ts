// The signed-in person's token, kept in sessionStorage (this tab only, gone when it closes) with its expiry.
// When it expires, or any call answers 401, the person is sent back to sign-in with a message.
const key = 'scanport.session';

export interface Stored {
  token: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
  email: string;
}

export const expiredMessage = 'Your session has expired: sign in again.';

function read(): Stored | null {
  try {
    const stored = JSON.parse(sessionStorage.getItem(key) ?? 'null') as Stored | null;
    return stored && typeof stored.token === 'string' && typeof stored.expiresAt === 'number' ? stored : null;
  } catch {
    return null;
  }
}

class Session {
  current = $state<Stored | null>(null);
  /** Said on the sign-in page: why the person is there (expired, signed out). */
  notice = $state<string | null>(null);
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor() {
    const stored = read();
    if (stored && stored.expiresAt <= Date.now()) {
      sessionStorage.removeItem(key);
      this.notice = expiredMessage;
    } else if (stored) {
      this.set(stored);
    }
  }

  get signedIn() {
    return this.current !== null;
  }

  /** The token, or null when there is none or it has expired (which signs the person out with the message). */
  token(): string | null {
    if (this.current && this.current.expiresAt <= Date.now()) this.expire();
    return this.current?.token ?? null;
  }

  start(token: string, expiresInSeconds: number, email: string) {
    this.notice = null;
    this.set({ token, expiresAt: Date.now() + expiresInSeconds * 1000, email });
  }

  expire() {
    this.end(expiredMessage);
  }

  signOut() {
    this.end('You have signed out.');
  }

  private set(stored: Stored) {
    this.current = stored;
    sessionStorage.setItem(key, JSON.stringify(stored));
    clearTimeout(this.timer);
    // setTimeout takes at most 2^31-1 ms; a longer token is checked again on each call anyway.
    this.timer = setTimeout(() => this.token(), Math.min(stored.expiresAt - Date.now() + 50, 2 ** 31 - 1));
  }

  private end(notice: string) {
    clearTimeout(this.timer);
    sessionStorage.removeItem(key);
    this.current = null;
    this.notice = notice;
  }
}

export const session = new Session();
