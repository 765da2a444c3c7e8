import { createHash, createHmac } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { BookingDatabase, SimulatedPaymentIntentsTable as IntentRow } from '../../db/schema';
import { DomainError } from '../../domain/errors';
import { type Clock, fromDbTime, systemClock, toDbTime } from '../../ports/clock';
import type {
  CreateIntentInput,
  PaymentEvent,
  PaymentIntent,
  PaymentsPort,
  RefundInput,
} from '../../ports/payments';
import { verifyStripeEvent } from './stripe-events';
import { chargeObject, type Decline, eventObject, intentObject, stripeId } from './stripe-objects';
import { type Deliver, WebhookDeliveries } from './webhook-deliveries';

/** Card numbers the simulated checkout accepts, with Stripe's outcome for each. */
export const TEST_CARDS: Record<string, Decline | null> = {
  '4242424242424242': null,
  '4000000000000002': { declineCode: 'generic_decline', message: 'Your card was declined.' },
  '4000000000009995': { declineCode: 'insufficient_funds', message: 'Your card has insufficient funds.' },
};

export interface SimulatedPaymentsOptions {
  /** The bookings database, migrated with `simulatedPayments`. */
  db: Kysely<BookingDatabase>;
  webhookSecret: string;
  /** Base URL of the web app; the checkout page is `${publicUrl}/checkout/${intentId}`. */
  publicUrl: string;
  /** Hands a signed Stripe-format event to our webhook endpoint; a throw means "retry later". */
  deliver: Deliver;
  clock?: Clock;
}

export type SimulatedIntent = Pick<IntentRow, 'id' | 'status'> & {
  bookingId: string;
  amountCents: number;
  currency: string;
  clientSecret: string;
  refundedCents: number;
  lastDeclineCode: string | null;
};

export type PayOutcome =
  | { status: 'succeeded' }
  | { status: 'declined'; declineCode: string; message: string };

const hash = (parts: unknown[]) => createHash('sha256').update(JSON.stringify(parts)).digest('hex');
const seconds = (iso: string) => Math.floor(fromDbTime(iso).getTime() / 1000);

/**
 * The embedded profile's payment provider. Intents live in the bookings database; outcomes leave
 * as Stripe-format events signed with Stripe's scheme and go through `deliver` to the same webhook
 * route and `parseWebhook` verification Stripe's deliveries use. Undelivered events are retried by
 * `retryPendingDeliveries()`, which a scheduled job calls.
 */
export class SimulatedPayments implements PaymentsPort {
  readonly name = 'simulated' as const;
  private readonly db: Kysely<BookingDatabase>;
  private readonly clock: Clock;
  private readonly secret: string;
  private readonly publicUrl: string;
  private readonly deliveries: WebhookDeliveries;

  constructor(options: SimulatedPaymentsOptions) {
    this.db = options.db;
    this.clock = options.clock ?? systemClock;
    this.secret = options.webhookSecret;
    this.publicUrl = options.publicUrl.replace(/\/+$/, '');
    this.deliveries = new WebhookDeliveries(this.db, this.secret, options.deliver, this.clock);
  }

  async createIntent(input: CreateIntentInput): Promise<PaymentIntent> {
    if (!Number.isInteger(input.amountCents) || input.amountCents < 1)
      throw new RangeError('amountCents must be a positive integer');
    if (!/^[A-Za-z]{3}$/.test(input.currency)) throw new RangeError('currency must be an ISO 4217 code');
    const requestHash = hash([
      input.bookingId,
      input.amountCents,
      input.currency.toUpperCase(),
      input.description,
    ]);
    const existing = await this.byIdempotencyKey(input.idempotencyKey, requestHash);
    if (existing) return this.toPortIntent(existing);
    const id = stripeId('pi_sim');
    const now = toDbTime(this.clock.now());
    const row: IntentRow = {
      id,
      booking_id: input.bookingId,
      amount_cents: input.amountCents,
      currency: input.currency.toUpperCase(),
      description: input.description.slice(0, 500),
      status: 'requires_payment_method',
      // Only a digest is stored: the secret itself is derived again from the id when needed.
      client_secret: `sha256:${createHash('sha256').update(this.clientSecret(id)).digest('hex')}`,
      idempotency_key: input.idempotencyKey,
      request_hash: requestHash,
      last_decline_code: null,
      refunded_cents: 0,
      created_at: now,
      updated_at: now,
    };
    try {
      await this.db.insertInto('simulated_payment_intents').values(row).execute();
    } catch (err) {
      // A concurrent create with the same key won the unique index: answer with its intent.
      const winner = await this.byIdempotencyKey(input.idempotencyKey, requestHash);
      if (!winner) throw err;
      return this.toPortIntent(winner);
    }
    return this.toPortIntent(row);
  }

