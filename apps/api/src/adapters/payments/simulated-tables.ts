/** Tables of the simulated provider (migration 20261124T2230-simulated-payments). */
export interface SimulatedPaymentsDatabase {
  simulated_payment_intents: {
    id: string;
    booking_id: string;
    amount_cents: number;
    currency: string;
    description: string;
    status: 'requires_payment_method' | 'succeeded' | 'canceled';
    client_secret: string;
    idempotency_key: string;
    request_hash: string;
    last_decline_code: string | null;
    refunded_cents: number;
    created_at: string;
    updated_at: string;
  };
  simulated_payment_refunds: {
    id: string;
    payment_intent_id: string;
    amount_cents: number;
    reason: string;
    idempotency_key: string;
    request_hash: string;
    created_at: string;
  };
  simulated_payment_deliveries: {
    id: string;
    payload: string;
    created_at: string;
    attempts: number;
    next_attempt_at: string;
    delivered_at: string | null;
    last_error: string | null;
  };
}

export type IntentRow = SimulatedPaymentsDatabase['simulated_payment_intents'];
