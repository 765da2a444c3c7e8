import type { AuthResult, Problem } from '@carebook/contracts';
import { CONSISTENCY_HEADER, consistencyToken, rememberConsistency } from './consistency';
import { ApiError, networkProblem } from './problem';
import { noteSuspension } from './sign-out-reason';
import { tokens } from './tokens';

export type Query = Record<
  string,
  string | number | boolean | readonly (string | number)[] | undefined | null
>;

export interface RequestOptions {
  method?: string;
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** Send the bearer token (default true when one is held). */
  auth?: boolean;
}

function toSearch(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) for (const v of value) params.append(key, String(v));
    else params.append(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

let refreshing: Promise<boolean> | null = null;

/** Trades the refresh token for a new pair, once at a time however many requests hit a 401. */
export function refreshSession(): Promise<boolean> {
  if (refreshing) return refreshing;
  if (!tokens.refresh()) return Promise.resolve(false);
  refreshing = (async () => {
    try {
      return await acrossTabs(rotate);
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

/**
 * Tabs share the refresh token (localStorage). Two tabs presenting the same token at once would
 * look like token theft and revoke the session, so rotations are serialised with a Web Lock and
 * each reads the token current when its turn comes.
 */
function acrossTabs<T>(fn: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  return locks ? (locks.request('carebook.refresh', fn) as Promise<T>) : fn();
}

async function rotate(): Promise<boolean> {
  const refreshToken = tokens.refresh();
  if (!refreshToken) return false;
  try {
    const res = await fetch('/api/v1/auth/refresh', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken }),
    });
    if (!res.ok) {
      // 401/403 means the session is over; anything else (5xx, network) keeps it for a retry.
      await noteSuspension(res);
      if (res.status === 401 || res.status === 403) tokens.clear();
      return false;
    }
    const result = (await res.json()) as AuthResult;
    tokens.set(result.tokens);
    return true;
  } catch {
    return false;
  }
}

async function send(path: string, options: RequestOptions, isRetry: boolean): Promise<Response> {
  const headers = new Headers(options.headers);
  let body: BodyInit | undefined;
  if (options.body instanceof FormData) body = options.body;
  else if (options.body !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(options.body);
  }
  const access = tokens.access();
  if (options.auth !== false && access) headers.set('authorization', `Bearer ${access}`);
  // Read-your-writes: the position of this browser's last writes (api/consistency.ts).
  const consistency = consistencyToken();
  if (consistency) headers.set(CONSISTENCY_HEADER, consistency);
  let res: Response;
  try {
    res = await fetch(`${path}${toSearch(options.query)}`, {
      method: options.method ?? (body ? 'POST' : 'GET'),
      headers,
      body: body ?? null,
      signal: options.signal ?? null,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(networkProblem());
  }
  rememberConsistency(res.headers.get(CONSISTENCY_HEADER));
  // Suspended while signed in: the session is over, and the sign-in page says why.
  if (options.auth !== false && access && (await noteSuspension(res))) tokens.clear();
  const mayRefresh = options.auth !== false && !isRetry && tokens.refresh() !== null;
  if (res.status === 401 && mayRefresh && (await refreshSession())) return send(path, options, true);
  return res;
}

async function problemOf(res: Response): Promise<Problem> {
  try {
    return (await res.json()) as Problem;
  } catch {
    return {
      type: 'about:blank',
      title: res.statusText || 'Error',
      status: res.status,
      detail: `The server answered ${res.status}.`,
      code: res.status >= 500 ? 'INTERNAL' : 'UNKNOWN',
      requestId: res.headers.get('x-request-id') ?? '',
    };
  }
}

/** One typed call to the API. Errors are ApiError carrying the problem+json body. */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const res = await send(path, options, false);
  if (!res.ok) throw new ApiError(await problemOf(res));
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** A non-JSON answer (a calendar file) as a Blob, with the same auth and errors as apiRequest. */
export async function apiBlob(path: string): Promise<Blob> {
  const res = await send(path, {}, false);
  if (!res.ok) throw new ApiError(await problemOf(res));
  return res.blob();
}
