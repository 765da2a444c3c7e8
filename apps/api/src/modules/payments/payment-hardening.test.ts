import type { Booking } from '@carebook/contracts';
import { beforeAll, expect, it } from 'vitest';
import { describeAppEachDialect } from '../../../test/support/app';
import {
  at,
  book,
  type Ctx,
  type Practice,
  pay,
  practice,
  WED_0900_NY,
} from '../../../test/support/bookings';
import { bearer } from '../../../test/support/http';
import { signStripePayload } from '../../adapters/payments/stripe-events';
import { resolveWebhookSecret } from '../../adapters/payments/webhook-secret';
import type { Clock } from '../../ports/clock';

const MINUTE = 60_000;

describeAppEachDialect('payments hardening', (t) => {
  let p: Practice;
  beforeAll(async () => {
    p = await practice(t() as Ctx);
  });

  const succeeded = (b: Booking, over: { amount?: number; currency?: string; id?: string } = {}) =>
    JSON.stringify({
      id: over.id ?? `evt_${b.id}`,
      object: 'event',
      type: 'payment_intent.succeeded',
      created: Math.floor(t().clock.now().getTime() / 1000),
      data: {
        object: {
          id: b.payment?.intentId,
          object: 'payment_intent',
          amount: over.amount ?? b.priceCents,
          currency: over.currency ?? b.currency.toLowerCase(),
          status: 'succeeded',
          metadata: { bookingId: b.id },
        },
      },
    });
  const deliver = (payload: string, clock: Clock = t().clock) =>
    t().app.inject({
      method: 'POST',
      url: '/api/v1/payments/webhook',
      headers: {
        'content-type': 'application/json',
        'stripe-signature': signStripePayload(payload, resolveWebhookSecret(t().config), clock),
      },
      payload,
    });
  const hold = async (minutes: number) => {
    const res = await book(t().app, p.cast.patient.tokens.accessToken, {
      providerId: p.listing.id,
      serviceId: p.paid,
      start: at(WED_0900_NY, minutes),
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Booking;
  };
  const status = async (id: string) =>
    (
      await t().app.inject({
        url: `/api/v1/bookings/${id}`,
        headers: bearer(p.cast.patient.tokens.accessToken),
      })
    ).json() as Booking;

  it('refuses a webhook signature dated 10 minutes in the future (and takes one 4 minutes ahead)', async () => {
    const booking = await hold(0);
    const ahead = (ms: number): Clock => ({ now: () => new Date(t().clock.now().getTime() + ms) });
    const future = await deliver(succeeded(booking, { id: `evt_future_${booking.id}` }), ahead(10 * MINUTE));
    expect(future.statusCode).toBe(400);
    expect(future.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(future.json().detail).toMatch(/future/);
    expect((await status(booking.id)).status).toBe('payment_pending');
    const near = await deliver(succeeded(booking, { id: `evt_near_${booking.id}` }), ahead(4 * MINUTE));
    expect(near.statusCode, near.body).toBe(200);
    expect((await status(booking.id)).status).toBe('confirmed');
  });

  it('a succeeded payment of another amount or currency does not confirm the booking: refunded and audited', async () => {
    // The provider takes the money, but its own (correct) event is held back for this test.
    const { webhook } = t().services;
    const original = webhook.deliver;
    webhook.deliver = async () => {};
    const booking = await hold(60);
    const other = await hold(120);
    try {
      expect((await pay(t().app, booking)).statusCode).toBe(200);
      expect((await pay(t().app, other)).statusCode).toBe(200);
    } finally {
      webhook.deliver = original;
    }
    const wrongAmount = await deliver(succeeded(booking, { amount: 100 }));
    expect(wrongAmount.statusCode, wrongAmount.body).toBe(200);
    expect(wrongAmount.json()).toEqual({ received: true, result: 'refused' });
    const wrongCurrency = await deliver(succeeded(other, { currency: 'eur' }));
    expect(wrongCurrency.json()).toEqual({ received: true, result: 'refused' });

    for (const b of [booking, other]) {
      const now = await status(b.id);
      expect(now.status).toBe('payment_pending');
      expect(now.payment?.status).not.toBe('succeeded');
    }
    const intents = await t()
      .db.dbs.bookings.db.selectFrom('simulated_payment_intents')
      .select(['id', 'refunded_cents'])
      .where('id', 'in', [booking.payment?.intentId ?? '', other.payment?.intentId ?? ''])
      .execute();
    const refunded = new Map(intents.map((i) => [i.id, i.refunded_cents]));
    expect(refunded.get(booking.payment?.intentId ?? '')).toBe(booking.priceCents);
    expect(refunded.get(other.payment?.intentId ?? '')).toBe(other.priceCents);
    const audited = await t()
      .db.dbs.inventory.db.selectFrom('audit_events')
      .select(['target_id', 'patient_id', 'details'])
      .where('action', '=', 'payment.amount_mismatch')
      .orderBy('seq')
      .execute();
    expect(audited.map((a) => a.target_id)).toEqual([booking.id, other.id]);
    expect(audited[0]?.patient_id).toBe(p.cast.patient.user.id);
    expect(JSON.parse(audited[0]?.details ?? '{}')).toMatchObject({
      expected: { amountCents: booking.priceCents, currency: 'USD' },
      received: { amountCents: 100, currency: 'USD' },
      refund: 'succeeded',
    });
    expect(JSON.parse(audited[1]?.details ?? '{}')).toMatchObject({
      received: { amountCents: other.priceCents, currency: 'EUR' },
      refund: 'succeeded',
    });
  });
});
