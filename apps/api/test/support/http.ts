import type { AuthResult } from '@carebook/contracts';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';

let counter = 0;
export const uniqueEmail = (prefix = 'user') =>
  `${prefix}.${Date.now().toString(36)}.${++counter}@example.test`;
export const PASSWORD = 'correct-horse-battery';

export async function register(
  app: FastifyInstance,
  body: Partial<{ email: string; password: string; displayName: string; role: 'patient' | 'provider' }> = {},
): Promise<AuthResult> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/register',
    payload: { email: uniqueEmail(), password: PASSWORD, displayName: 'Test Person', ...body },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as AuthResult;
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
