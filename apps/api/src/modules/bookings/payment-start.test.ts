import type { Booking } from '@carebook/contracts';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { describeAppEachDialect } from '../../../test/support/app';
import {
  at,
  book,
  type Ctx,
  newKey,
  type Practice,
  practice,
  WED_0900_NY,
} from '../../../test/support/bookings';
import { bearer, expectProblem } from '../../../test/support/http';
import type { CreateIntentInput, PaymentIntent, PaymentsPort } from '../../ports/payments';
import { paymentFailures } from '../payments/payment-failures';

/**
 * The payment step after the booking commits (issue 14, the three failing scenarios). The payment
 * provider is the simulated one; a stand-in in front of its `createIntent` makes it hang (an
 * instance that died or froze mid-call), wait at a gate, or refuse, like a slow or broken
 * provider would.
 */
type Create = (input: CreateIntentInput) => Promise<PaymentIntent>;

function frontOf(payments: PaymentsPort) {
  const real: Create = payments.createIntent.bind(payments);
  const calls: CreateIntentInput[] = [];
  let next: ((input: CreateIntentInput) => Promise<PaymentIntent>) | null = null;
  payments.createIntent = (input) => {
    calls.push(input);
    const behaviour = next;
    next = null;
    return behaviour ? behaviour(input) : real(input);
  };
  return {
    calls,
    real,
    /** The next call behaves like this; later calls reach the provider. */
    once(behaviour: (input: CreateIntentInput) => Promise<PaymentIntent>) {
      next = behaviour;
    },
    restore() {
      payments.createIntent = real;
    },
  };
}

