// Who the signed-in person is (GET /platform/v1/me): the console shows the admin pages to admins only. The API refuses
// everyone else anyway (403); this only keeps the links and pages away from people who cannot use them.
import { call, ApiFailure } from './api';
import type { Me } from './types';

class Caller {
  current = $state<Me | null>(null);
  error = $state<string | null>(null);
  private token: string | null = null;

  get isAdmin() {
    return this.current?.role === 'admin';
  }

  /** Asks the API once per token: a new token (another person, a new sign-in) asks again. */
  load(token: string) {
    if (this.token === token) return;
    this.token = token;
    this.current = null;
    this.error = null;
    call<Me>('GET', '/platform/v1/me').then(
      (answer) => {
        if (this.token === token) this.current = answer;
      },
      (e) => {
        if (this.token !== token || (e instanceof ApiFailure && e.status === 401)) return;
        this.error = `Your role could not be checked (${e instanceof ApiFailure ? e.message : 'unknown error'}): reload the page, and tell your administrator if it goes on.`;
      },
    );
  }

  clear() {
    this.token = null;
    this.current = null;
    this.error = null;
  }
}

export const me = new Caller();
