import type { AuthResult, Problem, User } from '@carebook/contracts';

/** A problem+json error from the API, with its plain-words detail. */
export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
}

async function request<T>(path: string, init: RequestInit = {}, token?: string): Promise<T> {
  const headers = new Headers(init.headers);
  if (init.body) headers.set('content-type', 'application/json');
  if (token) headers.set('authorization', `Bearer ${token}`);
  let res: Response;
  try {
    res = await fetch(path, { ...init, headers });
  } catch {
    throw new ApiError({
      type: 'about:blank',
      title: 'Network error',
      status: 0,
      detail: 'Carebook could not be reached. Check your connection and try again.',
      code: 'NETWORK',
      requestId: '',
    });
  }
  if (res.status === 204) return undefined as T;
  const body = (await res.json()) as T | Problem;
  if (!res.ok) throw new ApiError(body as Problem);
  return body as T;
}

export const api = {
  login: (email: string, password: string) =>
    request<AuthResult>('/api/v1/auth/login', { method: 'POST', body: JSON.stringify({ email, password }) }),
  logout: (token: string) => request<void>('/api/v1/auth/logout', { method: 'POST' }, token),
  me: (token: string) => request<User>('/api/v1/me', {}, token),
  health: () => request<{ status: string }>('/readyz'),
};
