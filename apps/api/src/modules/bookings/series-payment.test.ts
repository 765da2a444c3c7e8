import type { Booking, BookingSeries } from '@carebook/contracts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FakeStripeServer } from '../../../../../tools/stand-ins/fake-stripe-server';
import { buildTestApp, describeAppEachDialect, type TestApp } from '../../../test/support/app';
import {
  allowSeries,
  book,
  type Ctx,
  newKey,
  type Practice,
  pay,
  practice,
} from '../../../test/support/bookings';
import { describeEachDialect, type FreshDatabases } from '../../../test/support/databases';
import { bearer, expectProblem } from '../../../test/support/http';

const PRICE = 12_000; // the practice's paid service (serviceInput)

describeAppEachDialect('a paid series: one payment for the sum', (t) => {
  let p: Practice;
  beforeAll(async () => {
    p = await practice(t() as Ctx);
    await allowSeries(t() as Ctx, p);
  });
  const patient = () => p.cast.patient.tokens.accessToken;
  const post = (start: string, occurrences: number) =>
    t().app.inject({
      method: 'POST',
      url: '/api/v1/booking-series',
      headers: { ...bearer(patient()), 'idempotency-key': newKey() },
      payload: {
        providerId: p.listing.id,
        serviceId: p.paid,
        start,
        intervalWeeks: 1,
        occurrences,
        reasonForVisit: 'Weekly therapy',
        newPatient: false,
      },
    });
  const series = async (id: string) =>
    (
      await t().app.inject({ method: 'GET', url: `/api/v1/booking-series/${id}`, headers: bearer(patient()) })
    ).json() as BookingSeries;
  const statuses = (s: BookingSeries) => s.items.map((i) => i.booking.status);
  const settle = async () => {
    while ((await t().services.bookingsRelay.drain()) > 0);
  };
  const intent = (id: string) =>
    t()
      .db.dbs.bookings.db.selectFrom('simulated_payment_intents')
      .select(['amount_cents', 'refunded_cents', 'status'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();

  it('holds every date under one intent for the sum; paying it confirms them all; cancelling one refunds its part', async () => {
    const res = await post('2026-11-30T14:00:00.000Z', 3);
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json() as BookingSeries;
    expect(created).toMatchObject({ totalCents: 3 * PRICE, currency: 'USD' });
    expect(statuses(created)).toEqual(['payment_pending', 'payment_pending', 'payment_pending']);
    const intents = new Set(created.items.map((i) => i.booking.payment?.intentId));
    expect(intents.size).toBe(1);
    const first = created.items[0]?.booking as Booking;
    expect(await intent(first.payment?.intentId as string)).toMatchObject({ amount_cents: 3 * PRICE });
    // Read on its own (a pay page reached from the booking), a date names the series it pays for.
    const read = await t().app.inject({ url: `/api/v1/bookings/${first.id}`, headers: bearer(patient()) });
    expect(read.json()).toMatchObject({ id: first.id, seriesId: created.id });

    // The same payment step as a single paid booking: one payment, through the webhook.
    expect((await pay(t().app, first)).statusCode).toBe(200);
    await settle();
    const paid = await series(created.id);
    expect(statuses(paid)).toEqual(['confirmed', 'confirmed', 'confirmed']);

    // Cancelling date 2 (well before the cancellation window) refunds that date's price only.
    const second = paid.items[1]?.booking as Booking;
    const cancelled = await t().app.inject({
      method: 'POST',
      url: `/api/v1/bookings/${second.id}/cancel`,
      headers: bearer(patient()),
      payload: {},
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(await intent(first.payment?.intentId as string)).toMatchObject({ refunded_cents: PRICE });
    // Then the rest of the series from date 3: its part too; date 1 stays paid and confirmed.
    const rest = await t().app.inject({
      method: 'POST',
      url: `/api/v1/booking-series/${created.id}/cancel`,
      headers: bearer(patient()),
      payload: { fromOccurrence: 3 },
    });
    expect(rest.statusCode, rest.body).toBe(200);
    expect(statuses(rest.json() as BookingSeries)).toEqual(['confirmed', 'cancelled', 'cancelled']);
    expect(await intent(first.payment?.intentId as string)).toMatchObject({ refunded_cents: 2 * PRICE });
    const rows = await t()
      .db.dbs.bookings.db.selectFrom('bookings')
      .select(['id', 'payment_status', 'refunded_cents'])
      .where('payment_intent_id', '=', first.payment?.intentId as string)
      .orderBy('start_at')
      .execute();
    expect(rows.map((r) => [r.payment_status, Number(r.refunded_cents)])).toEqual([
      ['succeeded', 0],
      ['refunded', PRICE],
      ['refunded', PRICE],
    ]);
  });

  it('cancelling one unpaid date releases the whole series (its one payment is withdrawn)', async () => {
    const res = await post('2026-12-01T14:00:00.000Z', 2);
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json() as BookingSeries;
    const first = created.items[0]?.booking as Booking;
    const cancelled = await t().app.inject({
      method: 'POST',
      url: `/api/v1/bookings/${first.id}/cancel`,
      headers: bearer(patient()),
      payload: {},
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    expect(statuses(await series(created.id))).toEqual(['cancelled', 'cancelled']);
    expect(await intent(first.payment?.intentId as string)).toMatchObject({ status: 'canceled' });
  });

  it('the provider refusing the payment: 503, nothing held, and the same key books the series afterwards', async () => {
    const payments = t().services.payments;
    const real = payments.createIntent.bind(payments);
    payments.createIntent = async () => {
      payments.createIntent = real;
      throw new Error('connect ECONNREFUSED');
    };
    const key = newKey();
    const send = () =>
      t().app.inject({
        method: 'POST',
        url: '/api/v1/booking-series',
        headers: { ...bearer(patient()), 'idempotency-key': key },
        payload: {
          providerId: p.listing.id,
          serviceId: p.paid,
          start: '2026-12-03T14:00:00.000Z',
          intervalWeeks: 1,
          occurrences: 2,
          reasonForVisit: 'Weekly therapy',
          newPatient: false,
        },
      });
    expectProblem(await send(), 503, 'SERVICE_UNAVAILABLE');
    const retry = await send();
    expect(retry.statusCode, retry.body).toBe(201);
    expect(statuses(retry.json() as BookingSeries)).toEqual(['payment_pending', 'payment_pending']);
  });

  it('a series left unpaid: the hold running out releases every date, and the times are free again', async () => {
    const res = await post('2026-12-02T14:00:00.000Z', 3);
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json() as BookingSeries;
    t().clock.advance(11 * 60_000); // BOOKING_HOLD_MINUTES is 10
    await t().services.lifecycle.tick();
    expect(statuses(await series(created.id))).toEqual(['expired', 'expired', 'expired']);
    const other = p.cast.patient.tokens.accessToken;
    for (const item of created.items) {
      const again = await book(t().app, other, {
        providerId: p.listing.id,
        serviceId: p.paid,
        start: item.booking.start,
      });
      expect(again.statusCode, again.body).toBe(201);
    }
  });
});

describeEachDialect('a paid series through the Stripe adapter (stand-in)', (db) => {
  let stripe: FakeStripeServer;
  let t: TestApp & { db: FreshDatabases };
  let p: Practice;
  beforeAll(async () => {
    stripe = await FakeStripeServer.start();
    const built = await buildTestApp(db().dbs, {
      PAYMENTS: 'stripe',
      STRIPE_SECRET_KEY: stripe.secretKey,
      STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
      STRIPE_PUBLISHABLE_KEY: stripe.publishableKey,
      STRIPE_API_URL: `http://127.0.0.1:${stripe.port}`,
    });
    t = { ...built, db: db() };
    p = await practice(t);
    await allowSeries(t, p);
  });
  afterAll(async () => {
    await t?.app.close();
    await stripe?.stop();
  });

  it('one PaymentIntent for the sum; its webhook confirms every date; a cancelled date is refunded its price', async () => {
    const patient = bearer(p.cast.patient.tokens.accessToken);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/booking-series',
      headers: { ...patient, 'idempotency-key': newKey() },
      payload: {
        providerId: p.listing.id,
        serviceId: p.paid,
        start: '2026-11-30T14:00:00.000Z',
        intervalWeeks: 1,
        occurrences: 2,
        reasonForVisit: 'Weekly therapy',
        newPatient: false,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json() as BookingSeries;
    const intentId = created.items[0]?.booking.payment?.intentId as string;
    expect(stripe.intent(intentId)).toMatchObject({ amount: 2 * PRICE });
    expect(stripe.requests.filter((r) => r.path === '/v1/payment_intents').length).toBe(1);

    stripe.succeed(intentId);
    const event = stripe.eventFor(intentId, 'payment_intent.succeeded', {
      // Signed at the app's (test) time: the adapter checks the timestamp against its clock.
      timestamp: Math.floor(t.clock.now().getTime() / 1000),
    });
    const hook = await t.app.inject({
      method: 'POST',
      url: '/api/v1/payments/webhook',
      headers: { 'content-type': 'application/json', 'stripe-signature': event.header },
      payload: event.payload,
    });
    expect(hook.statusCode, hook.body).toBe(200);
    const paid = (
      await t.app.inject({ method: 'GET', url: `/api/v1/booking-series/${created.id}`, headers: patient })
    ).json() as BookingSeries;
    expect(paid.items.map((i) => i.booking.status)).toEqual(['confirmed', 'confirmed']);

    const cancelled = await t.app.inject({
      method: 'POST',
      url: `/api/v1/bookings/${paid.items[0]?.booking.id}/cancel`,
      headers: patient,
      payload: {},
    });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
    const refunds = stripe.requests.filter((r) => r.path === '/v1/refunds');
    expect(refunds.map((r) => [r.params.payment_intent, r.params.amount])).toEqual([
      [intentId, String(PRICE)],
    ]);
  });
});
