import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import {
  chargeObject,
  eventObject,
  type IntentState,
  intentObject,
  stripeId,
} from '../../apps/api/src/adapters/payments/stripe-objects';
import { FakeStripeLedger, now } from './fake-stripe-ledger';
import { allowOnly, canonical, WireError } from './fake-stripe-wire';
import { decodeForm, type FormObject } from './form-encoding';

export interface RecordedRequest {
  method: string;
  path: string;
  idempotencyKey: string | undefined;
  params: FormObject;
}

type Failure = 'connection_reset' | 'server_error';
type Reply = { status: number; body: object };

/** Stripe's API answers browsers (Stripe.js) from any origin. */
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'content-type, authorization, stripe-version',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
};

/**
 * A test double of Stripe's API for the endpoints we use, speaking its wire format: form-encoded
 * bracket-notation requests, Bearer secret keys, Idempotency-Key replay (and idempotency_error on
 * reuse with other parameters), Stripe-shaped objects and `{ error: { type, message, code } }`
 * bodies. `succeed` stands in for the customer paying with Stripe.js; `eventFor` builds the webhook
 * Stripe would send, signed with stripe-node's own test-header helper.
 */
export class FakeStripeServer {
  readonly requests: RecordedRequest[] = [];
  private readonly ledger = new FakeStripeLedger();
  private readonly idempotency = new Map<string, { fingerprint: string } & Reply>();
  private readonly failures: Failure[] = [];
  private readonly delays: number[] = [];
  private server: Server | undefined;
  port = 0;
  /** Where events go when a browser confirms an intent (Stripe's webhook endpoint setting). */
  webhookUrl: string | null = null;
  readonly publishableKey = 'pk_test_fake_carebook';

  constructor(
    readonly secretKey = 'sk_test_fake_carebook',
    readonly webhookSecret = 'whsec_fake_carebook',
  ) {}

