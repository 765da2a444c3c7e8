import Stripe from 'stripe';
import type { Clock } from '../../ports/clock';
import { type PaymentEvent, WebhookSignatureError } from '../../ports/payments';

/**
 * Stripe's default: a signature older than five minutes is refused, and so is one dated more
 * than five minutes ahead (stripe-node only checks the age, so a future-dated one would pass).
 */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/**
 * The one verification path for both adapters: stripe-node checks the `Stripe-Signature` header
 * (t=…,v1=HMAC-SHA256 of `${t}.${body}`) over the exact raw bytes, then the event is reduced to
 * what bookings need. `clock` decides "now" for the timestamp tolerance.
 */
export function verifyStripeEvent(
  rawBody: Buffer,
  signatureHeader: string | undefined,
  secret: string,
  clock: Clock,
): PaymentEvent {
  if (!signatureHeader) throw new WebhookSignatureError('The Stripe-Signature header is missing.');
  let event: Stripe.Event;
  try {
    // stripe-node takes "received at" in milliseconds.
    const receivedAt = clock.now().getTime();
    event = Stripe.webhooks.constructEvent(
      rawBody,
      signatureHeader,
      secret,
      WEBHOOK_TOLERANCE_SECONDS,
      undefined,
      receivedAt,
    );
  } catch (err) {
    if (err instanceof Stripe.errors.StripeSignatureVerificationError) {
      throw new WebhookSignatureError(err.message);
    }
    throw err;
  }
  // Every t= of the header (stripe-node uses the first): none may lie beyond the tolerance ahead.
  const nowSeconds = clock.now().getTime() / 1000;
  for (const [, t] of signatureHeader.matchAll(/(?:^|,)\s*t=([^,]*)/g))
    if (Number(t) - nowSeconds > WEBHOOK_TOLERANCE_SECONDS)
      throw new WebhookSignatureError('Timestamp is in the future, outside the tolerance zone');
  return toPaymentEvent(event);
}

/** Maps a Stripe event onto the port's PaymentEvent; every other type is 'other'. */
export function toPaymentEvent(event: Stripe.Event): PaymentEvent {
  const base = { id: event.id, created: event.created, rawType: event.type };
  switch (event.type) {
    case 'payment_intent.succeeded':
    case 'payment_intent.payment_failed': {
      const intent = event.data.object;
      return {
        ...base,
        type: event.type,
        paymentIntentId: intent.id,
        bookingId: intent.metadata?.bookingId ?? null,
        amountCents: intent.amount,
        currency: intent.currency.toUpperCase(),
      };
    }
    case 'charge.refunded': {
      const charge = event.data.object;
      const pi = charge.payment_intent;
      return {
        ...base,
        type: event.type,
        paymentIntentId: typeof pi === 'string' ? pi : (pi?.id ?? null),
        bookingId: charge.metadata?.bookingId ?? null,
        amountCents: charge.amount_refunded,
        currency: charge.currency.toUpperCase(),
      };
    }
    default:
      return {
        ...base,
        type: 'other',
        paymentIntentId: null,
        bookingId: null,
        amountCents: null,
        currency: null,
      };
  }
}

/** Signs a payload exactly as Stripe does, with stripe-node's own helper. */
export function signStripePayload(payload: string, secret: string, clock: Clock): string {
  const timestamp = Math.floor(clock.now().getTime() / 1000);
  return Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });
}
