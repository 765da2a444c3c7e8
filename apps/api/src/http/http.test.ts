import { describe, expect, it } from 'vitest';
import { describeAppEachDialect } from '../../test/support/app';
import { bearer, expectProblem, uniqueEmail } from '../../test/support/http';
import { demoAccounts, seedDemoAccounts } from '../modules/accounts/demo-accounts';

describeAppEachDialect(
  'HTTP conventions',
  (t) => {
    const post = (
      payload: string,
      headers: Record<string, string> = { 'content-type': 'application/json' },
    ) => t().app.inject({ method: 'POST', url: '/api/v1/auth/register', payload, headers });

    const users = async () =>
      Number(
        (
          await t()
            .db.dbs.inventory.db.selectFrom('users')
            .select((eb) => eb.fn.countAll<number | string>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    describe('bad input gets a clear 4xx problem and changes nothing', () => {
      it('malformed JSON', async () => {
        const before = await users();
        expectProblem(await post('{"email": "a@b.c", '), 400, 'MALFORMED_JSON');
        expect(await users()).toBe(before);
      });

      it('wrong types and unknown fields, each with its field path', async () => {
        const res = await post(
          JSON.stringify({ email: 42, password: ['x'], displayName: 'Valid Name', isAdmin: true }),
        );
        const body = expectProblem(res, 400, 'VALIDATION_FAILED') as unknown as {
          errors: { path: string }[];
        };
        expect(body.errors.map((e) => e.path).sort()).toEqual([
          '/body/email',
          '/body/isAdmin',
          '/body/password',
        ]);
      });

      it('does not coerce types in JSON bodies', async () => {
        const res = await post(
          JSON.stringify({ email: uniqueEmail(), password: 1234567890123, displayName: 'N' }),
        );
        const body = expectProblem(res, 400, 'VALIDATION_FAILED') as unknown as {
          errors: { path: string }[];
        };
        expect(body.errors.map((e) => e.path)).toEqual(['/body/password']);
      });

      it('an oversized body is refused before it is parsed', async () => {
        const before = await users();
        const huge = JSON.stringify({
          email: uniqueEmail(),
          password: 'x'.repeat(20),
          displayName: 'y'.repeat(5000),
        });
        expectProblem(await post(huge), 413, 'PAYLOAD_TOO_LARGE');
        expect(await users()).toBe(before);
      });

      it('a body that is not JSON', async () => {
        expectProblem(
          await post('email=a', { 'content-type': 'application/x-www-form-urlencoded' }),
          415,
          'UNSUPPORTED_MEDIA_TYPE',
        );
      });

      it('authentication runs before validation, so anonymous callers learn nothing about inputs', async () => {
        const res = await t().app.inject({
          url: '/api/v1/admin/users?pageSize=5000',
          headers: { authorization: 'Bearer x' },
        });
        expectProblem(res, 401, 'INVALID_TOKEN');
      });

      it('query strings and path parameters are validated with field paths', async () => {
        await seedDemoAccounts(t().db.dbs.inventory.db, t().services.hasher, t().clock);
        const admin = demoAccounts.find((a) => a.role === 'admin');
        const login = await t().app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email: admin?.email, password: admin?.password },
        });
        const headers = bearer(login.json().tokens.accessToken);
        const query = await t().app.inject({
          url: '/api/v1/admin/users?pageSize=5000&page=-1&colour=red',
          headers,
        });
        const q = expectProblem(query, 400, 'VALIDATION_FAILED') as unknown as { errors: { path: string }[] };
        expect(q.errors.map((e) => e.path).sort()).toEqual([
          '/query/colour',
          '/query/page',
          '/query/pageSize',
        ]);
        const path = await t().app.inject({ method: 'DELETE', url: '/api/v1/sessions/not-a-uuid', headers });
        const p = expectProblem(path, 400, 'VALIDATION_FAILED') as unknown as { errors: { path: string }[] };
        expect(p.errors.map((e) => e.path)).toEqual(['/path/id']);
      });
    });

    describe('errors everywhere are problems', () => {
      it('unknown routes', async () => {
        const res = await t().app.inject({ url: '/api/v1/nothing-here' });
        expect(expectProblem(res, 404, 'ROUTE_NOT_FOUND').detail).toContain('/api/v1/nothing-here');
      });

      it('honours a sane X-Request-Id and replaces an unsafe one', async () => {
        const ok = await t().app.inject({
          url: '/api/v1/nowhere',
          headers: { 'x-request-id': 'trace-abc.123' },
        });
        expect(ok.headers['x-request-id']).toBe('trace-abc.123');
        expect(ok.json().requestId).toBe('trace-abc.123');
        const bad = await t().app.inject({
          url: '/api/v1/nowhere',
          headers: { 'x-request-id': 'x\u0000<script>' },
        });
        expect(bad.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
      });

      it('an unexpected error is a 500 problem that leaks nothing', async () => {
        const { app } = t();
        const res = await app.inject({ url: '/api/v1/__test__/explode' });
        const body = expectProblem(res, 500, 'INTERNAL_ERROR');
        expect(JSON.stringify(body)).not.toMatch(/secret-internal|stack|at Object/);
        expect(body.detail).toContain(body.requestId);
      });
    });
  },
  { BODY_LIMIT_BYTES: '2048' },
);
