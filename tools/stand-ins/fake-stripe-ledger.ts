import {
  type ChargeState,
  type IntentState,
  intentObject,
  refundObject,
  stripeId,
} from '../../apps/api/src/adapters/payments/stripe-objects';
import { allowOnly, integerParam, stringParam, WireError } from './fake-stripe-wire';
import type { FormObject } from './form-encoding';

const CANCELABLE = [
  'requires_payment_method',
  'requires_capture',
  'requires_confirmation',
  'requires_action',
];
const REFUND_REASONS = ['duplicate', 'fraudulent', 'requested_by_customer'];
export const now = () => Math.floor(Date.now() / 1000);

/**
 * What the Stripe stand-in keeps: payment intents and their charges, and the endpoints that change
 * them (create and cancel an intent, refund its charge), with Stripe's checks and error bodies.
 * The HTTP side (keys, idempotency, faults) is `FakeStripeServer`'s.
 */
export class FakeStripeLedger {
  private readonly intents = new Map<string, IntentState>();
  private readonly charges = new Map<string, ChargeState>();

  /** Every intent created for a booking (its metadata.bookingId): exactly-once checks. */
  intentsFor(bookingId: string): IntentState[] {
    return [...this.intents.values()].filter((i) => i.metadata.bookingId === bookingId);
  }

  intent(id: string): IntentState | undefined {
    return this.intents.get(id);
  }

  /** The customer confirms the intent with a card that succeeds (what Stripe.js would do). */
  succeed(intentId: string): void {
    const intent = this.requireIntent(intentId);
    const charge: ChargeState = {
      id: stripeId('ch'),
      amount: intent.amount,
      amountRefunded: 0,
      currency: intent.currency,
      paymentIntent: intent.id,
      metadata: intent.metadata,
      created: now(),
    };
    this.charges.set(charge.id, charge);
    Object.assign(intent, { status: 'succeeded', latestCharge: charge.id, decline: null });
  }

  /** The customer's card is declined: the intent stays payable, with the decline recorded. */
  decline(intentId: string, declineCode: 'generic_decline' | 'insufficient_funds'): void {
    const message =
      declineCode === 'generic_decline' ? 'Your card was declined.' : 'Your card has insufficient funds.';
    Object.assign(this.requireIntent(intentId), {
      status: 'requires_payment_method',
      decline: { declineCode, message },
    });
  }

  /** The charge of an intent that was paid, if it was. */
  chargeOf(intent: IntentState): ChargeState | undefined {
    return intent.latestCharge ? this.charges.get(intent.latestCharge) : undefined;
  }

  requireIntent(id: string): IntentState {
    const intent = this.intents.get(id);
    if (!intent)
      throw new WireError(
        404,
        'invalid_request_error',
        `No such payment_intent: '${id}'`,
        'resource_missing',
        'intent',
      );
    return intent;
  }

  createIntent(params: FormObject): object {
    allowOnly(params, ['amount', 'currency', 'metadata', 'description', 'automatic_payment_methods']);
    const amount = integerParam(params, 'amount', true) as number;
    if (amount < 50)
      throw new WireError(
        400,
        'invalid_request_error',
        'Amount must be at least 50 cents.',
        'amount_too_small',
        'amount',
      );
    const currency = stringParam(params, 'currency', true) as string;
    if (!/^[a-z]{3}$/.test(currency))
      throw new WireError(
        400,
        'invalid_request_error',
        `Invalid currency: ${currency}.`,
        'parameter_invalid_string',
        'currency',
      );
    const metadata = params.metadata ?? {};
    if (
      typeof metadata !== 'object' ||
      Array.isArray(metadata) ||
      Object.values(metadata).some((v) => typeof v !== 'string')
    ) {
      throw new WireError(
        400,
        'invalid_request_error',
        'Invalid object',
        'parameter_invalid_object',
        'metadata',
      );
    }
    const id = stripeId('pi');
    const intent: IntentState = {
      id,
      amount,
      currency,
      status: 'requires_payment_method',
      clientSecret: `${id}_secret_${stripeId('cs').slice(3)}`,
      metadata: metadata as Record<string, string>,
      description: stringParam(params, 'description', false) ?? null,
      created: now(),
      canceledAt: null,
      decline: null,
      latestCharge: null,
    };
    this.intents.set(id, intent);
    return intentObject(intent);
  }

  cancelIntent(id: string, params: FormObject): object {
    allowOnly(params, ['cancellation_reason']);
    const intent = this.requireIntent(id);
    if (!CANCELABLE.includes(intent.status) && intent.status !== 'processing') {
      throw new WireError(
        400,
        'invalid_request_error',
        `You cannot cancel this PaymentIntent because it has a status of ${intent.status}. Only a PaymentIntent with one of the following statuses may be canceled: ${CANCELABLE.join(', ')}, processing.`,
        'payment_intent_unexpected_state',
      );
    }
    Object.assign(intent, { status: 'canceled', canceledAt: now() });
    return intentObject(intent);
  }

  createRefund(params: FormObject): object {
    allowOnly(params, ['payment_intent', 'amount', 'reason', 'metadata']);
    const intent = this.requireIntent(stringParam(params, 'payment_intent', true) as string);
    const charge = this.chargeOf(intent);
    if (intent.status !== 'succeeded' || !charge) {
      throw new WireError(
        400,
        'invalid_request_error',
        `This PaymentIntent (${intent.id}) does not have a successful charge to refund.`,
        'charge_not_refundable',
      );
    }
    const remaining = charge.amount - charge.amountRefunded;
    const amount = integerParam(params, 'amount', false) ?? remaining;
    if (amount < 1 || amount > remaining) {
      throw new WireError(
        400,
        'invalid_request_error',
        `Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining}).`,
        'amount_too_large',
        'amount',
      );
    }
    const reason = stringParam(params, 'reason', false) ?? null;
    if (reason !== null && !REFUND_REASONS.includes(reason)) {
      throw new WireError(
        400,
        'invalid_request_error',
        `Invalid reason: must be one of ${REFUND_REASONS.join(', ')}`,
        'parameter_invalid_string',
        'reason',
      );
    }
    charge.amountRefunded += amount;
    return refundObject({
      id: stripeId('re'),
      amount,
      charge: charge.id,
      currency: charge.currency,
      paymentIntent: intent.id,
      reason,
      metadata: {},
      created: now(),
    });
  }
}
