import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stripeHarness } from '../../../test/support/payments';
import type { PaymentEvent } from '../../ports/payments';

/**
 * The fake Stripe API's browser side, as Stripe.js uses it: confirm a PaymentIntent with the
 * publishable key and client secret, then the signed webhook to the configured endpoint. The web
 * app's Stripe checkout journey runs against this.
 */
describe('fake Stripe: confirming from the browser', () => {
  const harness = stripeHarness();
  let hooks: Server;
  const received: PaymentEvent[] = [];
  beforeAll(async () => {
    await harness.start();
    hooks = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push(
          harness.payments().parseWebhook(Buffer.concat(chunks), req.headers['stripe-signature'] as string),
        );
        res.writeHead(200).end('{}');
      });
    });
    await new Promise<void>((r) => hooks.listen(0, '127.0.0.1', r));
    harness.server().webhookUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    hooks?.closeAllConnections();
    await new Promise((r) => hooks?.close(r));
    await harness.stop();
  });

  const newIntent = () =>
    harness.payments().createIntent({
      bookingId: randomUUID(),
      amountCents: 4500,
      currency: 'EUR',
      description: 'Skin check',
      idempotencyKey: `booking-${randomUUID()}`,
    });
  const confirm = (id: string, fields: Record<string, string>) =>
    fetch(`http://127.0.0.1:${harness.server().port}/v1/payment_intents/${id}/confirm`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost:3000' },
      body: new URLSearchParams(fields),
    });
  const card = (number: string, key: string, secret: string) => ({
    key,
    client_secret: secret,
    'payment_method_data[type]': 'card',
    'payment_method_data[card][number]': number,
  });

  it('refuses a wrong publishable key or client secret, in Stripe’s error format', async () => {
    const intent = await newIntent();
    const wrongKey = await confirm(intent.id, card('4242424242424242', 'pk_test_other', intent.clientSecret));
    expect(wrongKey.status).toBe(401);
    const wrongSecret = await confirm(
      intent.id,
      card('4242424242424242', harness.server().publishableKey, 'nope'),
    );
    expect(wrongSecret.status).toBe(400);
    expect(await wrongSecret.json()).toMatchObject({
      error: { type: 'invalid_request_error', param: 'client_secret' },
    });
    expect(wrongSecret.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('declines 4000 0000 0000 0002 with a card_error, then takes 4242, and posts both signed events', async () => {
    const intent = await newIntent();
    const key = harness.server().publishableKey;
    const declined = await confirm(intent.id, card('4000000000000002', key, intent.clientSecret));
    expect(declined.status).toBe(402);
    expect(await declined.json()).toMatchObject({
      error: { type: 'card_error', code: 'card_declined', message: 'Your card was declined.' },
    });
    const paid = await confirm(intent.id, card('4242424242424242', key, intent.clientSecret));
    expect(paid.status).toBe(200);
    expect(await paid.json()).toMatchObject({ id: intent.id, object: 'payment_intent', status: 'succeeded' });
    await expect
      .poll(() => received.filter((e) => e.paymentIntentId === intent.id).map((e) => e.type))
      .toEqual(['payment_intent.payment_failed', 'payment_intent.succeeded']);
  });
});
