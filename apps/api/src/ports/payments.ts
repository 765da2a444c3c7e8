/**
 * Taking money for a booking. Two adapters: a simulated provider (embedded profile) and Stripe.
 * Both deliver outcomes the same way: a signed webhook to POST /api/v1/payments/webhook, verified
 * and parsed by `parseWebhook`, so the booking code has exactly one path for payment outcomes.
 */
export interface CreateIntentInput {
  bookingId: string;
  amountCents: number;
  /** ISO 4217, upper case */
  currency: string;
  description: string;
  /** Provider-side idempotency: the same key never creates a second intent. */
  idempotencyKey: string;
}

export interface PaymentIntent {
  id: string;
  /** For a client-side confirmation (Stripe.js) or the simulated checkout page. */
  clientSecret: string;
  status: 'requires_payment_method' | 'processing' | 'succeeded' | 'canceled';
  amountCents: number;
  currency: string;
  /** Where a browser completes the payment, when the adapter hosts a checkout (simulated). */
  checkoutUrl: string | null;
}

export interface RefundInput {
  paymentIntentId: string;
  /** Omit for a full refund. */
  amountCents?: number;
  idempotencyKey: string;
  reason: 'requested_by_customer' | 'duplicate' | 'fraudulent';
}

/** A verified webhook event, reduced to what bookings need. Unknown types come through as 'other'. */
export interface PaymentEvent {
  /** Provider event id: deliveries are deduplicated on it. */
  id: string;
  type: 'payment_intent.succeeded' | 'payment_intent.payment_failed' | 'charge.refunded' | 'other';
  paymentIntentId: string | null;
  /** From the intent's metadata.bookingId. */
  bookingId: string | null;
  amountCents: number | null;
  /** ISO 4217, upper case: the intent's (or charge's) currency; null for 'other'. */
  currency: string | null;
  /** Provider's event creation time, epoch seconds (events can arrive out of order). */
  created: number;
  /** The raw type, for logging. */
  rawType: string;
}

export class WebhookSignatureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookSignatureError';
  }
}

export interface PaymentsPort {
  readonly name: 'simulated' | 'stripe';
  createIntent(input: CreateIntentInput): Promise<PaymentIntent>;
  cancelIntent(paymentIntentId: string): Promise<void>;
  refund(input: RefundInput): Promise<{ id: string; status: 'pending' | 'succeeded' | 'failed' }>;
  /** Verifies the signature over the exact raw body; throws WebhookSignatureError when it fails. */
  parseWebhook(rawBody: Buffer, signatureHeader: string | undefined): PaymentEvent;
}