const until = async (what: string, ok: () => Promise<boolean>) => {
  for (let i = 0; i < 400; i++) {
    if (await ok()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
};

describeAppEachDialect('the payment step is part of the booking state machine', (t) => {
  let p: Practice;
  let front: ReturnType<typeof frontOf>;
  const BASE = new Date('2026-11-24T12:00:00.000Z');
  beforeAll(async () => {
    p = await practice(t() as Ctx);
    front = frontOf(t().services.payments);
  });
  afterEach(() => t().clock.set(BASE));
  const patient = () => p.cast.patient.tokens.accessToken;
  const slot = (minutes: number) => ({
    providerId: p.listing.id,
    serviceId: p.paid,
    start: at(WED_0900_NY, minutes),
  });
  const bookingsOfPatient = async () =>
    (await t().app.inject({ url: '/api/v1/bookings?pageSize=100', headers: bearer(patient()) })).json() as {
      items: Booking[];
    };

  it('an instance that dies after the commit, before the intent exists: a replay of the key on any instance creates it, once', async () => {
    const key = newKey();
    // The first request's process stops answering in the middle of the payment step.
    let unfreeze: (err: Error) => void = () => {};
    front.once(() => new Promise<PaymentIntent>((_resolve, reject) => (unfreeze = reject)));
    const calls = front.calls.length;
    const first = book(t().app, patient(), slot(0), key);
    await until('the payment call', async () => front.calls.length > calls);
    // Later (the dead instance's lease on the step has lapsed), the client retries the same key.
    t().clock.advance(2 * 60_000);
    const retry = await book(t().app, patient(), slot(0), key);
    expect(retry.statusCode, retry.body).toBe(201);
    const booking = retry.json() as Booking;
    expect(booking.status).toBe('payment_pending');
    expect(booking.payment?.intentId).toMatch(/^pi_/);
    // The provider was asked under the booking's own idempotency key.
    expect(front.calls.at(-1)?.idempotencyKey).toBe(`booking:${booking.id}`);
    // The frozen first request finally fails: it must not undo the finished step.
    unfreeze(new Error('socket hang up'));
    await first;
    const after = (
      await t().app.inject({ url: `/api/v1/bookings/${booking.id}`, headers: bearer(patient()) })
    ).json() as Booking;
    expect(after.status).toBe('payment_pending');
    expect(after.payment?.intentId).toBe(booking.payment?.intentId);
  });

  it('a retry while the first request still waits for the provider waits too, and both answer the same booking and intent', async () => {
    const key = newKey();
    let open: () => void = () => {};
    const gate = new Promise<void>((r) => (open = r));
    front.once(async (input) => {
      await gate;
      return front.real(input);
    });
    const first = book(t().app, patient(), slot(60), key);
    await until('the booking to commit', async () =>
      (await bookingsOfPatient()).items.some((b) => b.start === slot(60).start),
    );
    const second = book(t().app, patient(), slot(60), key);
    // Let the retry reach the waiting state before the provider answers the first request.
    await new Promise((r) => setTimeout(r, 200));
    open();
    const [a, b] = await Promise.all([first, second]);
    expect(a.statusCode, a.body).toBe(201);
    expect(b.statusCode, b.body).toBe(201);
    const [one, two] = [a.json() as Booking, b.json() as Booking];
    expect(one.id).toBe(two.id);
    expect(one.status).toBe('payment_pending');
    expect(two.status).toBe('payment_pending');
    expect(two.payment?.intentId).toBe(one.payment?.intentId);
    expect(one.payment?.intentId).toMatch(/^pi_/);
  });

  it('a provider failure before anything is held answers 503 and leaves the key able to book, never a cancelled booking', async () => {
    const key = newKey();
    front.once(async () => {
      throw new Error('connect ECONNREFUSED');
    });
    const failuresBefore = paymentFailures.snapshot().payment_start;
    const failed = await book(t().app, patient(), slot(120), key);
    expectProblem(failed, 503, 'SERVICE_UNAVAILABLE');
    // Logged with the booking id and counted (money-path failures).
    expect(paymentFailures.snapshot().payment_start).toBe(failuresBefore + 1);
    // Nothing is held: the slot is bookable (here by the same key, once the provider is back).
    const retry = await book(t().app, patient(), slot(120), key);
    expect(retry.statusCode, retry.body).toBe(201);
    const booking = retry.json() as Booking;
    expect(booking.status).toBe('payment_pending');
    expect(booking.payment?.intentId).toMatch(/^pi_/);
    // And it stays the answer for that key.
    const again = await book(t().app, patient(), slot(120), key);
    expect((again.json() as Booking).id).toBe(booking.id);
  });

  it('a step left unfinished is picked up by a GET and by the lifecycle job', async () => {
    let unfreeze: (err: Error) => void = () => {};
    front.once(() => new Promise<PaymentIntent>((_resolve, reject) => (unfreeze = reject)));
    const calls = front.calls.length;
    const first = book(t().app, patient(), slot(180), newKey());
    await until('the payment call', async () => front.calls.length > calls);
    let id = '';
    await until('the booking to commit', async () => {
      id = (await bookingsOfPatient()).items.find((b) => b.start === slot(180).start)?.id ?? '';
      return id !== '';
    });
    t().clock.advance(2 * 60_000);
    const read = (
      await t().app.inject({ url: `/api/v1/bookings/${id}`, headers: bearer(patient()) })
    ).json() as Booking;
    expect(read.status).toBe('payment_pending');
    expect(read.allowedActions).toContain('pay');
    unfreeze(new Error('socket hang up'));
    await first;

    // The job: a booking whose step was interrupted is finished by the next tick.
    front.once(() => new Promise<PaymentIntent>(() => {}));
    void book(t().app, patient(), slot(240), newKey());
    await until('the second payment call', async () => front.calls.length > calls + 2);
    let jobId = '';
    await until('the second booking to commit', async () => {
      jobId = (await bookingsOfPatient()).items.find((b) => b.start === slot(240).start)?.id ?? '';
      return jobId !== '';
    });
    t().clock.advance(2 * 60_000);
    const report = await t().services.lifecycle.tick();
    expect(report.paymentsStarted).toBe(1);
    expect((await t().services.bookings.read(jobId)).status).toBe('payment_pending');
  });

  it('a step left unfinished until the hold ran out is not started: the booking expires, no intent is made', async () => {
    const key = newKey();
    let unfreeze: (err: Error) => void = () => {};
    front.once(() => new Promise<PaymentIntent>((_resolve, reject) => (unfreeze = reject)));
    const calls = front.calls.length;
    const first = book(t().app, patient(), slot(360), key);
    await until('the payment call', async () => front.calls.length > calls);
    t().clock.advance(11 * 60_000); // the hold is 10 minutes
    const retry = await book(t().app, patient(), slot(360), key);
    expect(retry.statusCode, retry.body).toBe(201);
    expect((retry.json() as Booking).status).toBe('expired');
    expect((retry.json() as Booking).payment).toBeNull();
    expect(front.calls.length).toBe(calls + 1);
    unfreeze(new Error('socket hang up'));
    await first;
  });

  describe('idempotent bodies', () => {
    it('the same body with its fields in another order is a replay, not a reused key', async () => {
      const key = newKey();
      const body = { ...slot(300), reasonForVisit: 'Check-up', newPatient: true };
      const first = await book(t().app, patient(), body, key);
      expect(first.statusCode, first.body).toBe(201);
      const reordered = Object.fromEntries(Object.entries(body).reverse()) as typeof body;
      const replay = await book(t().app, patient(), reordered, key);
      expect(replay.statusCode, replay.body).toBe(201);
      expect((replay.json() as Booking).id).toBe((first.json() as Booking).id);
    });
  });
});

describe('canonical JSON for request hashes', () => {
  it('sorts keys at every depth and keeps nested values', async () => {
    const { canonicalJson, requestHash } = await import('./canonical-json');
    expect(canonicalJson({ b: { y: 1, x: [2, { d: 1, c: 2 }] }, a: null })).toBe(
      '{"a":null,"b":{"x":[2,{"c":2,"d":1}],"y":1}}',
    );
    expect(requestHash({ a: 1, n: { p: 1, q: 2 } })).toBe(requestHash({ n: { q: 2, p: 1 }, a: 1 }));
    // A nested difference is a different request (the old hash dropped nested keys).
    expect(requestHash({ a: 1, n: { p: 1 } })).not.toBe(requestHash({ a: 1, n: { p: 2 } }));
  });
});
