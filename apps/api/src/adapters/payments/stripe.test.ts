import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stripeHarness } from '../../../test/support/payments';
import { describePaymentsContract } from './payments.contract';
import { StripePayments } from './stripe';

describePaymentsContract(stripeHarness());

const input = () => ({
  bookingId: randomUUID(),
  amountCents: 12000,
  currency: 'USD',
  description: 'Video visit',
  idempotencyKey: `booking-${randomUUID()}`,
});

describe('StripePayments against the fake Stripe API', () => {
  const harness = stripeHarness();
  beforeAll(() => harness.start());
  afterAll(() => harness.stop());
  const stripe = () => harness.payments();
  const server = () => harness.server();

  it('sends the PaymentIntent create in Stripe wire format with the idempotency key', async () => {
    const req = input();
    const intent = await stripe().createIntent(req);
    const sent = server().requests.at(-1);
    expect(sent).toEqual({
      method: 'POST',
      path: '/v1/payment_intents',
      idempotencyKey: req.idempotencyKey,
      params: {
        amount: '12000',
        currency: 'usd',
        metadata: { bookingId: req.bookingId },
        description: 'Video visit',
        automatic_payment_methods: { enabled: 'true' },
      },
    });
    expect(server().intent(intent.id)?.metadata).toEqual({ bookingId: req.bookingId });
  });

  it('surfaces the reuse of an idempotency key with other parameters', async () => {
    const req = input();
    await stripe().createIntent(req);
    const reused = stripe().createIntent({ ...req, amountCents: 13000 });
    await expect(reused).rejects.toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
  });

  it('retries network failures with the same key, creating one intent', async () => {
    const req = input();
    const before = server().requests.length;
    server().failNext(2, 'connection_reset');
    const intent = await stripe().createIntent(req);
    const attempts = server().requests.slice(before);
    expect(attempts.map((r) => r.idempotencyKey)).toEqual([
      req.idempotencyKey,
      req.idempotencyKey,
      req.idempotencyKey,
    ]);
    expect(await stripe().createIntent(req)).toEqual(intent);
  });

  it('throws once the retries are used up', async () => {
    const before = server().requests.length;
    server().failNext(3, 'server_error');
    await expect(stripe().createIntent(input())).rejects.toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(server().requests.length - before).toBe(3);
  });

  it('refunds with reason and amount and maps the charge.refunded webhook', async () => {
    const req = input();
    const intent = await stripe().createIntent(req);
    server().succeed(intent.id);
    const key = `refund-${randomUUID()}`;
    await stripe().refund({
      paymentIntentId: intent.id,
      amountCents: 2000,
      idempotencyKey: key,
      reason: 'requested_by_customer',
    });
    expect(server().requests.at(-1)).toMatchObject({
      path: '/v1/refunds',
      idempotencyKey: key,
      params: { payment_intent: intent.id, amount: '2000', reason: 'requested_by_customer' },
    });
    const { payload, header } = server().eventFor(intent.id, 'charge.refunded');
    expect(stripe().parseWebhook(Buffer.from(payload), header)).toMatchObject({
      type: 'charge.refunded',
      paymentIntentId: intent.id,
      bookingId: req.bookingId,
      amountCents: 2000,
    });
  });

  it('surfaces an unknown intent and a wrong API key as Stripe errors', async () => {
    await expect(stripe().cancelIntent('pi_missing')).rejects.toBeInstanceOf(
      Stripe.errors.StripeInvalidRequestError,
    );
    const wrongKey = new StripePayments({
      secretKey: 'sk_test_wrong',
      webhookSecret: 'whsec_x',
      host: '127.0.0.1',
      port: server().port,
      protocol: 'http',
    });
    await expect(wrongKey.createIntent(input())).rejects.toBeInstanceOf(
      Stripe.errors.StripeAuthenticationError,
    );
  });
});
