import { expect, it } from 'vitest';
import { describeAppEachDialect } from '../../../test/support/app';
import { expectProblem, PASSWORD, register } from '../../../test/support/http';

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
});
