import type { AuthResult } from '@carebook/contracts';
import { describe, expect, it } from 'vitest';
import { describeAppEachDialect } from '../../../test/support/app';
import { bearer, expectProblem, PASSWORD, register, uniqueEmail } from '../../../test/support/http';
import { linkToken, mailText } from '../../../test/support/mailbox';
import { listingInput } from '../../../test/support/providers';

/** A body with its ids and instants masked: what must not differ between two answers. */
const shape = (body: string) =>
  body
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<id>')
    .replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, '<instant>');

describeAppEachDialect('accounts: sign-up, e-mail verification and password reset', (t) => {
  const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
    t().app.inject({ method: 'POST', url, payload: payload as object, headers });
  const login = (email: string, password = PASSWORD) => post('/api/v1/auth/login', { email, password });
  const signUp = async (body: { role?: 'patient' | 'provider' } = {}) => {
    const email = uniqueEmail('unconfirmed');
    const res = await post('/api/v1/auth/register', {
      email,
      password: PASSWORD,
      displayName: 'Test Person',
      ...body,
    });
    expect(res.statusCode, res.body).toBe(202);
    return email;
  };
  /**
   * A session of an account whose address is not confirmed: one opened before sign-in required a
   * confirmed address (sign-in now refuses it), made here by confirming the address for a moment.
   */
  const unconfirmedSession = async (body: { role?: 'patient' | 'provider' } = {}) => {
    const email = await signUp(body);
    const users = t().db.dbs.inventory.db;
    await users
      .updateTable('users')
      .set({ email_verified_at: '2026-01-01T00:00:00.000Z' })
      .where('email', '=', email)
      .execute();
    const res = await login(email);
    await users.updateTable('users').set({ email_verified_at: null }).where('email', '=', email).execute();
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as AuthResult;
  };

  describe('sign-up', () => {
    it('answers a new and an already registered address identically, and mails each owner', async () => {
      const existing = await register(t().app, { displayName: 'First Owner' });
      const fresh = uniqueEmail('fresh');
      const forNew = await post('/api/v1/auth/register', {
        email: fresh,
        password: PASSWORD,
        displayName: 'New Person',
      });
      const forExisting = await post('/api/v1/auth/register', {
        email: existing.user.email,
        password: 'another-password-2',
        displayName: 'Someone Else',
      });
      expect(forNew.statusCode).toBe(202);
      expect(forExisting.statusCode).toBe(202);
      expect(shape(forExisting.body)).toBe(shape(forNew.body));
      const headers = (h: Record<string, unknown>) =>
        Object.keys(h)
          .filter(
            (k) =>
              ![
                'x-request-id',
                'date',
                'content-length',
                'x-ratelimit-remaining',
                'x-ratelimit-reset',
              ].includes(k),
          )
          .sort()
          .map((k) => `${k}: ${k === 'content-length' ? '' : h[k]}`);
      expect(headers(forExisting.headers)).toEqual(headers(forNew.headers));
      expect(await mailText(t().app, fresh, /Confirm your e-mail/)).toMatch(/verify-email#token=/);
      expect(await mailText(t().app, existing.user.email, /Someone tried to sign up/)).toMatch(
        /sign-in[\s\S]*forgot-password/,
      );
      // The existing account is untouched.
      expect((await login(existing.user.email)).statusCode).toBe(200);
      expectProblem(await login(existing.user.email, 'another-password-2'), 401, 'INVALID_CREDENTIALS');
    });

    it('signs an unconfirmed account in only once confirmed; only the password holder learns why, and gets the link again', async () => {
      const email = await signUp();
      const first = await linkToken(t().app, email, 'verify-email');
      // A wrong password: the same answer as for an address with no account.
      const wrong = await login(email, 'not-the-password-1');
      const unknown = await login(uniqueEmail('nobody'), 'not-the-password-1');
      expectProblem(wrong, 401, 'INVALID_CREDENTIALS');
      expectProblem(unknown, 401, 'INVALID_CREDENTIALS');
      expect(shape(wrong.body)).toBe(shape(unknown.body));
      // The right password: told to confirm, no tokens, and a new link is on its way.
      const refused = await login(email);
      expect(expectProblem(refused, 403, 'EMAIL_NOT_CONFIRMED').detail).toMatch(/sent you a new link/);
      expect(refused.body).not.toMatch(/accessToken|refreshToken/);
      const second = await linkToken(t().app, email, 'verify-email');
      expect(second).not.toBe(first);
      // Past the resend limit it still says so, without another mail (and without a 429).
      for (let i = 0; i < t().config.auth.accountMailLimitPerAddress; i++) await login(email);
      const limited = await login(email);
      expect(expectProblem(limited, 403, 'EMAIL_NOT_CONFIRMED').detail).toMatch(/open the link we sent you/);
      expect((await post('/api/v1/auth/verify-email', { token: second })).statusCode).toBe(200);
      const signedIn = await login(email);
      expect(signedIn.statusCode, signedIn.body).toBe(200);
      expect((signedIn.json() as AuthResult).user.emailVerified).toBe(true);
    });

    it('a session of an unconfirmed account (opened before confirmation was required) cannot book or create a listing', async () => {
      const patient = await unconfirmedSession();
      const before = await t().app.inject({ url: '/api/v1/me', headers: bearer(patient.tokens.accessToken) });
      expect(before.json()).toMatchObject({ emailVerified: false });
      const booking = await post(
        '/api/v1/bookings',
        {
          providerId: '0190a000-0000-7000-8000-000000000001',
          serviceId: '0190a000-0000-7000-8000-000000000002',
          start: '2026-12-01T15:00:00.000Z',
          reasonForVisit: '',
          newPatient: true,
        },
        { ...bearer(patient.tokens.accessToken), 'idempotency-key': 'k-1' },
      );
      expectProblem(booking, 403, 'EMAIL_NOT_VERIFIED');
      const provider = await unconfirmedSession({ role: 'provider' });
      expectProblem(
        await post('/api/v1/providers', listingInput(), bearer(provider.tokens.accessToken)),
        403,
        'EMAIL_NOT_VERIFIED',
      );
      // Confirmed through the link, the same session may go on (the next request reads it).
      const token = await linkToken(t().app, provider.user.email, 'verify-email');
      const verified = await post('/api/v1/auth/verify-email', { token });
      expect(verified.statusCode, verified.body).toBe(200);
      expect(verified.json()).toMatchObject({ email: provider.user.email });
      const created = await post('/api/v1/providers', listingInput(), bearer(provider.tokens.accessToken));
      expect(created.statusCode, created.body).toBe(201);
      const me = await t().app.inject({ url: '/api/v1/me', headers: bearer(provider.tokens.accessToken) });
      expect(me.json()).toMatchObject({ emailVerified: true });
    });

    it('uses a verification link once, and not after it expires; a resend brings a new one', async () => {
      const email = await signUp();
      const token = await linkToken(t().app, email, 'verify-email');
      t().clock.advance((t().config.auth.emailVerificationTtlHours * 3600 + 1) * 1000);
      expectProblem(await post('/api/v1/auth/verify-email', { token }), 400, 'ACCOUNT_LINK_INVALID');
      // Signing in with the password asks for confirmation and sends a new link.
      expectProblem(await login(email), 403, 'EMAIL_NOT_CONFIRMED');
      const fresh = await linkToken(t().app, email, 'verify-email');
      expect(fresh).not.toBe(token);
      expect((await post('/api/v1/auth/verify-email', { token: fresh })).statusCode).toBe(200);
      expectProblem(await post('/api/v1/auth/verify-email', { token: fresh }), 400, 'ACCOUNT_LINK_INVALID');
      expectProblem(
        await post('/api/v1/auth/verify-email', { token: 'x'.repeat(43) }),
        400,
        'ACCOUNT_LINK_INVALID',
      );
    });
  });

  describe('password reset', () => {
    it('answers a known and an unknown address identically', async () => {
      const known = await register(t().app);
      const a = await post('/api/v1/auth/password-reset', { email: known.user.email });
      const b = await post('/api/v1/auth/password-reset', { email: uniqueEmail('nobody') });
      expect(a.statusCode).toBe(202);
      expect(b.statusCode).toBe(202);
      expect(a.body).toBe(b.body);
      await linkToken(t().app, known.user.email, 'reset-password');
    });

    it('sets the new password once, ends every session and refresh token, and tells the owner', async () => {
      const first = await register(t().app);
      const email = first.user.email;
      const second = (await login(email)).json() as AuthResult;
      await post('/api/v1/auth/password-reset', { email: email.toUpperCase() });
      const token = await linkToken(t().app, email, 'reset-password');
      expectProblem(
        await post('/api/v1/auth/password-reset/confirm', { token, newPassword: 'short' }),
        400,
        'VALIDATION_FAILED',
      );
      const done = await post('/api/v1/auth/password-reset/confirm', {
        token,
        newPassword: 'a-brand-new-password',
      });
      expect(done.statusCode, done.body).toBe(200);
      expect(done.json()).toEqual({ sessionsRevoked: 2 });
      for (const session of [first, second]) {
        expectProblem(
          await t().app.inject({ url: '/api/v1/me', headers: bearer(session.tokens.accessToken) }),
          401,
          'INVALID_TOKEN',
        );
        expectProblem(
          await post('/api/v1/auth/refresh', { refreshToken: session.tokens.refreshToken }),
          401,
          'INVALID_REFRESH_TOKEN',
        );
      }
      expectProblem(await login(email), 401, 'INVALID_CREDENTIALS');
      expect((await login(email, 'a-brand-new-password')).statusCode).toBe(200);
      expectProblem(
        await post('/api/v1/auth/password-reset/confirm', { token, newPassword: 'yet-another-password' }),
        400,
        'ACCOUNT_LINK_INVALID',
      );
      expect(await mailText(t().app, email, /password was changed/)).toMatch(/every device was signed out/);
      const audit = await t()
        .db.dbs.inventory.db.selectFrom('audit_events')
        .select(['action', 'details'])
        .where('target_id', '=', first.user.id)
        .where('action', '=', 'auth.password_reset')
        .execute();
      expect(audit).toHaveLength(1);
      expect(JSON.parse(audit[0]?.details ?? '{}')).toMatchObject({ sessionsRevoked: 2 });
    });

    it('refuses an expired link, and an older link once a newer one was used', async () => {
      const user = await register(t().app);
      await post('/api/v1/auth/password-reset', { email: user.user.email });
      const old = await linkToken(t().app, user.user.email, 'reset-password');
      t().clock.advance((t().config.auth.passwordResetTtlMinutes * 60 + 1) * 1000);
      expectProblem(
        await post('/api/v1/auth/password-reset/confirm', { token: old, newPassword: 'expired-password-1' }),
        400,
        'ACCOUNT_LINK_INVALID',
      );
      await post('/api/v1/auth/password-reset', { email: user.user.email });
      const older = await linkToken(t().app, user.user.email, 'reset-password');
      t().clock.advance(1000);
      await post('/api/v1/auth/password-reset', { email: user.user.email });
      const newer = await eventuallyDifferent(
        () => linkToken(t().app, user.user.email, 'reset-password'),
        older,
      );
      const used = await post('/api/v1/auth/password-reset/confirm', {
        token: newer,
        newPassword: 'fresh-password-12',
      });
      expect(used.statusCode, used.body).toBe(200);
      expectProblem(
        await post('/api/v1/auth/password-reset/confirm', { token: older, newPassword: 'older-password-12' }),
        400,
        'ACCOUNT_LINK_INVALID',
      );
    });

    it('throttles requests per address, for known and unknown addresses alike', async () => {
      t().clock.advance((t().config.auth.accountMailWindowSeconds + 1) * 1000);
      const limit = t().config.auth.accountMailLimitPerAddress;
      const known = await register(t().app);
      for (const email of [known.user.email, uniqueEmail('unknown')]) {
        for (let i = 0; i < limit; i++)
          expect((await post('/api/v1/auth/password-reset', { email })).statusCode).toBe(202);
        const refused = expectProblem(
          await post('/api/v1/auth/password-reset', { email }),
          429,
          'TOO_MANY_REQUESTS',
        );
        expect(refused.detail).toMatch(/minute/);
      }
      t().clock.advance((t().config.auth.accountMailWindowSeconds + 1) * 1000);
      expect((await post('/api/v1/auth/password-reset', { email: known.user.email })).statusCode).toBe(202);
      // The trail names the address typed by its keyed hash, never in clear; the account when any.
      const rows = await t()
        .db.dbs.inventory.db.selectFrom('audit_events')
        .selectAll()
        .where('action', '=', 'auth.password_reset_requested')
        .execute();
      expect(rows.length).toBeGreaterThan(limit);
      for (const row of rows) {
        expect(row.target_type).toBe('email_hmac');
        expect(JSON.stringify(row)).not.toContain('@');
      }
      expect(rows.filter((r) => JSON.parse(r.details).userId === known.user.id).length).toBe(limit + 1);
    });
  });
});

/** The newest link once it is not `previous` any more (the mail goes out after the response). */
async function eventuallyDifferent(read: () => Promise<string>, previous: string): Promise<string> {
  for (let i = 0; i < 200; i++) {
    const value = await read();
    if (value !== previous) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
  return read();
}
