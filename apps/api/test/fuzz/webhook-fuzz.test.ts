import type { Booking } from '@carebook/contracts';
import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import { signStripePayload } from '../../src/adapters/payments/stripe-events';
import { resolveWebhookSecret } from '../../src/adapters/payments/webhook-secret';
import { describeAppEachDialect } from '../support/app';
import { at, book, type Ctx, type Practice, practice, WED_0900_NY } from '../support/bookings';
import { bearer } from '../support/http';
import { Findings, send } from './attack';
import { hostileValue } from './hostile';
import { pathsOf, replaceAt } from './spec-operations';

const SEED = 20261206;
const WEBHOOK = { method: 'POST', path: '/api/v1/payments/webhook' };

describeAppEachDialect('payment webhook fuzz', (t) => {
  let p: Practice;
  let booking: Booking;
  beforeAll(async () => {
    p = await practice(t() as Ctx);
    const res = await book(t().app, p.cast.patient.tokens.accessToken, {
      providerId: p.listing.id,
      serviceId: p.paid,
      start: at(WED_0900_NY, 60),
    });
    expect(res.statusCode, res.body).toBe(201);
    booking = res.json() as Booking;
  });

  const event = () => ({
    id: `evt_fuzz_${booking.id}`,
    object: 'event',
    type: 'payment_intent.succeeded',
    created: Math.floor(t().clock.now().getTime() / 1000),
    data: {
      object: {
        id: booking.payment?.intentId,
        object: 'payment_intent',
        amount: booking.priceCents,
        currency: booking.currency.toLowerCase(),
        status: 'succeeded',
        metadata: { bookingId: booking.id },
      },
    },
  });
  const sign = (payload: string) => signStripePayload(payload, resolveWebhookSecret(t().config), t().clock);
  const status = async () =>
    (
      (
        await t().app.inject({
          url: `/api/v1/bookings/${booking.id}`,
          headers: bearer(p.cast.patient.tokens.accessToken),
        })
      ).json() as Booking
    ).status;

  it('bad, missing, replayed-with-another-body and foreign signatures are refused and change nothing', async () => {
    const findings = new Findings();
    const payload = JSON.stringify(event());
    const good = sign(payload);
    const signatures = [
      undefined,
      '',
      'garbage',
      't=,v1=',
      `t=${'9'.repeat(400)},v1=00`,
      good.replace(/v1=[0-9a-f]+/, 'v1=deadbeef'),
      good.replace(/t=\d+/, 't=1'),
      signStripePayload(payload, 'whsec_not_ours', t().clock),
      `${good.split(',')[0]},${'v1=ab,'.repeat(2000)}`,
      'x'.repeat(9000),
    ];
    for (const signature of signatures) {
      for (const body of [payload, `${payload} `, '', '{}']) {
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (signature !== undefined) headers['stripe-signature'] = signature;
        const res = await t().app.inject({ method: 'POST', url: WEBHOOK.path, headers, payload: body });
        expect(res.statusCode, `${signature?.slice(0, 40)} | ${body.slice(0, 10)}`).toBe(400);
        await send(
          t().app,
          findings,
          WEBHOOK,
          { method: 'POST', url: WEBHOOK.path, headers, payload: body },
          'sig',
        );
      }
    }
    expect(findings.list()).toEqual([]);
    expect(await status()).toBe('payment_pending');
  });

  it('correctly signed events of every wrong shape answer 4xx problems or are ignored, never 5xx', async () => {
    const findings = new Findings();
    const sample = event();
    const cases = fc.sample(fc.tuple(fc.constantFrom(...pathsOf(sample)), hostileValue), {
      seed: SEED,
      numRuns: 120,
    });
    for (const [path, value] of cases) {
      const body = JSON.stringify(replaceAt(sample, path, value));
      if (body === undefined) continue;
      const headers = { 'content-type': 'application/json', 'stripe-signature': sign(body) };
      await send(
        t().app,
        findings,
        WEBHOOK,
        { method: 'POST', url: WEBHOOK.path, headers, payload: body },
        `/${path.join('/')}`,
      );
    }
    for (const body of [
      'not json',
      '[]',
      'null',
      '"event"',
      '{"type":"payment_intent.succeeded"}',
      '{"id":"evt_x"}',
    ]) {
      const headers = { 'content-type': 'text/plain', 'stripe-signature': sign(body) };
      await send(
        t().app,
        findings,
        WEBHOOK,
        { method: 'POST', url: WEBHOOK.path, headers, payload: body },
        body,
      );
    }
    expect(findings.list()).toEqual([]);
  });

  it('a body over the limit is refused as too large; a replayed event is harmless', async () => {
    const huge = JSON.stringify({ ...event(), pad: 'x'.repeat(1_100_000) });
    const res = await t().app.inject({
      method: 'POST',
      url: WEBHOOK.path,
      headers: { 'content-type': 'application/json', 'stripe-signature': sign(huge) },
      payload: huge,
    });
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const payload = JSON.stringify({ ...event(), id: `evt_replay_${booking.id}` });
    const deliver = () =>
      t().app.inject({
        method: 'POST',
        url: WEBHOOK.path,
        headers: { 'content-type': 'application/json', 'stripe-signature': sign(payload) },
        payload,
      });
    expect((await deliver()).json()).toMatchObject({ result: 'applied' });
    expect((await deliver()).json()).toMatchObject({ result: 'duplicate' });
    expect(await status()).toBe('confirmed');
  });
});
