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

export async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const token = session.token();
  if (!token) throw new ApiFailure(401, 'Your session has expired: sign in again.');
  const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch {
    throw new ApiFailure(0, unreachable);
  }
  if (response.status === 401) {
    session.expire();
    throw new ApiFailure(401, 'Your session has expired: sign in again.');
  }
  if (!response.ok) throw await failure(response);
  return response.status === 204 ? (undefined as T) : ((await response.json()) as T);
}

async function failure(response: Response): Promise<ApiFailure> {
  let problem: Problem = {};
  try {
    problem = (await response.json()) as Problem;
  } catch {
    // Not JSON: the status says enough.
  }
  const said = problem.detail ?? problem.error_description ?? problem.title;
  const fallback =
    response.status === 403 ? 'You are not allowed to do this.'
    : response.status === 404 ? 'Not found.'
    : response.status === 429 ? 'Too many requests: wait a minute and try again.'
    : response.status >= 500 ? 'Scanport failed to answer: try again, and tell your administrator if it goes on.'
    : `The request was refused (${response.status}).`;
  return new ApiFailure(response.status, said ?? fallback, problem.errors ?? {});
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
