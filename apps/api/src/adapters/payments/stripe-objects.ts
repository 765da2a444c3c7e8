import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';

/**
 * Stripe's wire shapes for the few objects we speak about (PaymentIntent, Charge, Refund, Event),
 * built from plain state. The simulated provider emits these in its webhooks and the fake Stripe
 * server answers with them, so both look to our code exactly like Stripe does.
 */
export const stripeId = (prefix: string): string => `${prefix}_${randomBytes(12).toString('hex')}`;

export type IntentStatus =
  | 'requires_payment_method'
  | 'requires_confirmation'
  | 'requires_action'
  | 'processing'
  | 'requires_capture'
  | 'succeeded'
  | 'canceled';

export interface Decline {
  /** Stripe's decline_code: generic_decline, insufficient_funds… */
  declineCode: string;
  message: string;
}

export interface IntentState {
  id: string;
  amount: number;
  /** Lower case, as on the wire. */
  currency: string;
  status: IntentStatus;
  clientSecret: string | null;
  metadata: Record<string, string>;
  description: string | null;
  created: number;
  canceledAt: number | null;
  decline: Decline | null;
  latestCharge: string | null;
}

export function intentObject(s: IntentState) {
  return {
    id: s.id,
    object: 'payment_intent',
    amount: s.amount,
    amount_capturable: 0,
    amount_received: s.status === 'succeeded' ? s.amount : 0,
    automatic_payment_methods: { enabled: true },
    canceled_at: s.canceledAt,
    cancellation_reason: null,
    capture_method: 'automatic',
    client_secret: s.clientSecret,
    confirmation_method: 'automatic',
    created: s.created,
    currency: s.currency,
    customer: null,
    description: s.description,
    last_payment_error: s.decline
      ? {
          type: 'card_error',
          code: 'card_declined',
          decline_code: s.decline.declineCode,
          message: s.decline.message,
        }
      : null,
    latest_charge: s.latestCharge,
    livemode: false,
    metadata: s.metadata,
    next_action: null,
    payment_method: null,
    payment_method_types: ['card'],
    status: s.status,
  };
}

export interface ChargeState {
  id: string;
  amount: number;
  amountRefunded: number;
  currency: string;
  paymentIntent: string;
  metadata: Record<string, string>;
  created: number;
}

export function chargeObject(s: ChargeState) {
  return {
    id: s.id,
    object: 'charge',
    amount: s.amount,
    amount_captured: s.amount,
    amount_refunded: s.amountRefunded,
    captured: true,
    created: s.created,
    currency: s.currency,
    livemode: false,
    metadata: s.metadata,
    paid: true,
    payment_intent: s.paymentIntent,
    refunded: s.amountRefunded >= s.amount,
    status: 'succeeded',
  };
}

export interface RefundState {
  id: string;
  amount: number;
  charge: string | null;
  currency: string;
  paymentIntent: string;
  reason: string | null;
  metadata: Record<string, string>;
  created: number;
}

export function refundObject(s: RefundState) {
  return {
    id: s.id,
    object: 'refund',
    amount: s.amount,
    charge: s.charge,
    created: s.created,
    currency: s.currency,
    metadata: s.metadata,
    payment_intent: s.paymentIntent,
    reason: s.reason,
    status: 'succeeded',
  };
}

/** A snapshot event as Stripe posts it to a webhook endpoint. */
export function eventObject(id: string, type: string, object: object, created: number) {
  return {
    id,
    object: 'event',
    api_version: Stripe.API_VERSION,
    created,
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  };
}
