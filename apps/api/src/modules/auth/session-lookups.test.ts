import { expect, it } from 'vitest';
import { describeAppEachDialect } from '../../../test/support/app';
import { bearer, register } from '../../../test/support/http';
import { castOf } from '../../../test/support/providers';
import { DomainError } from '../../domain/errors';

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'ok',
    (err: unknown) => (err instanceof DomainError ? err.code : String(err)),
  );

describeAppEachDialect('session look-ups made together', (t) => {
  it('each request of one turn gets its own principal; revoked, suspended and mismatched sessions are refused', async () => {
    const { app, services } = t();
    const cast = await castOf(t());
    const [a, b, revoked, suspended] = await Promise.all([
      register(app),
      register(app),
      register(app),
      register(app),
    ]);
    const logout = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: bearer(revoked.tokens.accessToken),
    });
    expect(logout.statusCode, logout.body).toBe(204);
    const suspend = await app.inject({
      method: 'POST',
      url: `/api/v1/admin/users/${suspended.user.id}/suspend`,
      headers: bearer(cast.admin.tokens.accessToken),
      payload: { reason: 'Testing' },
    });
    expect(suspend.statusCode, suspend.body).toBe(200);

    // All asked in the same turn of the event loop: one batch.
    const auth = services.auth;
    const [pa, pb, pOwner, cRevoked, cSuspended, cMismatch, cUnknown] = await Promise.all([
      auth.authenticate(a.tokens.accessToken),
      auth.authenticate(b.tokens.accessToken),
      auth.authenticate(cast.owner.tokens.accessToken),
      codeOf(auth.authenticate(revoked.tokens.accessToken)),
      codeOf(auth.authenticate(suspended.tokens.accessToken)),
      codeOf(auth.principalForSession(a.user.id, b.tokens.sessionId)),
      codeOf(auth.principalForSession(a.user.id, '00000000-0000-4000-8000-000000000000')),
    ]);
    expect(pa).toMatchObject({ userId: a.user.id, sessionId: a.tokens.sessionId, role: 'patient' });
    expect(pb).toMatchObject({ userId: b.user.id, sessionId: b.tokens.sessionId, role: 'patient' });
    expect(pOwner).toMatchObject({
      userId: cast.owner.user.id,
      role: 'provider',
      actsForProviderId: cast.owner.user.id,
    });
    expect([cRevoked, cSuspended, cMismatch, cUnknown]).toEqual([
      'INVALID_TOKEN',
      'ACCOUNT_SUSPENDED',
      'INVALID_TOKEN',
      'INVALID_TOKEN',
    ]);
  });

  it('nothing is kept between batches: a session revoked after a request fails on the very next one', async () => {
    const { app } = t();
    const who = await register(app);
    const h = bearer(who.tokens.accessToken);
    // Requests in flight together share a look-up, and each is answered.
    const before = await Promise.all(
      Array.from({ length: 5 }, () => app.inject({ url: '/api/v1/sessions', headers: h })),
    );
    expect(before.map((r) => r.statusCode)).toEqual([200, 200, 200, 200, 200]);
    const logout = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: h });
    expect(logout.statusCode, logout.body).toBe(204);
    const after = await app.inject({ url: '/api/v1/sessions', headers: h });
    expect(after.statusCode).toBe(401);
    expect(after.json().code).toBe('INVALID_TOKEN');
  });
});
