import type { AuthResult } from '@carebook/contracts';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { linkToken } from './mailbox';

let counter = 0;
export const uniqueEmail = (prefix = 'user') =>
  `${prefix}.${Date.now().toString(36)}.${++counter}@example.test`;
export const PASSWORD = 'correct-horse-battery';

type NewAccount = Partial<{
  email: string;
  password: string;
  displayName: string;
  role: 'patient' | 'provider';
}>;

/**
 * A signed-up account with its address confirmed the way a person does it: the link from the
 * verification e-mail in the dev mailbox. Returns the session of a sign-in after that.
 */
export async function register(app: FastifyInstance, body: NewAccount = {}): Promise<AuthResult> {
  const account = { email: uniqueEmail(), password: PASSWORD, displayName: 'Test Person', ...body };
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/register', payload: account });
  expect(res.statusCode, res.body).toBe(202);
  const token = await linkToken(app, account.email.trim().toLowerCase(), 'verify-email');
  const verified = await app.inject({ method: 'POST', url: '/api/v1/auth/verify-email', payload: { token } });
  expect(verified.statusCode, verified.body).toBe(200);
  const login = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: account.email, password: account.password },
  });
  expect(login.statusCode, login.body).toBe(200);
  return login.json() as AuthResult;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Asserts an RFC 9457 problem with the given status and code, and returns its body. */
export function expectProblem(res: LightMyRequestResponse, status: number, code: string) {
  expect(res.statusCode, res.body).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = res.json() as {
    type: string;
    title: string;
    status: number;
    code: string;
    detail: string;
    requestId: string;
  };
  expect(body).toMatchObject({ status, code });
  expect(body.type).toMatch(/^urn:carebook:problem:/);
  expect(body.title.length).toBeGreaterThan(0);
  expect(body.detail.length).toBeGreaterThan(0);
  expect(body.requestId).toBe(res.headers['x-request-id']);
  return body;
}
