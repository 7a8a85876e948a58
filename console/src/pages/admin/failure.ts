// What a failed admin call says to the person: what went wrong, in words, and what to do about it.
import { ApiFailure } from '../../lib/api';

const field = (name: string) => name.replace(/_ids?$/, (m) => (m === '_ids' ? 's' : '')).replaceAll('_', ' ');

/**
 * A sentence for a failure of `what` ("The user was not created"), or null for a 401, after which the console goes back
 * to sign-in with its own message. `conflict` says what to do when the API answers 409 (a name already taken).
 */
export function explain(e: unknown, what: string, conflict = 'Change it and try again.'): string | null {
  if (!(e instanceof ApiFailure)) return `${what}: something unexpected went wrong. Reload the page and try again.`;
  switch (e.status) {
    case 401:
      return null;
    case 0:
      return e.message;
    case 403:
      return `${what}: only administrators may do this. If you should be one, ask an administrator of your organization.`;
    case 404:
      return `${what}: it no longer exists (someone may have deleted it). Reload the page to see what is there now.`;
    case 409:
      return `${what}: ${e.message}. ${conflict}`.trim();
  }
  const fields = Object.entries(e.fields).map(([name, reasons]) => `${field(name)} ${reasons.join(', ')}`);
  if (fields.length) return `${what}: ${fields.join('; ')}. Correct ${fields.length === 1 ? 'it' : 'them'} and try again.`;
  return `${what}: ${e.message}`;
}
