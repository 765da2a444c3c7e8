import type { Kysely, Selectable } from 'kysely';
import type { BookingDatabase, BookingHistoryTable, BookingsTable } from '../../db/schema';
import { paginate } from '../../lib/paginate';

export type BookingRow = Selectable<BookingsTable>;
export type HistoryRow = Selectable<BookingHistoryTable>;
type Db = Kysely<BookingDatabase>;

export interface BookingFilter {
  patientId?: string;
  ownerId?: string;
  providerId?: string;
  status?: BookingRow['status'];
  startFrom?: string;
  startBefore?: string;
  updatedSince?: string;
}

export class BookingsRepository {
  constructor(private readonly db: Db) {}

  byId(id: string, db: Db = this.db): Promise<BookingRow | undefined> {
    return db.selectFrom('bookings').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The bookings with these ids that exist, in no particular order (one statement). */
  byIds(ids: readonly string[], db: Db = this.db): Promise<BookingRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return db.selectFrom('bookings').selectAll().where('id', 'in', ids).execute();
  }

  byIntent(intentId: string, db: Db = this.db): Promise<BookingRow | undefined> {
    return db.selectFrom('bookings').selectAll().where('payment_intent_id', '=', intentId).executeTakeFirst();
  }

  /** Every booking paid by this intent: one, or the occurrences of a paid series (one payment). */
  allByIntent(intentId: string, db: Db = this.db): Promise<BookingRow[]> {
    return db
      .selectFrom('bookings')
      .selectAll()
      .where('payment_intent_id', '=', intentId)
      .orderBy('start_at')
      .execute();
  }

  /** Whether the booking is an occurrence of a series (its payment, if any, is the series'). */
  async inSeries(id: string, db: Db = this.db): Promise<boolean> {
    const row = await db
      .selectFrom('booking_series_occurrences')
      .select('series_id')
      .where('booking_id', '=', id)
      .executeTakeFirst();
    return row !== undefined;
  }

  history(bookingId: string, db: Db = this.db): Promise<HistoryRow[]> {
    return db
      .selectFrom('booking_history')
      .selectAll()
      .where('booking_id', '=', bookingId)
      .orderBy('at')
      .orderBy('id')
      .execute();
  }

  /** The histories of many bookings in one query, each in order. */
  async histories(bookingIds: readonly string[], db: Db = this.db): Promise<Map<string, HistoryRow[]>> {
    const out = new Map<string, HistoryRow[]>(bookingIds.map((id) => [id, []]));
    if (bookingIds.length === 0) return out;
    const rows = await db
      .selectFrom('booking_history')
      .selectAll()
      .where('booking_id', 'in', [...new Set(bookingIds)])
      .orderBy('at')
      .orderBy('id')
      .execute();
    for (const row of rows) out.get(row.booking_id)?.push(row);
    return out;
  }

  async insert(row: BookingRow, db: Db): Promise<void> {
    await db.insertInto('bookings').values(row).execute();
  }

  /** History entries, in one statement. */
  async addHistory(entries: readonly HistoryRow[], db: Db): Promise<void> {
    if (entries.length === 0) return;
    await db.insertInto('booking_history').values(entries).execute();
  }

  /** Claims every unit in one statement; the primary key refuses any unit already claimed. */
  async claim(providerId: string, bookingId: string, units: number[], db: Db): Promise<void> {
    await db
      .insertInto('booking_claims')
      .values(units.map((unit) => ({ provider_id: providerId, unit, booking_id: bookingId })))
      .execute();
  }

  async release(bookingId: string, db: Db): Promise<void> {
    await db.deleteFrom('booking_claims').where('booking_id', '=', bookingId).execute();
  }

  /** The claimed units of a provider in [fromUnit, toUnit). */
  async claimedUnits(providerId: string, fromUnit: number, toUnit: number): Promise<number[]> {
    const rows = await this.db
      .selectFrom('booking_claims')
      .select('unit')
      .where('provider_id', '=', providerId)
      .where('unit', '>=', fromUnit)
      .where('unit', '<', toUnit)
      .execute();
    return rows.map((r) => Number(r.unit));
  }

  /** Bookings holding any of these units of a provider. */
  async claimants(providerId: string, units: number[], db: Db = this.db): Promise<string[]> {
    const rows = await db
      .selectFrom('booking_claims')
      .select('booking_id')
      .distinct()
      .where('provider_id', '=', providerId)
      .where('unit', 'in', units)
      .execute();
    return rows.map((r) => r.booking_id);
  }

