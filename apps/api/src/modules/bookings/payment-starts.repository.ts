import type { Kysely, Selectable } from 'kysely';
import type { BookingDatabase, PaymentStartsTable } from '../../db/schema';

type Db = Kysely<BookingDatabase>;
export type PaymentStartRow = Selectable<PaymentStartsTable>;

/** `payment_starts`: paid bookings whose payment intent is still to be created (payment-start.ts). */
export class PaymentStartsRepository {
  constructor(private readonly db: Db) {}

  async add(bookingId: string, at: string, db: Db): Promise<void> {
    await db
      .insertInto('payment_starts')
      .values({ booking_id: bookingId, lease_until: at, attempts: 0, last_error: null, created_at: at })
      .execute();
  }

  get(bookingId: string, db: Db = this.db): Promise<PaymentStartRow | undefined> {
    return db.selectFrom('payment_starts').selectAll().where('booking_id', '=', bookingId).executeTakeFirst();
  }

  /** Takes the lease when it is free (expired); true when this caller now holds it. */
  async claim(bookingId: string, now: string, until: string): Promise<boolean> {
    const result = await this.db
      .updateTable('payment_starts')
      .set((eb) => ({ lease_until: until, attempts: eb('attempts', '+', 1) }))
      .where('booking_id', '=', bookingId)
      .where('lease_until', '<=', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Gives the lease back after a failed attempt, so the next caller may try at once. */
  async fail(bookingId: string, now: string, error: string): Promise<void> {
    await this.db
      .updateTable('payment_starts')
      .set({ lease_until: now, last_error: error.slice(0, 500) })
      .where('booking_id', '=', bookingId)
      .execute();
  }

  async remove(bookingId: string, db: Db = this.db): Promise<void> {
    await db.deleteFrom('payment_starts').where('booking_id', '=', bookingId).execute();
  }

  /** Starts nobody is working on (lease lapsed), oldest first: for the lifecycle job. */
  async due(now: string, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('payment_starts')
      .select('booking_id')
      .where('lease_until', '<=', now)
      .orderBy('created_at')
      .limit(limit)
      .execute();
    return rows.map((r) => r.booking_id);
  }
}
