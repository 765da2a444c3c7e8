import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TestClock } from '../../../test/support/app';
import { describeEachDialect } from '../../../test/support/databases';
import { expectProblem } from '../../../test/support/http';
import { ensureSimulatedTables } from '../../../test/support/payments';
import { SimulatedPayments } from '../../adapters/payments/simulated';
import { registerErrorHandling } from '../../http/error-handler';
import { registerSchemaDefaults } from '../../http/schema-defaults';
import { validatorCompiler } from '../../http/validation';
import { newId } from '../../lib/ids';
import type { PaymentEvent } from '../../ports/payments';
import { simulatedCheckoutRoutes } from './simulated-checkout.routes';

describeEachDialect('simulated checkout routes', (db) => {
  let app: FastifyInstance;
  let payments: SimulatedPayments;
  const received: PaymentEvent[] = [];

  beforeAll(async () => {
    const bookingsDb = db().dbs.bookings.db;
    await ensureSimulatedTables(bookingsDb);
    app = Fastify({ logger: false, genReqId: () => newId() });
    app.setValidatorCompiler(validatorCompiler);
    app.addHook('onSend', async (request, reply) => {
      reply.header('x-request-id', request.id);
    });
    registerErrorHandling(app);
    registerSchemaDefaults(app);
    // The wiring the container does: deliver = POST the raw event to our own webhook route.
    payments = new SimulatedPayments({
      db: bookingsDb,
      webhookSecret: 'whsec_checkout_test',
      publicUrl: 'http://localhost:3000',
      clock: new TestClock(),
      deliver: async (rawBody, signature) => {
        const res = await app.inject({
          method: 'POST',
          url: '/api/v1/payments/webhook',
          headers: { 'content-type': 'application/json', 'stripe-signature': signature },
          payload: rawBody,
        });
        if (res.statusCode !== 200) throw new Error(`webhook answered ${res.statusCode}`);
      },
    });
    await app.register(async (scope) => {
      scope.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) =>
        done(null, body),
      );
      scope.post('/api/v1/payments/webhook', async (request) => {
        received.push(
          payments.parseWebhook(request.body as Buffer, request.headers['stripe-signature'] as string),
        );
        return { received: true };
      });
    });
    simulatedCheckoutRoutes(app, payments);
    await app.ready();
  });
  afterAll(() => app.close());

  const newIntent = () =>
    payments.createIntent({
      bookingId: randomUUID(),
      amountCents: 8000,
      currency: 'EUR',
      description: 'First visit',
      idempotencyKey: randomUUID(),
    });
  const get = (id: string, clientSecret?: string, extra = '') =>
    app.inject({
      method: 'GET',
      url: `/api/v1/payments/simulated/intents/${id}${clientSecret !== undefined ? `?clientSecret=${encodeURIComponent(clientSecret)}${extra}` : ''}`,
    });
  const pay = (id: string, body: Record<string, unknown>) =>
    app.inject({ method: 'POST', url: `/api/v1/payments/simulated/intents/${id}/pay`, payload: body });

  it('shows the payment to whoever has its client secret, and to nobody else', async () => {
    const intent = await newIntent();
    const ok = await get(intent.id, intent.clientSecret);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toEqual({
      id: intent.id,
      bookingId: expect.any(String),
      amountCents: 8000,
      currency: 'EUR',
      status: 'requires_payment_method',
      lastDeclineCode: null,
    });
    expectProblem(await get(intent.id, `${intent.clientSecret}x`), 404, 'NOT_FOUND');
    expectProblem(await get(intent.id, 'pi_sim_other_secret'), 404, 'NOT_FOUND');
    expectProblem(await get('pi_sim_000000000000000000000000', intent.clientSecret), 404, 'NOT_FOUND');
    expectProblem(await get(intent.id), 400, 'VALIDATION_FAILED');
    expectProblem(await get(intent.id, intent.clientSecret, '&extra=1'), 400, 'VALIDATION_FAILED');
  });

  it('pays with the success card and delivers the signed event to the webhook route', async () => {
    const intent = await newIntent();
    const res = await pay(intent.id, {
      clientSecret: intent.clientSecret,
      cardNumber: '4242 4242 4242 4242',
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: intent.id, status: 'succeeded' });
    expect(received.filter((e) => e.paymentIntentId === intent.id).map((e) => e.type)).toEqual([
      'payment_intent.succeeded',
    ]);
    const again = await pay(intent.id, { clientSecret: intent.clientSecret, cardNumber: '4242424242424242' });
    expect(again.json()).toMatchObject({ status: 'succeeded' });
    expect(received.filter((e) => e.paymentIntentId === intent.id)).toHaveLength(1);
    expect(await payments.pendingDeliveries()).toBe(0);
  });

  it('answers a declined card with UNPROCESSABLE and lets the customer try another', async () => {
    const intent = await newIntent();
    const declined = expectProblem(
      await pay(intent.id, { clientSecret: intent.clientSecret, cardNumber: '4000000000009995' }),
      422,
      'UNPROCESSABLE',
    );
    expect(declined.detail).toContain('insufficient_funds');
    expect((await get(intent.id, intent.clientSecret)).json()).toMatchObject({
      status: 'requires_payment_method',
      lastDeclineCode: 'insufficient_funds',
    });
    const ok = await pay(intent.id, { clientSecret: intent.clientSecret, cardNumber: '4242424242424242' });
    expect(ok.json()).toMatchObject({ status: 'succeeded', lastDeclineCode: null });
    expect(received.filter((e) => e.paymentIntentId === intent.id).map((e) => e.type)).toEqual([
      'payment_intent.payment_failed',
      'payment_intent.succeeded',
    ]);
  });

  it('refuses bad requests, wrong secrets and cancelled payments without charging', async () => {
    const intent = await newIntent();
    const unknownCard = expectProblem(
      await pay(intent.id, { clientSecret: intent.clientSecret, cardNumber: '4111111111111111' }),
      400,
      'VALIDATION_FAILED',
    );
    expect(unknownCard).toMatchObject({ errors: [{ path: '/body/cardNumber' }] });
    expectProblem(
      await pay(intent.id, { clientSecret: intent.clientSecret, cardNumber: 'abc' }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await pay(intent.id, { clientSecret: intent.clientSecret, cardNumber: '4242424242424242', amount: 1 }),
      400,
      'VALIDATION_FAILED',
    );
    expectProblem(
      await pay(intent.id, { clientSecret: 'wrong', cardNumber: '4242424242424242' }),
      404,
      'NOT_FOUND',
    );
    await payments.cancelIntent(intent.id);
    expectProblem(
      await pay(intent.id, { clientSecret: intent.clientSecret, cardNumber: '4242424242424242' }),
      409,
      'CONFLICT',
    );
    expect((await get(intent.id, intent.clientSecret)).json()).toMatchObject({ status: 'canceled' });
    expect(received.filter((e) => e.paymentIntentId === intent.id)).toEqual([]);
  });
});
