import Stripe from 'stripe';
import { DomainError } from '../../domain/errors';
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
    // A signed body that is not JSON.
    if (err instanceof SyntaxError)
      throw new DomainError('MALFORMED_JSON', 'The webhook body is not valid JSON.');
    // stripe-node throws a plain Error for some malformed headers (an empty `v1=`).
    throw new WebhookSignatureError('The Stripe-Signature header is malformed.');
  }
  // Every t= of the header (stripe-node uses the first): none may lie beyond the tolerance ahead.
  const nowSeconds = clock.now().getTime() / 1000;
  for (const [, t] of signatureHeader.matchAll(/(?:^|,)\s*t=([^,]*)/g))
    if (Number(t) - nowSeconds > WEBHOOK_TOLERANCE_SECONDS)
      throw new WebhookSignatureError('Timestamp is in the future, outside the tolerance zone');
  return toPaymentEvent(event);
}

const ID_MAX = 100;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= ID_MAX;

/**
 * What every event must carry before it is read, so a signed but malformed one (a provider bug, a
 * test tool) is refused with 400 instead of failing deep inside the booking update.
 */
function malformed(event: unknown): string | null {
  if (!isRecord(event)) return 'the event is not a JSON object';
  if (!isId(event.id)) return `id must be a string of 1 to ${ID_MAX} characters`;
  if (typeof event.type !== 'string' || event.type.length === 0) return 'type must be a string';
  if (!Number.isFinite(event.created)) return 'created must be a number';
  if (!['payment_intent.succeeded', 'payment_intent.payment_failed', 'charge.refunded'].includes(event.type))
    return null;
  const object = isRecord(event.data) ? event.data.object : undefined;
  if (!isRecord(object)) return 'data.object must be an object';
  const amount = event.type === 'charge.refunded' ? object.amount_refunded : object.amount;
  if (!Number.isSafeInteger(amount) || (amount as number) < 0) return 'the amount must be a whole number';
  if (typeof object.currency !== 'string' || !/^[A-Za-z]{3}$/.test(object.currency))
    return 'currency must be a three-letter code';
  if (event.type !== 'charge.refunded' && !isId(object.id)) return 'data.object.id must be an id';
  if (object.metadata !== undefined && object.metadata !== null && !isRecord(object.metadata))
    return 'metadata must be an object';
  return null;
}

/** A booking id from metadata only when it is one; anything else is found through the intent. */
const bookingIdOf = (metadata: unknown): string | null => {
  const id = isRecord(metadata) ? metadata.bookingId : undefined;
  return typeof id === 'string' && UUID.test(id) ? id : null;
};

/** Maps a Stripe event onto the port's PaymentEvent; every other type is 'other'. */
export function toPaymentEvent(event: Stripe.Event): PaymentEvent {
  const problem = malformed(event);
  if (problem) throw new DomainError('VALIDATION_FAILED', `The webhook event is malformed: ${problem}.`);
  const base = { id: event.id, created: event.created, rawType: event.type };
  switch (event.type) {
    case 'payment_intent.succeeded':
    case 'payment_intent.payment_failed': {
      const intent = event.data.object;
      return {
        ...base,
        type: event.type,
        paymentIntentId: intent.id,
        bookingId: bookingIdOf(intent.metadata),
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
        paymentIntentId: isId(pi) ? pi : isRecord(pi) && isId(pi.id) ? pi.id : null,
        bookingId: bookingIdOf(charge.metadata),
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
