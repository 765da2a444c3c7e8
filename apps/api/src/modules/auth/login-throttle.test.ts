import type { AuditEvent, AuthResult } from '@carebook/contracts';
import { expect, it } from 'vitest';
import { describeAppEachDialect } from '../../../test/support/app';
import { bearer, expectProblem, PASSWORD, register, uniqueEmail } from '../../../test/support/http';
import { demoAccounts, seedDemoAccounts } from '../accounts/demo-accounts';

describeAppEachDialect('login throttling per account and IP', (t) => {
  const login = (email: string, password: string, ip: string) =>
    t().app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password },
      remoteAddress: ip,
    });
  const fresh = () => t().clock.advance((t().config.auth.loginFailureWindowSeconds + 1) * 1000);

  it('a stranger guessing from elsewhere cannot lock the owner out', async () => {
    fresh();
    const { user } = await register(t().app);
    const stranger = '198.51.100.66';
    let refused = 0;
    for (let i = 0; i < 12; i++) {
      const res = await login(user.email, `guess-number-${i}`, stranger);
      if (res.statusCode === 429) refused++;
      else expectProblem(res, 401, 'INVALID_CREDENTIALS');
    }
    expect(refused).toBeGreaterThan(0);
    // The owner, from their own address, with the right password: in at once.
    expect((await login(user.email, PASSWORD, '192.0.2.10')).statusCode).toBe(200);
  });

  it('slows one account+IP down with growing delays, never a hard lock', async () => {
    fresh();
    const { user } = await register(t().app);
    const ip = '198.51.100.7';
    const free = t().config.auth.loginFailureLimitPerAccount;
    for (let i = 0; i < free; i++)
      expectProblem(await login(user.email, 'wrong-password-x', ip), 401, 'INVALID_CREDENTIALS');
    const delays: number[] = [];
    for (let round = 0; round < 4; round++) {
      const held = await login(user.email, 'wrong-password-x', ip);
      expectProblem(held, 429, 'TOO_MANY_REQUESTS');
      const wait = Number(held.headers['retry-after']);
      delays.push(wait);
      t().clock.advance(wait * 1000);
      expectProblem(await login(user.email, 'wrong-password-x', ip), 401, 'INVALID_CREDENTIALS');
    }
    expect(delays[0]).toBeGreaterThan(0);
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThan(delays[i - 1] as number);
    // After the delay the right password works from that address too, and resets the count.
    const wait = Number((await login(user.email, PASSWORD, ip)).headers['retry-after']);
    t().clock.advance(wait * 1000);
    expect((await login(user.email, PASSWORD, ip)).statusCode).toBe(200);
    expectProblem(await login(user.email, 'wrong-password-x', ip), 401, 'INVALID_CREDENTIALS');
  });

  it('records failed sign-ins under a keyed hash of the address, never the address; admins see the name or "Unknown account"', async () => {
    fresh();
    const { user } = await register(t().app, { displayName: 'Hashed Hanna' });
    const stranger = uniqueEmail('nobody');
    const ip = '198.51.100.21';
    expectProblem(await login(user.email, 'wrong-password-1', ip), 401, 'INVALID_CREDENTIALS');
    expectProblem(await login(stranger, 'wrong-password-2', ip), 401, 'INVALID_CREDENTIALS');
    const raw = JSON.stringify(
      await t()
        .db.dbs.inventory.db.selectFrom('audit_events')
        .selectAll()
        .where('action', '=', 'auth.login_failed')
        .execute(),
    );
    expect(raw).not.toContain(user.email);
    expect(raw).not.toContain(stranger);
    expect(raw).not.toContain(stranger.split('@')[0]);

    // A row written before addresses were hashed keeps its address; the view still never shows it.
    const legacyEmail = user.email;
    await t().services.audit.record(
      {
        action: 'auth.login_failed',
        actor: null,
        target: { type: 'email', id: legacyEmail },
        details: { reason: 'wrong_password' },
      },
      { ip, requestId: 'legacy', userAgent: null },
    );

    await seedDemoAccounts(t().db.dbs.inventory.db, t().services.hasher, t().clock);
    const a = demoAccounts.find((d) => d.role === 'admin');
    const signedIn = await t().app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: a?.email, password: a?.password },
    });
    expect(signedIn.statusCode, signedIn.body).toBe(200);
    const admin = signedIn.json() as AuthResult;
    const res = await t().app.inject({
      url: '/api/v1/admin/audit-events?action=auth.login_failed&pageSize=3',
      headers: bearer(admin.tokens.accessToken),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).not.toContain(user.email);
    expect(res.body).not.toContain(stranger);
    const [legacy, unknown, known] = (res.json() as { items: AuditEvent[] }).items;
    expect(legacy?.targetName).toBe('Hashed Hanna');
    expect(legacy?.targetId).toBeNull();
    expect(unknown?.targetName).toBe('Unknown account');
    expect(known?.targetName).toBe('Hashed Hanna');
    expect(known?.targetType).toBe('email_hmac');
  });
});
