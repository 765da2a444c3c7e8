import type { AuthResult } from '@carebook/contracts';
import { SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { describeAppEachDialect } from '../../../test/support/app';
import { bearer, expectProblem, PASSWORD, register } from '../../../test/support/http';
import { demoAccounts, seedDemoAccounts } from '../accounts/demo-accounts';

const KEY = new Uint8Array(Buffer.alloc(32, 7));

describeAppEachDialect('access control', (t) => {
  const me = (token: string) => t().app.inject({ url: '/api/v1/me', headers: bearer(token) });

  async function forged(patch: {
    alg?: string;
    kid?: string;
    aud?: string;
    iss?: string;
    exp?: number;
    key?: Uint8Array;
  }) {
    const { user, tokens } = await register(t().app);
    const now = Math.floor(t().clock.now().getTime() / 1000);
    return new SignJWT({ sid: tokens.sessionId, role: 'admin' })
      .setProtectedHeader({ alg: patch.alg ?? 'HS256', kid: patch.kid ?? 'test-1' })
      .setSubject(user.id)
      .setIssuer(patch.iss ?? 'carebook')
      .setAudience(patch.aud ?? 'carebook-api')
      .setIssuedAt(now)
      .setExpirationTime(patch.exp ?? now + 600)
      .sign(patch.key ?? KEY);
  }

  describe('access tokens', () => {
    it('accepts a well-formed token signed with the ring key (control for the cases below)', async () => {
      expect((await me(await forged({}))).statusCode).toBe(200);
    });

    it('rejects alg: none', async () => {
      const { user, tokens } = await register(t().app);
      const unsigned = new UnsecuredJWT({ sid: tokens.sessionId, role: 'admin' })
        .setSubject(user.id)
        .setIssuer('carebook')
        .setAudience('carebook-api')
        .setIssuedAt()
        .setExpirationTime('10m')
        .encode();
      expectProblem(await me(unsigned), 401, 'INVALID_TOKEN');
    });

    it('rejects a bad signature', async () => {
      expectProblem(
        await me(await forged({ key: new Uint8Array(Buffer.alloc(32, 9)) })),
        401,
        'INVALID_TOKEN',
      );
      const { tokens } = await register(t().app);
      const tampered = `${tokens.accessToken.slice(0, -4)}AAAA`;
      expectProblem(await me(tampered), 401, 'INVALID_TOKEN');
    });

    it('rejects a wrong audience, a wrong issuer and an unknown key id', async () => {
      expectProblem(await me(await forged({ aud: 'someone-else' })), 401, 'INVALID_TOKEN');
      expectProblem(await me(await forged({ iss: 'evil' })), 401, 'INVALID_TOKEN');
      expectProblem(await me(await forged({ kid: 'nope' })), 401, 'INVALID_TOKEN');
    });

    it('rejects an expired token', async () => {
      const { tokens } = await register(t().app);
      expect((await me(tokens.accessToken)).statusCode).toBe(200);
      t().clock.advance((t().config.auth.accessTokenTtlSeconds + 1) * 1000);
      expectProblem(await me(tokens.accessToken), 401, 'INVALID_TOKEN');
    });

    it('takes the role from the database, not from the token claim', async () => {
      const token = await forged({}); // claims role admin, user is a patient
      expectProblem(
        await t().app.inject({ url: '/api/v1/admin/users', headers: bearer(token) }),
        403,
        'FORBIDDEN',
      );
    });

    it('rejects a missing or malformed Authorization header', async () => {
      expectProblem(await t().app.inject({ url: '/api/v1/me' }), 401, 'UNAUTHENTICATED');
      expectProblem(
        await t().app.inject({ url: '/api/v1/me', headers: { authorization: 'Basic abc' } }),
        401,
        'INVALID_TOKEN',
      );
    });
  });

  describe('roles and admin', () => {
    async function admin(): Promise<AuthResult> {
      await seedDemoAccounts(t().db.dbs.inventory.db, t().services.hasher, t().clock);
      const a = demoAccounts.find((d) => d.role === 'admin');
      const res = await t().app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: a?.email, password: a?.password },
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as AuthResult;
    }

    it('gives a patient 403 on every admin route', async () => {
      const { tokens, user } = await register(t().app);
      const h = bearer(tokens.accessToken);
      const calls = [
        { method: 'GET' as const, url: '/api/v1/admin/users' },
        { method: 'GET' as const, url: '/api/v1/admin/audit-events' },
        { method: 'POST' as const, url: `/api/v1/admin/users/${user.id}/role`, payload: { role: 'admin' } },
        {
          method: 'POST' as const,
          url: `/api/v1/admin/users/${user.id}/suspend`,
          payload: { reason: 'because' },
        },
        { method: 'POST' as const, url: `/api/v1/admin/users/${user.id}/verify` },
      ];
      for (const call of calls)
        expectProblem(await t().app.inject({ ...call, headers: h }), 403, 'FORBIDDEN');
      expect((await me(tokens.accessToken)).json().role).toBe('patient');
    });

    it('lets an admin list and filter users with a total', async () => {
      const adm = await admin();
      await register(t().app, { role: 'provider', displayName: 'Filterable Provider' });
      const res = await t().app.inject({
        url: '/api/v1/admin/users?role=provider&verified=false&pageSize=1',
        headers: bearer(adm.tokens.accessToken),
      });
      expect(res.statusCode).toBe(200);
      const body = res.json() as {
        items: { role: string; verified: boolean }[];
        total: number;
        pageSize: number;
      };
      expect(body.pageSize).toBe(1);
      expect(body.items).toHaveLength(1);
      expect(body.total).toBeGreaterThanOrEqual(1);
      expect(body.items.every((u) => u.role === 'provider' && !u.verified)).toBe(true);
    });

    it('suspension stops a user’s existing token at once; unsuspension needs a new sign-in', async () => {
      const adm = await admin();
      const victim = await register(t().app);
      expect((await me(victim.tokens.accessToken)).statusCode).toBe(200);
      const res = await t().app.inject({
        method: 'POST',
        url: `/api/v1/admin/users/${victim.user.id}/suspend`,
        headers: bearer(adm.tokens.accessToken),
        payload: { reason: 'fraud report' },
      });
      expect(res.json()).toMatchObject({ status: 'suspended' });
      expectProblem(await me(victim.tokens.accessToken), 403, 'ACCOUNT_SUSPENDED');
      const login = () =>
        t().app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email: victim.user.email, password: PASSWORD },
        });
      expectProblem(await login(), 403, 'ACCOUNT_SUSPENDED');
      await t().app.inject({
        method: 'POST',
        url: `/api/v1/admin/users/${victim.user.id}/unsuspend`,
        headers: bearer(adm.tokens.accessToken),
        payload: { reason: 'cleared' },
      });
      expectProblem(await me(victim.tokens.accessToken), 401, 'INVALID_TOKEN');
      expect((await login()).statusCode).toBe(200);
    });

    it('changes roles (staff must name a provider), verifies providers, refuses self-changes', async () => {
      const adm = await admin();
      const h = bearer(adm.tokens.accessToken);
      const provider = await register(t().app, { role: 'provider' });
      const person = await register(t().app);
      const post = (url: string, payload?: unknown) =>
        t().app.inject({ method: 'POST', url, headers: h, payload: payload as object });

      expectProblem(
        await post(`/api/v1/admin/users/${person.user.id}/role`, { role: 'staff' }),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(
        await post(`/api/v1/admin/users/${person.user.id}/role`, {
          role: 'staff',
          providerId: person.user.id,
        }),
        400,
        'VALIDATION_FAILED',
      );
      const staff = await post(`/api/v1/admin/users/${person.user.id}/role`, {
        role: 'staff',
        providerId: provider.user.id,
      });
      expect(staff.json()).toMatchObject({ role: 'staff', providerId: provider.user.id });
      // The role change ended the sessions opened under the old role.
      expectProblem(await me(person.tokens.accessToken), 401, 'INVALID_TOKEN');
      const again = await t().app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: person.user.email, password: PASSWORD },
      });
      expect((await me((again.json() as AuthResult).tokens.accessToken)).json().role).toBe('staff');

      expectProblem(await post(`/api/v1/admin/users/${person.user.id}/verify`), 409, 'CONFLICT');
      expect((await post(`/api/v1/admin/users/${provider.user.id}/verify`)).json()).toMatchObject({
        verified: true,
      });
      expectProblem(
        await post(`/api/v1/admin/users/${adm.user.id}/role`, { role: 'patient' }),
        409,
        'CONFLICT',
      );
      expectProblem(
        await post(`/api/v1/admin/users/${adm.user.id}/suspend`, { reason: 'oops me' }),
        409,
        'CONFLICT',
      );
      expectProblem(
        await post('/api/v1/admin/users/01a20000-0000-7000-8000-000000000000/verify'),
        404,
        'NOT_FOUND',
      );
    });

    it('records admin actions in a filterable, paginated audit trail that cannot be altered', async () => {
      const adm = await admin();
      const target = await register(t().app);
      await t().app.inject({
        method: 'POST',
        url: `/api/v1/admin/users/${target.user.id}/suspend`,
        headers: bearer(adm.tokens.accessToken),
        payload: { reason: 'audit check' },
      });
      const res = await t().app.inject({
        url: `/api/v1/admin/audit-events?action=admin.user_suspended&targetId=${target.user.id}`,
        headers: bearer(adm.tokens.accessToken),
      });
      const body = res.json() as { items: Record<string, unknown>[]; total: number };
      expect(body.total).toBe(1);
      expect(body.items[0]).toMatchObject({
        action: 'admin.user_suspended',
        actorId: adm.user.id,
        actorRole: 'admin',
        targetType: 'user',
        targetId: target.user.id,
        ip: '127.0.0.1',
        details: { reason: 'audit check', sessionsRevoked: 1 },
      });
      expect(body.items[0]?.requestId).toEqual(expect.any(String));

      const page1 = await t().app.inject({
        url: '/api/v1/admin/audit-events?pageSize=2&page=1',
        headers: bearer(adm.tokens.accessToken),
      });
      const page2 = await t().app.inject({
        url: '/api/v1/admin/audit-events?pageSize=2&page=2',
        headers: bearer(adm.tokens.accessToken),
      });
      const ids1 = (page1.json().items as { id: string }[]).map((e) => e.id);
      const ids2 = (page2.json().items as { id: string }[]).map((e) => e.id);
      expect(ids1).toHaveLength(2);
      expect(ids1.filter((id) => ids2.includes(id))).toEqual([]);
      expect(page1.json().total).toBe(page2.json().total);

      const db = t().db.dbs.inventory.db;
      await expect(db.updateTable('audit_events').set({ action: 'tampered' }).execute()).rejects.toThrow(
        /append-only/,
      );
      await expect(db.deleteFrom('audit_events').execute()).rejects.toThrow(/append-only/);
    });
  });
});
