import { expect, it } from 'vitest';
import { describeAppEachDialect } from '../../../test/support/app';
import { bearer, register } from '../../../test/support/http';
import { castOf } from '../../../test/support/providers';

describeAppEachDialect('a provider verified by an admin hears it live', (t) => {
  it('pushes account.changed through the outbox to the provider’s own socket', async () => {
    const cast = await castOf(t());
    const provider = await register(t().app, { role: 'provider' });
    expect(provider.user.verified).toBe(false);
    const ws = await t().app.injectWS('/api/v1/ws');
    const messages: { type: string; change?: string }[] = [];
    ws.on('message', (raw: Buffer) => messages.push(JSON.parse(raw.toString())));
    ws.send(JSON.stringify({ type: 'auth', token: provider.tokens.accessToken }));
    await expect.poll(() => messages.map((m) => m.type)).toContain('ready');

    const verified = await t().app.inject({
      method: 'POST',
      url: `/api/v1/admin/users/${provider.user.id}/verify`,
      headers: bearer(cast.admin.tokens.accessToken),
    });
    expect(verified.statusCode, verified.body).toBe(200);
    t().services.relay.nudge();
    await expect
      .poll(() => messages.find((m) => m.type === 'account.changed'), { timeout: 15_000 })
      .toMatchObject({ type: 'account.changed', change: 'provider_verified' });
    // What the tab then refetches says so.
    const me = await t().app.inject({ url: '/api/v1/me', headers: bearer(provider.tokens.accessToken) });
    expect(me.json()).toMatchObject({ verified: true });
    ws.terminate();
  });
});