  async getIntent(id: string): Promise<SimulatedIntent | undefined> {
    const row = await this.db
      .selectFrom('simulated_payment_intents')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      id: row.id,
      status: row.status,
      bookingId: row.booking_id,
      amountCents: row.amount_cents,
      currency: row.currency,
      clientSecret: this.secretOf(row),
      refundedCents: row.refunded_cents,
      lastDeclineCode: row.last_decline_code,
    };
  }

  /** The customer pays with a test card. Paying a paid intent again answers success and changes nothing. */
  async pay(intentId: string, cardNumber: string): Promise<PayOutcome> {
    const digits = cardNumber.replace(/[\s-]/g, '');
    const decline = TEST_CARDS[digits];
    if (decline === undefined) {
      throw new DomainError('VALIDATION_FAILED', `Use a test card: ${Object.keys(TEST_CARDS).join(', ')}.`, {
        errors: [{ path: '/body/cardNumber', message: 'is not a test card number' }],
      });
    }
    const eventId = stripeId('evt_sim');
    const outcome = await this.db.transaction().execute(async (trx) => {
      const now = toDbTime(this.clock.now());
      const changed = await trx
        .updateTable('simulated_payment_intents')
        .set(
          decline
            ? { last_decline_code: decline.declineCode, updated_at: now }
            : { status: 'succeeded', last_decline_code: null, updated_at: now },
        )
        .where('id', '=', intentId)
        .where('status', '=', 'requires_payment_method')
        .executeTakeFirst();
      const row = await trx
        .selectFrom('simulated_payment_intents')
        .selectAll()
        .where('id', '=', intentId)
        .executeTakeFirst();
      if (!row) throw new DomainError('NOT_FOUND', 'The payment does not exist.');
      if (Number(changed.numUpdatedRows) === 0) {
        if (row.status === 'succeeded') return { status: 'succeeded' } as const;
        throw new DomainError('CONFLICT', 'The payment was cancelled and can no longer be paid.');
      }
      const type = decline ? 'payment_intent.payment_failed' : 'payment_intent.succeeded';
      const event = eventObject(eventId, type, this.wireIntent(row, decline), seconds(now));
      await this.deliveries.enqueue(trx, eventId, JSON.stringify(event));
      return decline ? ({ status: 'declined', ...decline } as const) : ({ status: 'succeeded' } as const);
    });
    await this.deliverNow(eventId);
    return outcome;
  }

  /** Cancelling a cancelled intent is a no-op; a paid one cannot be cancelled (refund it). */
  async cancelIntent(paymentIntentId: string): Promise<void> {
    const changed = await this.db
      .updateTable('simulated_payment_intents')
      .set({ status: 'canceled', updated_at: toDbTime(this.clock.now()) })
      .where('id', '=', paymentIntentId)
      .where('status', '=', 'requires_payment_method')
      .executeTakeFirst();
    if (Number(changed.numUpdatedRows) === 1) return;
    const row = await this.getIntent(paymentIntentId);
    if (!row) throw new DomainError('NOT_FOUND', 'The payment does not exist.');
    if (row.status !== 'canceled')
      throw new DomainError('CONFLICT', 'A paid payment cannot be cancelled; refund it.');
  }

  async refund(input: RefundInput): Promise<{ id: string; status: 'pending' | 'succeeded' | 'failed' }> {
    const requestHash = hash([input.paymentIntentId, input.amountCents ?? null, input.reason]);
    const existing = await this.refundByKey(input.idempotencyKey, requestHash);
    if (existing) return { id: existing, status: 'succeeded' };
    const refundId = stripeId('re_sim');
    const eventId = stripeId('evt_sim');
    try {
      await this.db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('simulated_payment_intents')
          .selectAll()
          .where('id', '=', input.paymentIntentId)
          .executeTakeFirst();
        if (!row) throw new DomainError('NOT_FOUND', 'The payment does not exist.');
        if (row.status !== 'succeeded')
          throw new DomainError('CONFLICT', 'The payment has no successful charge to refund.');
        const remaining = row.amount_cents - row.refunded_cents;
        const amount = input.amountCents ?? remaining;
        if (!Number.isInteger(amount) || amount < 1 || amount > remaining) {
          throw new DomainError('UNPROCESSABLE', `The refund must be between 1 and ${remaining} cents.`);
        }
        const now = toDbTime(this.clock.now());
        const changed = await trx
          .updateTable('simulated_payment_intents')
          .set({ refunded_cents: row.refunded_cents + amount, updated_at: now })
          .where('id', '=', row.id)
          .where('refunded_cents', '=', row.refunded_cents)
          .executeTakeFirst();
        if (Number(changed.numUpdatedRows) !== 1)
          throw new DomainError('CONFLICT', 'The payment changed meanwhile; retry.');
        await trx
          .insertInto('simulated_payment_refunds')
          .values({
            id: refundId,
            payment_intent_id: row.id,
            amount_cents: amount,
            reason: input.reason,
            idempotency_key: input.idempotencyKey,
            request_hash: requestHash,
            created_at: now,
          })
          .execute();
        const charge = chargeObject({
          id: this.chargeId(row.id),
          amount: row.amount_cents,
          amountRefunded: row.refunded_cents + amount,
          currency: row.currency.toLowerCase(),
          paymentIntent: row.id,
          metadata: { bookingId: row.booking_id },
          created: seconds(row.updated_at),
        });
        await this.deliveries.enqueue(
          trx,
          eventId,
          JSON.stringify(eventObject(eventId, 'charge.refunded', charge, seconds(now))),
        );
      });
    } catch (err) {
      // A concurrent refund with the same key committed first.
      const winner = await this.refundByKey(input.idempotencyKey, requestHash);
      if (winner) return { id: winner, status: 'succeeded' };
      throw err;
    }
    await this.deliverNow(eventId);
    return { id: refundId, status: 'succeeded' };
  }

  parseWebhook(rawBody: Buffer, signatureHeader: string | undefined): PaymentEvent {
    return verifyStripeEvent(rawBody, signatureHeader, this.secret, this.clock);
  }

  /** Redelivers events whose delivery failed and whose backoff has passed. Call from a job. */
  retryPendingDeliveries(limit?: number): Promise<{ delivered: number; failed: number }> {
    return this.deliveries.retryPending(limit);
  }

  pendingDeliveries(): Promise<number> {
    return this.deliveries.pendingCount();
  }

  /** First delivery right after commit; whatever goes wrong, the event stays pending for the retry job. */
  private async deliverNow(eventId: string): Promise<void> {
    await this.deliveries.attempt(eventId).catch(() => false);
  }

  private async byIdempotencyKey(key: string, requestHash: string): Promise<IntentRow | undefined> {
    const row = await this.db
      .selectFrom('simulated_payment_intents')
      .selectAll()
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
    if (row && row.request_hash !== requestHash) {
      throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'The idempotency key was used for another payment.');
    }
    return row;
  }

  private async refundByKey(key: string, requestHash: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('simulated_payment_refunds')
      .select(['id', 'request_hash'])
      .where('idempotency_key', '=', key)
      .executeTakeFirst();
    if (row && row.request_hash !== requestHash) {
      throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'The idempotency key was used for another refund.');
    }
    return row?.id;
  }

  /**
   * The intent's client secret, derived from its id under the provider's own secret, so the
   * database holds no usable copy of it (rows from before this change stored it as it was).
   */
  private clientSecret(id: string): string {
    return `${id}_secret_${createHmac('sha256', this.secret).update(`client-secret:${id}`).digest('base64url').slice(0, 24)}`;
  }

  private secretOf(row: Pick<IntentRow, 'id' | 'client_secret'>): string {
    return row.client_secret.startsWith(`${row.id}_secret_`) ? row.client_secret : this.clientSecret(row.id);
  }

  private chargeId = (intentId: string) => intentId.replace(/^pi_/, 'ch_');

  private wireIntent(row: IntentRow, decline: Decline | null) {
    return intentObject({
      id: row.id,
      amount: row.amount_cents,
      currency: row.currency.toLowerCase(),
      status: row.status,
      // Webhook payloads (stored until delivered) never carry the secret; nothing here needs it.
      clientSecret: null,
      metadata: { bookingId: row.booking_id },
      description: row.description,
      created: seconds(row.created_at),
      canceledAt: null,
      decline,
      latestCharge: row.status === 'succeeded' ? this.chargeId(row.id) : null,
    });
  }

  private toPortIntent(row: IntentRow): PaymentIntent {
    return {
      id: row.id,
      clientSecret: this.secretOf(row),
      status: row.status,
      amountCents: row.amount_cents,
      currency: row.currency,
      checkoutUrl: `${this.publicUrl}/checkout/${row.id}`,
    };
  }
}
