import type { ReviewEvent } from '@carebook/contracts';
import { type Kysely, type Selectable, sql } from 'kysely';
import type { BookingDatabase, ReviewsTable } from '../../db/schema';
import { appendToOutbox } from '../../lib/outbox';

export type ReviewRow = Selectable<ReviewsTable>;
type Db = Kysely<BookingDatabase>;
/** The review a change is about: its event names the review and its listing. */
type Changed = { id: string; provider_id: string };

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

  /**
   * Runs `work` and, when it changed the review, appends its event to the booking outbox in the
   * same transaction (search re-reads the listing's rating from it): a change without its event
   * never commits.
   */
  private changed(
    type: ReviewEvent['type'],
    review: Changed,
    at: string,
    work: (trx: Db) => Promise<boolean>,
  ): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      if (!(await work(trx))) return false;
      await appendToOutbox(
        trx,
        {
          type,
          aggregateType: 'review',
          aggregateId: review.id,
          occurredAt: at,
          payload: { reviewId: review.id, providerId: review.provider_id },
        },
        'bookings_outbox',
      );
      return true;
    });
  }

  async insert(row: ReviewRow): Promise<void> {
    await this.changed('review.created', row, row.created_at, async (trx) => {
      await trx.insertInto('reviews').values(row).execute();
      return true;
    });
  }

  byBooking(bookingId: string): Promise<ReviewRow | undefined> {
    return this.db.selectFrom('reviews').selectAll().where('booking_id', '=', bookingId).executeTakeFirst();
  }

  byId(id: string): Promise<ReviewRow | undefined> {
    return this.db.selectFrom('reviews').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Sets the reply if there is none yet; false when the practice already replied. */
  reply(review: Changed, text: string, by: string, at: string): Promise<boolean> {
    return this.changed('review.replied', review, at, async (trx) => {
      const res = await trx
        .updateTable('reviews')
        .set({ reply_text: text, reply_by: by, replied_at: at })
        .where('id', '=', review.id)
        .where('reply_text', 'is', null)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) === 1;
    });
  }

  hide(review: Changed, reason: string, by: string, at: string): Promise<boolean> {
    return this.changed('review.hidden', review, at, async (trx) => {
      const res = await trx
        .updateTable('reviews')
        .set({ hidden_at: at, hidden_reason: reason, hidden_by: by })
        .where('id', '=', review.id)
        .where('hidden_at', 'is', null)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) === 1;
    });
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
