// Calls to the platform API with the session's bearer token. Failures become ApiFailure with a sentence for people;
// a 401 ends the session (the app then shows sign-in with "Your session has expired").
import { session } from './session.svelte';

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly fields: Record<string, string[]> = {},
  ) {
    super(message);
  }
}

interface Problem {
  title?: string;
  detail?: string;
  errors?: Record<string, string[]>;
  error_description?: string;
}

const unreachable = 'Scanport could not be reached: check your connection and try again.';
const expired = 'Your session has expired: sign in again.';

/** What one surface's error body says in its own shape: its message and the fields it names, when it says them. */
export type ErrorReader = (answer: unknown) => { message?: string; fields?: Record<string, string[]> };

/** The platform API's errors: RFC 9457 problem details, or RFC 6749's error_description. */
const problemDetails: ErrorReader = (answer) => {
  const problem = (answer ?? {}) as Problem;
  return { message: problem.detail ?? problem.error_description ?? problem.title, fields: problem.errors };
};

/** The session's token, or an ApiFailure(401): the session has ended and sign-in takes over. */
export function bearer(): string {
  const token = session.token();
  if (!token) throw new ApiFailure(401, expired);
  return token;
}

/**
 * A call to any of Scanport's surfaces with the session's bearer token: a JSON body (or a form, sent as it is), a JSON
 * answer. A failure becomes an ApiFailure with a sentence for people, read from the surface's error shape by `reader`;
 * a 401 ends the session (the app then shows sign-in with "Your session has expired").
 */
export async function request<T>(method: string, url: string, body: unknown, reader: ErrorReader): Promise<T> {
  const headers: Record<string, string> = { Authorization: `Bearer ${bearer()}`, Accept: 'application/json' };
  const form = body instanceof FormData || body instanceof URLSearchParams;
  if (body !== undefined && !form) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(url, { method, headers, body: body === undefined ? undefined : form ? body : JSON.stringify(body) });
  } catch {
    throw new ApiFailure(0, unreachable);
  }
  if (!response.ok) throw await refused(response.status, () => response.json(), reader);
  return response.status === 204 ? (undefined as T) : ((await response.json()) as T);
}

/** A platform API call. */
export const call = <T>(method: string, path: string, body?: unknown) => request<T>(method, path, body, problemDetails);

/** What a refused request says, from its status and its body (read by `body`, in the shape `reader` knows). */
export async function refused(status: number, body: () => Promise<unknown>, reader: ErrorReader): Promise<ApiFailure> {
  if (status === 401) {
    session.expire();
    return new ApiFailure(401, expired);
  }
  let said: ReturnType<ErrorReader> = {};
  try {
    said = reader(await body());
  } catch {
    // Not JSON: the status says enough.
  }
  const fallback =
    status === 403 ? 'You are not allowed to do this.'
    : status === 404 ? 'Not found.'
    : status === 413 ? 'The file is too large.'
    : status === 429 ? 'Too many requests: wait a minute and try again.'
    : status >= 500 ? 'Scanport failed to answer: try again, and tell your administrator if it goes on.'
    : `The request was refused (${status}).`;
  return new ApiFailure(status, said.message || fallback, said.fields ?? {});
}

export interface TokenAnswer {
  access_token: string;
  token_type: string;
  expires_in: number;
}

/** RFC 6749's password grant, as the platform API documents it (form-encoded). */
export async function signIn(email: string, password: string): Promise<TokenAnswer> {
  let response: Response;
  try {
    response = await fetch('/platform/v1/oauth/token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'password', username: email, password }),
    });
  } catch {
    throw new ApiFailure(0, unreachable);
  }
  if (response.ok) return (await response.json()) as TokenAnswer;
  const answer = (await response.json().catch(() => ({}))) as Problem & { error?: string };
  if (answer.error === 'invalid_grant' && answer.error_description?.startsWith('Invalid'))
    throw new ApiFailure(response.status, 'The email or password is wrong. Check them and try again.');
  if (response.status === 429) throw new ApiFailure(429, 'Too many sign-in attempts: wait a minute and try again.');
  throw new ApiFailure(response.status, answer.error_description ?? `Sign-in failed (${response.status}): try again.`);
}
