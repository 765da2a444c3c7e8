import { expect, it } from 'vitest';
import { describeAppEachDialect } from '../../../test/support/app';
import { bearer, expectProblem, PASSWORD, register } from '../../../test/support/http';
import { castOf } from '../../../test/support/providers';

describeAppEachDialect('a suspended user is told why', (t) => {
  it('at the next request of an open session, at refresh and at sign-in, with the admin’s reason', async () => {
    const cast = await castOf(t());
    const user = await register(t().app);
    const suspend = await t().app.inject({
      method: 'POST',
      url: `/api/v1/admin/users/${user.user.id}/suspend`,
      headers: bearer(cast.admin.tokens.accessToken),
      payload: { reason: 'Repeated no-shows.' },
    });
    expect(suspend.statusCode, suspend.body).toBe(200);
    const answers = [
      await t().app.inject({ url: '/api/v1/me', headers: bearer(user.tokens.accessToken) }),
      await t().app.inject({
        method: 'POST',
        url: '/api/v1/auth/refresh',
        payload: { refreshToken: user.tokens.refreshToken },
      }),
      await t().app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: user.user.email, password: PASSWORD },
      }),
    ];
    for (const res of answers)
      expect(expectProblem(res, 403, 'ACCOUNT_SUSPENDED').detail).toBe(
        'This account is suspended: Repeated no-shows. Contact support if you think this is a mistake.',
      );
    // The sign-in answer names the reason only after the right password.
    expectProblem(
      await t().app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: user.user.email, password: 'not-the-password' },
      }),
      401,
      'INVALID_CREDENTIALS',
    );
  });
});
