import type { AuthResult } from '@carebook/contracts';
import { expect, it } from 'vitest';
import { describeAppEachDialect } from '../../test/support/app';
import { bearer, PASSWORD, register } from '../../test/support/http';
import { linkToken } from '../../test/support/mailbox';

describeAppEachDialect('Cache-Control: no-store on tokens and personal data', (t) => {
  it('is sent with every token-bearing and personal response, and not on public ones', async () => {
    const app = t().app;
    const email = `ns-${Date.now()}@example.test`;
    const reg = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/register',
      payload: { email, password: PASSWORD, displayName: 'No Store' },
    });
    const unconfirmed = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: PASSWORD },
    });
    expect(unconfirmed.statusCode).toBe(403);
    const token = await linkToken(app, email, 'verify-email');
    expect(
      (await app.inject({ method: 'POST', url: '/api/v1/auth/verify-email', payload: { token } })).statusCode,
    ).toBe(200);
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password: PASSWORD },
    });
    const auth = login.json() as AuthResult;
    const refresh = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/refresh',
      payload: { refreshToken: (login.json() as AuthResult).tokens.refreshToken },
    });
    const failedLogin = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: auth.user.email, password: 'wrong-password-123' },
    });
    const h = bearer(auth.tokens.accessToken);
    const personal = await Promise.all(
      ['/api/v1/me', '/api/v1/sessions', '/api/v1/notifications', '/api/v1/me/access-log'].map((url) =>
        app.inject({ url, headers: h }),
      ),
    );
    for (const res of [reg, unconfirmed, login, refresh, failedLogin, ...personal])
      expect(res.headers['cache-control'], `${res.statusCode} ${res.body.slice(0, 80)}`).toBe('no-store');
    const other = await register(app);
    expect(
      (await app.inject({ url: '/api/v1/me', headers: bearer(other.tokens.accessToken) })).headers[
        'cache-control'
      ],
    ).toBe('no-store');
    const search = await app.inject({ url: '/api/v1/search?q=dentist' });
    expect(search.statusCode).toBe(200);
    expect(search.headers['cache-control'] ?? '').not.toContain('no-store');
  });
});
