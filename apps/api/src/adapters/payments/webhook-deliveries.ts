import type { Kysely } from 'kysely';
import type { BookingDatabase } from '../../db/schema';
import { type Clock, toDbTime } from '../../ports/clock';
import { signStripePayload } from './stripe-events';

export type Deliver = (rawBody: Buffer, signature: string) => Promise<void>;

/** Waits after the n-th failed attempt: 30 s, 1 min, 2 min… capped at one hour. */
export const retryDelayMs = (attempts: number): number => Math.min(30_000 * 2 ** (attempts - 1), 3_600_000);

/**
 * An outbox of signed webhook events. An event is written in the same transaction as the payment
 * state it reports, delivered right after commit, and, when delivery throws, left pending and
 * retried with backoff by `retryPending` until it lands: an outcome is never lost. Each attempt
 * is claimed with a conditional update, so several instances never deliver one attempt twice
 * (the receiver deduplicates by event id anyway). Each attempt is signed afresh, so a late retry
 * still falls inside the receiver's timestamp tolerance.
 */
export class WebhookDeliveries {
  constructor(
    private readonly db: Kysely<BookingDatabase>,
    private readonly secret: string,
    private readonly deliver: Deliver,
    private readonly clock: Clock,
  ) {}

  async enqueue(trx: Kysely<BookingDatabase>, id: string, payload: string): Promise<void> {
    const now = toDbTime(this.clock.now());
    await trx
      .insertInto('simulated_payment_deliveries')
      .values({
        id,
        payload,
        created_at: now,
        attempts: 0,
        next_attempt_at: now,
        delivered_at: null,
        last_error: null,
      })
      .execute();
  }

  /** One attempt at one pending event; false when it failed or another instance holds it. */
  async attempt(id: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('simulated_payment_deliveries')
      .selectAll()
      .where('id', '=', id)
      .where('delivered_at', 'is', null)
      .executeTakeFirst();
    if (!row) return false;
    const now = this.clock.now();
    const attempts = row.attempts + 1;
    const claimed = await this.db
      .updateTable('simulated_payment_deliveries')
      .set({ attempts, next_attempt_at: toDbTime(new Date(now.getTime() + retryDelayMs(attempts))) })
      .where('id', '=', id)
      .where('delivered_at', 'is', null)
      .where('attempts', '=', row.attempts)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) return false;
    try {
      await this.deliver(Buffer.from(row.payload), signStripePayload(row.payload, this.secret, this.clock));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      await this.db
        .updateTable('simulated_payment_deliveries')
        .set({ last_error: message.slice(0, 500) })
        .where('id', '=', id)
        .execute();
      return false;
    }
    await this.db
      .updateTable('simulated_payment_deliveries')
      .set({ delivered_at: toDbTime(this.clock.now()), last_error: null })
      .where('id', '=', id)
      .execute();
    return true;
  }

  /**
   * Retries every event whose backoff has passed, oldest first. `failed` counts attempts that did
   * not deliver (the receiver threw, or another instance claimed the event first).
   */
  async retryPending(limit = 100): Promise<{ delivered: number; failed: number }> {
    const due = await this.db
      .selectFrom('simulated_payment_deliveries')
      .select('id')
      .where('delivered_at', 'is', null)
      .where('next_attempt_at', '<=', toDbTime(this.clock.now()))
      .orderBy('created_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    let delivered = 0;
    for (const { id } of due) if (await this.attempt(id)) delivered++;
    return { delivered, failed: due.length - delivered };
  }

  /** Events not yet delivered (for health checks and tests). */
  async pendingCount(): Promise<number> {
    const row = await this.db
      .selectFrom('simulated_payment_deliveries')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('delivered_at', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
