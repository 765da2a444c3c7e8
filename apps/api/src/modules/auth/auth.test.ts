import type { AuthResult } from '@carebook/contracts';
import { describe, expect, it } from 'vitest';
import { describeAppEachDialect } from '../../../test/support/app';
import { bearer, expectProblem, PASSWORD, register, uniqueEmail } from '../../../test/support/http';

describeAppEachDialect('identity', (t) => {
  const login = (email: string, password = PASSWORD, headers: Record<string, string> = {}) =>
    t().app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password }, headers });

  describe('register', () => {
    it('signs a patient up verified and signed in', async () => {
      const email = uniqueEmail('Pat');
      const result = await register(t().app, { email: `  ${email.toUpperCase()} `.trim() });
      expect(result.user).toMatchObject({
        email: email.toLowerCase(),
        role: 'patient',
        verified: true,
        status: 'active',
      });
      const me = await t().app.inject({ url: '/api/v1/me', headers: bearer(result.tokens.accessToken) });
      expect(me.statusCode).toBe(200);
      expect(me.json().id).toBe(result.user.id);
    });

    it('marks a provider sign-up unverified', async () => {
      const result = await register(t().app, { role: 'provider' });
      expect(result.user).toMatchObject({ role: 'provider', verified: false });
    });

    it('keeps the first account when the same e-mail signs up again in any case', async () => {
      const email = uniqueEmail();
      await register(t().app, { email });
      const res = await t().app.inject({
        method: 'POST',
        url: '/api/v1/auth/register',
        payload: { email: email.toUpperCase(), password: 'another-password-1', displayName: 'Again' },
      });
      expect(res.statusCode).toBe(202);
      const old = await t().app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email, password: PASSWORD },
      });
      expect(old.statusCode).toBe(200);
      const taken = await t().app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email, password: 'another-password-1' },
      });
      expectProblem(taken, 401, 'INVALID_CREDENTIALS');
    });

    it('cannot self-register as admin or staff', async () => {
      for (const role of ['admin', 'staff']) {
        const res = await t().app.inject({
          method: 'POST',
          url: '/api/v1/auth/register',
          payload: { email: uniqueEmail(), password: PASSWORD, displayName: 'X', role },
        });
        const problem = expectProblem(res, 400, 'VALIDATION_FAILED') as unknown as {
          errors: { path: string }[];
        };
        expect(problem.errors.map((e) => e.path)).toContain('/body/role');
      }
    });

    it('rejects a short password with a field path', async () => {
      const res = await t().app.inject({
        method: 'POST',
        url: '/api/v1/auth/register',
        payload: { email: uniqueEmail(), password: 'short', displayName: 'X' },
      });
      const problem = expectProblem(res, 400, 'VALIDATION_FAILED') as unknown as {
        errors: { path: string }[];
      };
      expect(problem.errors).toEqual([expect.objectContaining({ path: '/body/password' })]);
    });
  });

  describe('login', () => {
    it('gives identical answers for an unknown e-mail and a wrong password', async () => {
      const { user } = await register(t().app);
      const unknown = await login(uniqueEmail('nobody'), 'whatever-password');
      const wrong = await login(user.email, 'wrong-password-here');
      const a = expectProblem(unknown, 401, 'INVALID_CREDENTIALS');
      const b = expectProblem(wrong, 401, 'INVALID_CREDENTIALS');
      const strip = ({ requestId: _r, ...rest }: Record<string, unknown>) => rest;
      expect(strip(a)).toEqual(strip(b));
      expect(Object.keys(unknown.headers).sort()).toEqual(Object.keys(wrong.headers).sort());
    });

    it('throttles an account after repeated failures, with Retry-After, and recovers after the window', async () => {
      const { user } = await register(t().app);
      const limit = t().config.auth.loginFailureLimitPerAccount;
      for (let i = 0; i < limit; i++)
        expectProblem(await login(user.email, 'nope-nope-nope'), 401, 'INVALID_CREDENTIALS');
      const blocked = await login(user.email, PASSWORD);
      expectProblem(blocked, 429, 'TOO_MANY_REQUESTS');
      expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
      t().clock.advance((t().config.auth.loginFailureWindowSeconds + 1) * 1000);
      expect((await login(user.email)).statusCode).toBe(200);
    });

    it('throttles an IP that sprays many accounts', async () => {
      const ip = { 'x-forwarded-for': '203.0.113.9' };
      const limit = t().config.auth.loginFailureLimitPerIp;
      // trustProxy is off, so spoofed headers do not change request.ip: all share 127.0.0.1.
      // Use a fresh window so earlier tests' failures do not count.
      t().clock.advance((t().config.auth.loginFailureWindowSeconds + 1) * 1000);
      const { user } = await register(t().app);
      for (let i = 0; i < limit; i++) await login(uniqueEmail('spray'), 'nope-nope-nope', ip);
      expectProblem(await login(user.email), 429, 'TOO_MANY_REQUESTS');
      t().clock.advance((t().config.auth.loginFailureWindowSeconds + 1) * 1000);
    });

    it('records success and failure in the audit trail', async () => {
      t().clock.advance((t().config.auth.loginFailureWindowSeconds + 1) * 1000);
      const { user } = await register(t().app);
      await login(user.email, 'wrong-password-x');
      expect((await login(user.email)).statusCode).toBe(200);
      const rows = await t()
        .db.dbs.inventory.db.selectFrom('audit_events')
        .select(['action', 'target_id', 'ip'])
        .where((eb) =>
          eb.or([eb('target_id', '=', user.id), eb('details', 'like', `%"userId":"${user.id}"%`)]),
        )
        .execute();
      const actions = rows.map((r) => r.action);
      expect(actions).toContain('auth.login_failed');
      expect(actions).toContain('auth.login_succeeded');
      expect(rows.every((r) => r.ip === '127.0.0.1')).toBe(true);
      // The failure names the account by a keyed hash of the address, never the address.
      expect(rows.find((r) => r.action === 'auth.login_failed')?.target_id).toMatch(/^h1\./);
      expect(JSON.stringify(rows)).not.toContain(user.email);
    });
  });

  describe('refresh tokens', () => {
    const refresh = (refreshToken: string) =>
      t().app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken } });

    it('rotates on every use', async () => {
      const first = await register(t().app);
      const res = await refresh(first.tokens.refreshToken);
      expect(res.statusCode).toBe(200);
      const second = res.json() as AuthResult;
      expect(second.tokens.refreshToken).not.toBe(first.tokens.refreshToken);
      expect(second.tokens.sessionId).toBe(first.tokens.sessionId);
      expect((await refresh(second.tokens.refreshToken)).statusCode).toBe(200);
    });

    it('revokes the whole session family when a used token comes back', async () => {
      const first = await register(t().app);
      const second = (await refresh(first.tokens.refreshToken)).json() as AuthResult;
      // the thief replays the first token
      expectProblem(await refresh(first.tokens.refreshToken), 401, 'REFRESH_TOKEN_REUSED');
      // the legitimate holder's newer token and access token are dead too
      expectProblem(await refresh(second.tokens.refreshToken), 401, 'INVALID_REFRESH_TOKEN');
      const me = await t().app.inject({ url: '/api/v1/me', headers: bearer(second.tokens.accessToken) });
      expectProblem(me, 401, 'INVALID_TOKEN');
      const audit = await t()
        .db.dbs.inventory.db.selectFrom('audit_events')
        .select('action')
        .where('target_id', '=', first.tokens.sessionId)
        .where('action', '=', 'auth.refresh_token_reused')
        .execute();
      expect(audit).toHaveLength(1);
    });

    it('lets exactly one of two concurrent uses of one token win', async () => {
      const first = await register(t().app);
      const results = await Promise.all([
        refresh(first.tokens.refreshToken),
        refresh(first.tokens.refreshToken),
      ]);
      const codes = results.map((r) => r.statusCode).sort();
      expect(codes).toEqual([200, 401]);
      expect(results.every((r) => r.statusCode < 500)).toBe(true);
    });

    it('rejects an unknown token and one past the session lifetime', async () => {
      expectProblem(await refresh('x'.repeat(43)), 401, 'INVALID_REFRESH_TOKEN');
      const first = await register(t().app);
      t().clock.advance((t().config.auth.refreshTokenTtlSeconds + 1) * 1000);
      expectProblem(await refresh(first.tokens.refreshToken), 401, 'INVALID_REFRESH_TOKEN');
    });
  });

  describe('sessions', () => {
    it('logout ends the session at once', async () => {
      const { tokens } = await register(t().app);
      const out = await t().app.inject({
        method: 'POST',
        url: '/api/v1/auth/logout',
        headers: bearer(tokens.accessToken),
      });
      expect(out.statusCode).toBe(204);
      expectProblem(
        await t().app.inject({ url: '/api/v1/me', headers: bearer(tokens.accessToken) }),
        401,
        'INVALID_TOKEN',
      );
      const again = await t().app.inject({
        method: 'POST',
        url: '/api/v1/auth/refresh',
        payload: { refreshToken: tokens.refreshToken },
      });
      expectProblem(again, 401, 'INVALID_REFRESH_TOKEN');
    });

    it('lists and revokes your own sessions; another user’s session is a 404', async () => {
      const a = await register(t().app);
      const a2 = (await login(a.user.email)).json() as AuthResult;
      const b = await register(t().app);
      const list = await t().app.inject({ url: '/api/v1/sessions', headers: bearer(a.tokens.accessToken) });
      const items = list.json().items as { id: string; current: boolean }[];
      expect(items.map((s) => s.id).sort()).toEqual([a.tokens.sessionId, a2.tokens.sessionId].sort());
      expect(items.find((s) => s.current)?.id).toBe(a.tokens.sessionId);

      const foreign = await t().app.inject({
        method: 'DELETE',
        url: `/api/v1/sessions/${b.tokens.sessionId}`,
        headers: bearer(a.tokens.accessToken),
      });
      expectProblem(foreign, 404, 'NOT_FOUND');
      expect(
        (await t().app.inject({ url: '/api/v1/me', headers: bearer(b.tokens.accessToken) })).statusCode,
      ).toBe(200);

      const own = await t().app.inject({
        method: 'DELETE',
        url: `/api/v1/sessions/${a2.tokens.sessionId}`,
        headers: bearer(a.tokens.accessToken),
      });
      expect(own.statusCode).toBe(204);
      expectProblem(
        await t().app.inject({ url: '/api/v1/me', headers: bearer(a2.tokens.accessToken) }),
        401,
        'INVALID_TOKEN',
      );
    });

    it('password change signs out every other session and keeps this one', async () => {
      const a = await register(t().app);
      const other = (await login(a.user.email)).json() as AuthResult;
      const wrong = await t().app.inject({
        method: 'POST',
        url: '/api/v1/me/password',
        headers: bearer(a.tokens.accessToken),
        payload: { currentPassword: 'not-the-password', newPassword: 'a-brand-new-password' },
      });
      expectProblem(wrong, 400, 'VALIDATION_FAILED');
      const res = await t().app.inject({
        method: 'POST',
        url: '/api/v1/me/password',
        headers: bearer(a.tokens.accessToken),
        payload: { currentPassword: PASSWORD, newPassword: 'a-brand-new-password' },
      });
      expect(res.json()).toEqual({ otherSessionsRevoked: 1 });
      expectProblem(
        await t().app.inject({ url: '/api/v1/me', headers: bearer(other.tokens.accessToken) }),
        401,
        'INVALID_TOKEN',
      );
      expect(
        (await t().app.inject({ url: '/api/v1/me', headers: bearer(a.tokens.accessToken) })).statusCode,
      ).toBe(200);
      expectProblem(await login(a.user.email), 401, 'INVALID_CREDENTIALS');
      expect((await login(a.user.email, 'a-brand-new-password')).statusCode).toBe(200);
    });
  });
});
