import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PaymentsHarness } from '../../../test/support/payments';
import { WebhookSignatureError } from '../../ports/payments';

const intentInput = (overrides: Partial<{ amountCents: number; idempotencyKey: string }> = {}) => ({
  bookingId: randomUUID(),
  amountCents: 4500,
  currency: 'EUR',
  description: 'Consultation, 30 min',
  idempotencyKey: `booking-${randomUUID()}`,
  ...overrides,
});

/** The one contract every PaymentsPort adapter passes. */
export function describePaymentsContract(harness: PaymentsHarness): void {
  describe(`PaymentsPort contract [${harness.name}]`, () => {
    beforeAll(() => harness.start());
    afterAll(() => harness.stop());
    const payments = () => harness.adapter();
    const nowSeconds = () => Math.floor(harness.clock.now().getTime() / 1000);
    const sign = (payload: string, opts: { secret?: string; timestamp?: number } = {}) =>
      Stripe.webhooks.generateTestHeaderString({
        payload,
        secret: opts.secret ?? harness.webhookSecret,
        timestamp: opts.timestamp ?? nowSeconds(),
      });
    const paidIntent = async () => {
      const input = intentInput();
      const intent = await payments().createIntent(input);
      await harness.customerPays(intent.id, 'succeeds');
      return { input, intent };
    };

    it('creates an intent with amount, upper-case currency, status and client secret', async () => {
      const input = intentInput();
      const intent = await payments().createIntent(input);
      expect(intent).toMatchObject({ amountCents: 4500, currency: 'EUR', status: 'requires_payment_method' });
      expect(intent.id).toMatch(/^pi_/);
      expect(intent.clientSecret).toMatch(new RegExp(`^${intent.id}_secret_`));
      expect(intent.checkoutUrl).toBe(harness.checkoutUrl(intent.id));
    });

    it('creates one intent per idempotency key', async () => {
      const input = intentInput();
      const first = await payments().createIntent(input);
      const again = await payments().createIntent(input);
      const other = await payments().createIntent({ ...input, idempotencyKey: `${input.idempotencyKey}-2` });
      expect(again).toEqual(first);
      expect(other.id).not.toBe(first.id);
    });

    it('cancels an unpaid intent once and refuses to cancel a paid one', async () => {
      const intent = await payments().createIntent(intentInput());
      await payments().cancelIntent(intent.id);
      await expect(payments().cancelIntent(intent.id)).resolves.toBeUndefined();
      const { intent: paid } = await paidIntent();
      await expect(payments().cancelIntent(paid.id)).rejects.toThrow();
    });

    it('refunds a paid intent, replays a refund by key and refuses more than was paid', async () => {
      const { intent } = await paidIntent();
      const key = `refund-${randomUUID()}`;
      const first = await payments().refund({
        paymentIntentId: intent.id,
        amountCents: 1000,
        idempotencyKey: key,
        reason: 'requested_by_customer',
      });
      expect(first.status).toBe('succeeded');
      expect(first.id).toMatch(/^re_/);
      const replay = await payments().refund({
        paymentIntentId: intent.id,
        amountCents: 1000,
        idempotencyKey: key,
        reason: 'requested_by_customer',
      });
      expect(replay.id).toBe(first.id);
      await expect(
        payments().refund({
          paymentIntentId: intent.id,
          amountCents: 3501,
          idempotencyKey: `refund-${randomUUID()}`,
          reason: 'requested_by_customer',
        }),
      ).rejects.toThrow();
      const rest = await payments().refund({
        paymentIntentId: intent.id,
        idempotencyKey: `refund-${randomUUID()}`,
        reason: 'duplicate',
      });
      expect(rest.id).not.toBe(first.id);
      const refunded = await harness.webhookFor(intent.id, 'charge.refunded');
      expect(payments().parseWebhook(Buffer.from(refunded.payload), refunded.header)).toMatchObject({
        type: 'charge.refunded',
        paymentIntentId: intent.id,
        amountCents: 4500,
      });
    });

    it('refuses to refund an unpaid intent', async () => {
      const intent = await payments().createIntent(intentInput());
      await expect(
        payments().refund({
          paymentIntentId: intent.id,
          idempotencyKey: `refund-${randomUUID()}`,
          reason: 'requested_by_customer',
        }),
      ).rejects.toThrow();
    });

    it('verifies and maps payment_intent.succeeded', async () => {
      const { input, intent } = await paidIntent();
      const { payload, header } = await harness.webhookFor(intent.id, 'payment_intent.succeeded');
      const event = payments().parseWebhook(Buffer.from(payload), header);
      expect(event).toEqual({
        id: JSON.parse(payload).id,
        type: 'payment_intent.succeeded',
        paymentIntentId: intent.id,
        bookingId: input.bookingId,
        amountCents: 4500,
        currency: 'EUR',
        created: JSON.parse(payload).created,
        rawType: 'payment_intent.succeeded',
      });
      expect(event.id).toMatch(/^evt_/);
    });

    it('verifies and maps payment_intent.payment_failed', async () => {
      const input = intentInput();
      const intent = await payments().createIntent(input);
      await harness.customerPays(intent.id, 'declined');
      const { payload, header } = await harness.webhookFor(intent.id, 'payment_intent.payment_failed');
      expect(payments().parseWebhook(Buffer.from(payload), header)).toMatchObject({
        type: 'payment_intent.payment_failed',
        paymentIntentId: intent.id,
        bookingId: input.bookingId,
      });
    });

    it('maps any other correctly signed event type to "other"', async () => {
      const payload = JSON.stringify({
        id: 'evt_other_1',
        object: 'event',
        type: 'customer.created',
        created: 1,
        data: { object: { id: 'cus_1', object: 'customer' } },
      });
      expect(payments().parseWebhook(Buffer.from(payload), sign(payload))).toEqual({
        id: 'evt_other_1',
        type: 'other',
        paymentIntentId: null,
        bookingId: null,
        amountCents: null,
        currency: null,
        created: 1,
        rawType: 'customer.created',
      });
    });

    describe('rejects deliveries that are not genuine', () => {
      let payload = '';
      beforeAll(async () => {
        const { intent } = await paidIntent();
        payload = (await harness.webhookFor(intent.id, 'payment_intent.succeeded')).payload;
      });
      const parse = (body: string, header: string | undefined) => () =>
        payments().parseWebhook(Buffer.from(body), header);

      it('a tampered body', () => {
        const tampered = payload.replace(/"amount":\s*4500/, '"amount":1');
        expect(tampered).not.toBe(payload);
        expect(parse(tampered, sign(payload))).toThrow(WebhookSignatureError);
      });
      it('a signature made with another secret', () => {
        expect(parse(payload, sign(payload, { secret: 'whsec_someone_else' }))).toThrow(
          WebhookSignatureError,
        );
      });
      it('a timestamp outside the 300 s tolerance, but not one inside it', () => {
        expect(parse(payload, sign(payload, { timestamp: nowSeconds() - 301 }))).toThrow(
          WebhookSignatureError,
        );
        expect(parse(payload, sign(payload, { timestamp: nowSeconds() - 290 }))().type).toBe(
          'payment_intent.succeeded',
        );
      });
      it('a timestamp dated beyond the tolerance in the future (+10 min), but not one inside it', () => {
        expect(parse(payload, sign(payload, { timestamp: nowSeconds() + 600 }))).toThrow(/in the future/);
        expect(parse(payload, sign(payload, { timestamp: nowSeconds() + 301 }))).toThrow(
          WebhookSignatureError,
        );
        expect(parse(payload, sign(payload, { timestamp: nowSeconds() + 240 }))().type).toBe(
          'payment_intent.succeeded',
        );
      });
      it('a missing or malformed header', () => {
        expect(parse(payload, undefined)).toThrow(WebhookSignatureError);
        expect(parse(payload, '')).toThrow(WebhookSignatureError);
        expect(parse(payload, 'v1=deadbeef')).toThrow(WebhookSignatureError);
      });
    });
  });
}
