import { type Kysely, type Selectable, sql } from 'kysely';
import type { BookingDatabase, ReviewsTable } from '../../db/schema';

export type ReviewRow = Selectable<ReviewsTable>;

/** SQL of verified reviews (booking database). */
export class ReviewsRepository {
  constructor(private readonly db: Kysely<BookingDatabase>) {}

  booking(id: string) {
    return this.db
      .selectFrom('bookings')
      .select(['id', 'patient_id', 'provider_id', 'owner_id', 'service_name', 'status', 'end_at'])
      .where('id', '=', id)
      .executeTakeFirst();
  }

  /** When the booking became completed (its history), if it did. */
  async completedAt(bookingId: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('booking_history')
      .select((eb) => eb.fn.max('at').as('at'))
      .where('booking_id', '=', bookingId)
      .where('to_status', '=', 'completed')
      .executeTakeFirst();
    return row?.at ?? null;
  }

  async insert(row: ReviewRow): Promise<void> {
    await this.db.insertInto('reviews').values(row).execute();
  }

  byBooking(bookingId: string): Promise<ReviewRow | undefined> {
    return this.db.selectFrom('reviews').selectAll().where('booking_id', '=', bookingId).executeTakeFirst();
  }

  byId(id: string): Promise<ReviewRow | undefined> {
    return this.db.selectFrom('reviews').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Sets the reply if there is none yet; false when the practice already replied. */
  async reply(id: string, text: string, by: string, at: string): Promise<boolean> {
    const res = await this.db
      .updateTable('reviews')
      .set({ reply_text: text, reply_by: by, replied_at: at })
      .where('id', '=', id)
      .where('reply_text', 'is', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  async hide(id: string, reason: string, by: string, at: string): Promise<boolean> {
    const res = await this.db
      .updateTable('reviews')
      .set({ hidden_at: at, hidden_reason: reason, hidden_by: by })
      .where('id', '=', id)
      .where('hidden_at', 'is', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  async visibleForProvider(providerId: string, page: number, pageSize: number) {
    const base = this.db
      .selectFrom('reviews')
      .where('provider_id', '=', providerId)
      .where('hidden_at', 'is', null);
    const [items, agg] = await Promise.all([
      base
        .selectAll()
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      base
        .select((eb) => [
          eb.fn.countAll<number | string>().as('n'),
          eb.fn.coalesce(eb.fn.sum<number | string>('rating'), sql<number>`0`).as('total'),
        ])
        .executeTakeFirstOrThrow(),
    ]);
    return { items, count: Number(agg.n), sum: Number(agg.total) };
  }

  async all(page: number, pageSize: number) {
    const [items, count] = await Promise.all([
      this.db
        .selectFrom('reviews')
        .selectAll()
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      this.db
        .selectFrom('reviews')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    return { items, total: Number(count.n) };
  }
}
