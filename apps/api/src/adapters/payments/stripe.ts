import Stripe from 'stripe';
import { type Clock, systemClock } from '../../ports/clock';
import type {
  CreateIntentInput,
  PaymentEvent,
  PaymentIntent,
  PaymentsPort,
  RefundInput,
} from '../../ports/payments';
import { verifyStripeEvent } from './stripe-events';

export interface StripePaymentsOptions {
  secretKey: string;
  webhookSecret: string;
  /** Only to point stripe-node at another server (tests); defaults to api.stripe.com over https. */
  host?: string;
  port?: number;
  protocol?: 'http' | 'https';
  /** "Now" for the webhook timestamp tolerance. */
  clock?: Clock;
}

/**
 * Stripe through stripe-node. Network errors, 409s and 5xx are retried twice by stripe-node with
 * the same idempotency key (so a retried create never makes a second intent) and then thrown.
 */
export class StripePayments implements PaymentsPort {
  readonly name = 'stripe' as const;
  private readonly stripe: Stripe;
  private readonly clock: Clock;

  constructor(private readonly options: StripePaymentsOptions) {
    this.clock = options.clock ?? systemClock;
    this.stripe = new Stripe(options.secretKey, {
      maxNetworkRetries: 2,
      timeout: 20_000,
      telemetry: false,
      ...(options.host ? { host: options.host } : {}),
      ...(options.port ? { port: options.port } : {}),
      ...(options.protocol ? { protocol: options.protocol } : {}),
    });
  }

  async createIntent(input: CreateIntentInput): Promise<PaymentIntent> {
    const intent = await this.stripe.paymentIntents.create(
      {
        amount: input.amountCents,
        currency: input.currency.toLowerCase(),
        metadata: { bookingId: input.bookingId },
        description: input.description,
        automatic_payment_methods: { enabled: true },
      },
      { idempotencyKey: input.idempotencyKey },
    );
    if (!intent.client_secret) throw new Error(`Stripe returned ${intent.id} without a client secret`);
    return {
      id: intent.id,
      clientSecret: intent.client_secret,
      status: portStatus(intent.status),
      amountCents: intent.amount,
      currency: intent.currency.toUpperCase(),
      checkoutUrl: null,
    };
  }

  /** Cancelling an already cancelled intent is a no-op; a paid one cannot be cancelled (refund it). */
  async cancelIntent(paymentIntentId: string): Promise<void> {
    try {
      await this.stripe.paymentIntents.cancel(paymentIntentId);
    } catch (err) {
      if (!(err instanceof Stripe.errors.StripeInvalidRequestError)) throw err;
      if (err.code !== 'payment_intent_unexpected_state') throw err;
      const current = await this.stripe.paymentIntents.retrieve(paymentIntentId);
      if (current.status !== 'canceled') throw err;
    }
  }

  async refund(input: RefundInput): Promise<{ id: string; status: 'pending' | 'succeeded' | 'failed' }> {
    const refund = await this.stripe.refunds.create(
      {
        payment_intent: input.paymentIntentId,
        ...(input.amountCents !== undefined ? { amount: input.amountCents } : {}),
        reason: input.reason,
      },
      { idempotencyKey: input.idempotencyKey },
    );
    const status =
      refund.status === 'succeeded'
        ? 'succeeded'
        : refund.status === 'failed' || refund.status === 'canceled'
          ? 'failed'
          : 'pending';
    return { id: refund.id, status };
  }

  parseWebhook(rawBody: Buffer, signatureHeader: string | undefined): PaymentEvent {
    return verifyStripeEvent(rawBody, signatureHeader, this.options.webhookSecret, this.clock);
  }
}

/** Stripe's finer states, reduced to the port's: anything still waiting on the customer is requires_payment_method. */
function portStatus(status: string): PaymentIntent['status'] {
  if (status === 'succeeded' || status === 'canceled' || status === 'processing') return status;
  if (status === 'requires_capture') return 'processing';
  return 'requires_payment_method';
}