  /** The optimistic write: applies the change only if the version is still `expected`. */
  async updateIfVersion(
    id: string,
    expected: number,
    changes: Partial<BookingRow>,
    db: Db,
  ): Promise<boolean> {
    const result = await db
      .updateTable('bookings')
      .set({ ...changes, version: expected + 1 })
      .where('id', '=', id)
      .where('version', '=', expected)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async page(
    filter: BookingFilter,
    order: 'asc' | 'desc',
    page: number,
    pageSize: number,
  ): Promise<{ rows: BookingRow[]; total: number }> {
    return paginate(
      this.filtered(filter),
      (q) =>
        q
          .selectAll()
          .orderBy(filter.updatedSince ? 'updated_at' : 'start_at', filter.updatedSince ? 'asc' : order)
          .orderBy('id', order),
      page,
      pageSize,
    );
  }

  async count(filter: BookingFilter): Promise<number> {
    const row = await this.filtered(filter)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Keyset page in (start_at, id) order: the rows strictly after `after`. */
  afterKey(
    filter: BookingFilter,
    order: 'asc' | 'desc',
    after: { start: string; id: string } | undefined,
    limit: number,
  ): Promise<BookingRow[]> {
    let q = this.filtered(filter);
    if (after) {
      const op = order === 'asc' ? '>' : '<';
      q = q.where((eb) =>
        eb.or([
          eb('start_at', op, after.start),
          eb.and([eb('start_at', '=', after.start), eb('id', op, after.id)]),
        ]),
      );
    }
    return q.selectAll().orderBy('start_at', order).orderBy('id', order).limit(limit).execute();
  }

  /** Bookings matching the filter that the archival job is moving right now (usually none). */
  async beingArchived(filter: BookingFilter): Promise<string[]> {
    const rows = await this.filtered(filter)
      .innerJoin('booking_archival', 'booking_archival.booking_id', 'bookings.id')
      .select('bookings.id')
      .execute();
    return rows.map((r) => r.id);
  }

  private filtered(filter: BookingFilter) {
    let q = this.db.selectFrom('bookings');
    if (filter.patientId) q = q.where('patient_id', '=', filter.patientId);
    if (filter.ownerId) q = q.where('owner_id', '=', filter.ownerId);
    if (filter.providerId) q = q.where('provider_id', '=', filter.providerId);
    if (filter.status) q = q.where('status', '=', filter.status);
    if (filter.startFrom) q = q.where('start_at', '>=', filter.startFrom);
    if (filter.startBefore) q = q.where('start_at', '<', filter.startBefore);
    if (filter.updatedSince) q = q.where('updated_at', '>', filter.updatedSince);
    return q;
  }

  /** Sets payment fields without a status change (webhook outcomes, refunds). */
  async setPayment(
    id: string,
    changes: Pick<Partial<BookingRow>, 'payment_status' | 'refunded_cents'>,
    at: string,
    db: Db = this.db,
  ): Promise<void> {
    await db
      .updateTable('bookings')
      .set({ ...changes, updated_at: at })
      .where('id', '=', id)
      .execute();
  }

  /** A refund went through: `refund_pending` becomes `refunded` (once). */
  async markRefunded(id: string): Promise<void> {
    await this.db
      .updateTable('bookings')
      .set((eb) => ({ payment_status: 'refunded', refunded_cents: eb.ref('price_cents') }))
      .where('id', '=', id)
      .where('payment_status', '=', 'refund_pending')
      .execute();
  }

  /** Records a payment provider event id; throws a unique violation when it was seen before. */
  async recordPaymentEvent(
    row: { event_id: string; type: string; booking_id: string | null; processed_at: string },
    db: Db,
  ): Promise<void> {
    await db.insertInto('payment_events').values(row).execute();
  }

  /** Refunds left `refund_pending` since before `before`: for the lifecycle job to retry. */
  refundsPending(before: string, limit: number): Promise<BookingRow[]> {
    return this.db
      .selectFrom('bookings')
      .selectAll()
      .where('payment_status', '=', 'refund_pending')
      .where('updated_at', '<', before)
      .limit(limit)
      .execute();
  }

  /** Confirmed bookings starting in (from, to] that have not had their reminder. */
  remindersDue(from: string, to: string, limit: number): Promise<BookingRow[]> {
    return this.db
      .selectFrom('bookings')
      .selectAll()
      .where('status', '=', 'confirmed')
      .where('reminder_sent_at', 'is', null)
      .where('start_at', '>', from)
      .where('start_at', '<=', to)
      .limit(limit)
      .execute();
  }

  /** Marks the reminder sent; false when another instance did first. */
  async claimReminder(id: string, at: string, db: Db): Promise<boolean> {
    const result = await db
      .updateTable('bookings')
      .set({ reminder_sent_at: at })
      .where('id', '=', id)
      .where('reminder_sent_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Due work for the lifecycle job, oldest first. */
  due(
    status: BookingRow['status'][],
    column: 'hold_expires_at' | 'start_at' | 'end_at',
    before: string,
    limit: number,
  ) {
    return this.db
      .selectFrom('bookings')
      .selectAll()
      .where('status', 'in', status)
      .where(column, '<=', before)
      .orderBy(column)
      .limit(limit)
      .execute();
  }
}