  static async start(secretKey?: string, webhookSecret?: string): Promise<FakeStripeServer> {
    const fake = new FakeStripeServer(secretKey, webhookSecret);
    const server = createServer((req, res) => void fake.handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    fake.server = server;
    fake.port = (server.address() as AddressInfo).port;
    return fake;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
  }

  /** The next `count` requests are answered only after `ms` (a slow Stripe); they then succeed. */
  delayNext(count: number, ms: number): void {
    for (let i = 0; i < count; i++) this.delays.push(ms);
  }

  /** The next `count` requests fail before reaching an endpoint, as a network or Stripe outage would. */
  failNext(count: number, how: Failure): void {
    for (let i = 0; i < count; i++) this.failures.push(how);
  }

  /** Every intent created for a booking (its metadata.bookingId): exactly-once checks. */
  intentsFor(bookingId: string): IntentState[] {
    return this.ledger.intentsFor(bookingId);
  }

  intent(id: string): IntentState | undefined {
    return this.ledger.intent(id);
  }

  /** The customer confirms the intent with a card that succeeds (what Stripe.js would do). */
  succeed(intentId: string): void {
    this.ledger.succeed(intentId);
  }

  /** The customer's card is declined: the intent stays payable, with the decline recorded. */
  decline(intentId: string, declineCode: 'generic_decline' | 'insufficient_funds'): void {
    this.ledger.decline(intentId, declineCode);
  }

  /** The webhook Stripe would post for this intent: exact body and its Stripe-Signature header. */
  eventFor(
    intentId: string,
    type: 'payment_intent.succeeded' | 'payment_intent.payment_failed' | 'charge.refunded',
    options: { timestamp?: number; secret?: string } = {},
  ): { payload: string; header: string } {
    const intent = this.ledger.requireIntent(intentId);
    let object: object = intentObject(intent);
    if (type === 'charge.refunded') {
      const charge = this.ledger.chargeOf(intent);
      if (!charge) throw new Error(`${intentId} has no charge to refund`);
      object = chargeObject(charge);
    }
    const payload = JSON.stringify(eventObject(stripeId('evt'), type, object, now()), null, 2);
    const header = Stripe.webhooks.generateTestHeaderString({
      payload,
      secret: options.secret ?? this.webhookSecret,
      ...(options.timestamp !== undefined ? { timestamp: options.timestamp } : {}),
    });
    return { payload, header };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const key = req.headers['idempotency-key'] as string | undefined;
    const failure = this.failures.shift();
    const delay = this.delays.shift();
    let reply: Reply & { replayed?: boolean };
    try {
      const params = decodeForm(method === 'GET' ? url.search.slice(1) : Buffer.concat(chunks).toString());
      this.requests.push({ method, path: url.pathname, idempotencyKey: key, params });
      if (delay) await new Promise((r) => setTimeout(r, delay));
      if (failure === 'connection_reset') {
        req.socket.destroy();
        return;
      }
      if (failure === 'server_error') throw new WireError(500, 'api_error', 'An unknown error occurred.');
      if (method === 'OPTIONS') {
        res.writeHead(204, CORS).end();
        return;
      }
      const browserConfirm = /^\/v1\/payment_intents\/([^/]+)\/confirm$/.exec(url.pathname);
      if (method === 'POST' && browserConfirm?.[1]) {
        // Stripe.js's call: publishable key and client secret in the form, no secret key.
        reply = { status: 200, body: this.confirmFromBrowser(browserConfirm[1], params) };
        this.respond(req, res, reply, key);
        return;
      }
      this.authenticate(req.headers.authorization);
      if (method === 'POST' && req.headers['content-type'] !== 'application/x-www-form-urlencoded') {
        throw new WireError(400, 'invalid_request_error', 'Send parameters form-encoded.');
      }
      reply =
        method === 'POST' && key
          ? this.idempotent(key, method, url.pathname, params)
          : this.route(method, url.pathname, params);
    } catch (err) {
      const wire = err instanceof WireError ? err : new WireError(500, 'api_error', String(err));
      reply = { status: wire.status, body: wire.toBody() };
    }
    this.respond(req, res, reply, key);
  }

  private respond(
    req: IncomingMessage,
    res: ServerResponse,
    reply: Reply & { replayed?: boolean },
    key: string | undefined,
  ): void {
    res.writeHead(reply.status, {
      ...CORS,
      'content-type': 'application/json',
      'request-id': stripeId('req'),
      'stripe-version': (req.headers['stripe-version'] as string | undefined) ?? Stripe.API_VERSION,
      ...(key ? { 'idempotency-key': key } : {}),
      ...(reply.replayed ? { 'idempotent-replayed': 'true' } : {}),
    });
    res.end(JSON.stringify(reply.body));
  }

  /**
   * What Stripe does when Stripe.js confirms a PaymentIntent with card details: the test cards
   * 4242 4242 4242 4242 (succeeds) and 4000 0000 0000 0002 (declined), and then the webhook.
   */
  private confirmFromBrowser(id: string, params: FormObject): object {
    allowOnly(params, ['key', 'client_secret', 'payment_method_data', 'return_url']);
    if (params.key !== this.publishableKey)
      throw new WireError(401, 'invalid_request_error', 'Invalid API Key provided.');
    const intent = this.ledger.requireIntent(id);
    if (params.client_secret !== intent.clientSecret)
      throw new WireError(
        400,
        'invalid_request_error',
        'The client_secret provided does not match the client_secret associated with the PaymentIntent.',
        'payment_intent_invalid_parameter',
        'client_secret',
      );
    if (intent.status !== 'requires_payment_method')
      throw new WireError(
        400,
        'invalid_request_error',
        `You cannot confirm this PaymentIntent because it has a status of ${intent.status}.`,
        'payment_intent_unexpected_state',
      );
    const card = (params.payment_method_data as FormObject | undefined)?.card as FormObject | undefined;
    const number = typeof card?.number === 'string' ? card.number : '';
    if (number === '4000000000000002') {
      this.decline(id, 'generic_decline');
      this.sendWebhook(id, 'payment_intent.payment_failed');
      throw new WireError(402, 'card_error', 'Your card was declined.', 'card_declined');
    }
    if (number !== '4242424242424242')
      throw new WireError(402, 'card_error', 'Your card number is incorrect.', 'incorrect_number', 'number');
    this.succeed(id);
    this.sendWebhook(id, 'payment_intent.succeeded');
    return intentObject(intent);
  }

  /** Posts the signed event to `webhookUrl`, retrying a few times as Stripe would. */
  private sendWebhook(
    intentId: string,
    type: 'payment_intent.succeeded' | 'payment_intent.payment_failed',
  ): void {
    const url = this.webhookUrl;
    if (!url) return;
    const { payload, header } = this.eventFor(intentId, type);
    void (async () => {
      for (let attempt = 0; attempt < 5; attempt++) {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'stripe-signature': header },
          body: payload,
        }).catch(() => null);
        if (res?.ok) return;
        await new Promise((r) => setTimeout(r, 200 * 2 ** attempt));
      }
    })();
  }

  private authenticate(authorization: string | undefined): void {
    if (!authorization?.startsWith('Bearer ')) {
      throw new WireError(401, 'invalid_request_error', 'You did not provide an API key.');
    }
    const key = authorization.slice('Bearer '.length);
    if (!key.startsWith('sk_test_') || key !== this.secretKey) {
      throw new WireError(401, 'invalid_request_error', `Invalid API Key provided: ${key.slice(0, 8)}****`);
    }
  }

  private idempotent(
    key: string,
    method: string,
    path: string,
    params: FormObject,
  ): Reply & { replayed?: boolean } {
    const fingerprint = `${method} ${path} ${canonical(params)}`;
    const stored = this.idempotency.get(key);
    if (stored) {
      if (stored.fingerprint !== fingerprint) {
        throw new WireError(
          400,
          'idempotency_error',
          `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        );
      }
      return { status: stored.status, body: stored.body, replayed: true };
    }
    let reply: Reply;
    try {
      reply = this.route(method, path, params);
    } catch (err) {
      if (!(err instanceof WireError) || err.status >= 500) throw err;
      reply = { status: err.status, body: err.toBody() };
    }
    this.idempotency.set(key, { fingerprint, ...reply });
    return reply;
  }

  private route(method: string, path: string, params: FormObject): Reply {
    const intentPath = /^\/v1\/payment_intents\/([^/]+)(\/cancel)?$/.exec(path);
    if (method === 'POST' && path === '/v1/payment_intents')
      return { status: 200, body: this.ledger.createIntent(params) };
    if (method === 'POST' && path === '/v1/refunds')
      return { status: 200, body: this.ledger.createRefund(params) };
    if (intentPath?.[1] && method === 'GET' && !intentPath[2]) {
      return { status: 200, body: intentObject(this.ledger.requireIntent(intentPath[1])) };
    }
    if (intentPath?.[1] && method === 'POST' && intentPath[2]) {
      return { status: 200, body: this.ledger.cancelIntent(intentPath[1], params) };
    }
    throw new WireError(404, 'invalid_request_error', `Unrecognized request URL (${method}: ${path}).`);
  }
}
