import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/support/databases';
import { simulatedHarness, TEST_WEBHOOK_SECRET } from '../../../test/support/payments';
import { DomainError } from '../../domain/errors';
import { describePaymentsContract } from './payments.contract';
import { SimulatedPayments } from './simulated';
import { retryDelayMs } from './webhook-deliveries';

const input = () => ({
  bookingId: randomUUID(),
  amountCents: 6000,
  currency: 'eur',
  description: 'Follow-up visit',
  idempotencyKey: `booking-${randomUUID()}`,
});

describeEachDialect('SimulatedPayments', (db) => {
  describePaymentsContract(simulatedHarness(db));

  describe('checkout and webhook delivery', () => {
    const harness = simulatedHarness(db);
    const { recorder, testClock } = harness;
    beforeAll(() => harness.start());
    const payments = () => harness.payments();
    const eventsFor = (intentId: string) =>
      recorder.received.filter((r) => r.event.paymentIntentId === intentId);

    it('delivers the outcome of each test card as a signed Stripe event', async () => {
      const req = input();
      const intent = await payments().createIntent(req);
      expect(intent.currency).toBe('EUR');
      expect(await payments().pay(intent.id, '4000 0000 0000 0002')).toEqual({
        status: 'declined',
        declineCode: 'generic_decline',
        message: 'Your card was declined.',
      });
      expect(await payments().pay(intent.id, '4000000000009995')).toMatchObject({
        declineCode: 'insufficient_funds',
      });
      expect(await payments().pay(intent.id, '4242424242424242')).toEqual({ status: 'succeeded' });

      const delivered = eventsFor(intent.id);
      expect(delivered.map((d) => d.event.type)).toEqual([
        'payment_intent.payment_failed',
        'payment_intent.payment_failed',
        'payment_intent.succeeded',
      ]);
      const wire = delivered.map((d) => JSON.parse(d.payload));
      expect(wire.map((w) => w.data.object.last_payment_error?.decline_code ?? null)).toEqual([
        'generic_decline',
        'insufficient_funds',
        null,
      ]);
      expect(wire[2]).toMatchObject({
        object: 'event',
        type: 'payment_intent.succeeded',
        data: {
          object: {
            object: 'payment_intent',
            id: intent.id,
            amount: 6000,
            amount_received: 6000,
            currency: 'eur',
            status: 'succeeded',
            metadata: { bookingId: req.bookingId },
          },
        },
      });
      expect(wire[2].id).toMatch(/^evt_sim_/);
      expect(delivered[2]?.header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      expect(delivered[2]?.event).toMatchObject({ bookingId: req.bookingId, amountCents: 6000 });
      expect(await payments().getIntent(intent.id)).toMatchObject({
        status: 'succeeded',
        lastDeclineCode: null,
      });
    });

    it('refuses card numbers that are not test cards, and delivers nothing', async () => {
      const intent = await payments().createIntent(input());
      const err = await payments()
        .pay(intent.id, '4111111111111111')
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DomainError);
      expect(err).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(eventsFor(intent.id)).toEqual([]);
      expect(await payments().getIntent(intent.id)).toMatchObject({ status: 'requires_payment_method' });
    });

    it('answers a second payment of a paid intent with success and no second event', async () => {
      const intent = await payments().createIntent(input());
      const outcomes = await Promise.all(
        [1, 2, 3, 4].map(() => payments().pay(intent.id, '4242424242424242')),
      );
      expect(outcomes).toEqual(outcomes.map(() => ({ status: 'succeeded' })));
      expect(await payments().pay(intent.id, '4000000000000002')).toEqual({ status: 'succeeded' });
      expect(eventsFor(intent.id).map((d) => d.event.type)).toEqual(['payment_intent.succeeded']);
    });

    it('keeps an undelivered outcome and delivers it later, from another instance too', async () => {
      const intent = await payments().createIntent(input());
      recorder.failuresLeft = 2;
      expect(await payments().pay(intent.id, '4242424242424242')).toEqual({ status: 'succeeded' });
      expect(eventsFor(intent.id)).toEqual([]);
      expect(await payments().pendingDeliveries()).toBe(1);

      expect(await payments().retryPendingDeliveries()).toEqual({ delivered: 0, failed: 0 });
      testClock.advance(retryDelayMs(1));
      expect(await payments().retryPendingDeliveries()).toEqual({ delivered: 0, failed: 1 });
      expect(recorder.failuresLeft).toBe(0);

      // A fresh instance (a restart, or another server) picks it up once its backoff has passed.
      testClock.advance(retryDelayMs(2));
      const restarted = new SimulatedPayments({
        db: db().dbs.bookings.db,
        webhookSecret: TEST_WEBHOOK_SECRET,
        publicUrl: 'http://localhost:5173',
        deliver: recorder.deliver,
        clock: testClock,
      });
      expect(await restarted.retryPendingDeliveries()).toEqual({ delivered: 1, failed: 0 });
      expect(eventsFor(intent.id).map((d) => d.event.type)).toEqual(['payment_intent.succeeded']);
      expect(await restarted.pendingDeliveries()).toBe(0);
      expect(await restarted.retryPendingDeliveries()).toEqual({ delivered: 0, failed: 0 });
    });

    it('refuses to pay a cancelled or unknown intent', async () => {
      const intent = await payments().createIntent(input());
      await payments().cancelIntent(intent.id);
      await expect(payments().pay(intent.id, '4242424242424242')).rejects.toMatchObject({ code: 'CONFLICT' });
      await expect(payments().pay('pi_sim_missing', '4242424242424242')).rejects.toMatchObject({
        code: 'NOT_FOUND',
      });
      expect(eventsFor(intent.id)).toEqual([]);
    });

    it('refuses an idempotency key reused for another intent', async () => {
      const req = input();
      await payments().createIntent(req);
      await expect(payments().createIntent({ ...req, amountCents: 7000 })).rejects.toMatchObject({
        code: 'IDEMPOTENCY_KEY_REUSED',
      });
    });
  });
});
