import type { Kysely, Selectable } from 'kysely';
import type { BookingDatabase, BookingSeriesTable } from '../../db/schema';
import type { BookingRow } from './bookings.repository';

type Db = Kysely<BookingDatabase>;
export type SeriesRow = Selectable<BookingSeriesTable>;

/** A booking row and its place in a series (all four null for a single booking). */
export type BookingWithSeries = BookingRow & {
  series_id: string | null;
  series_occurrence: number | null;
  series_occurrences: number | null;
  series_interval_weeks: number | null;
};

/** Recurring series and the bookings that are their occurrences (booking database). */
export class SeriesRepository {
  constructor(private readonly db: Db) {}

  async insert(row: SeriesRow, db: Db): Promise<void> {
    await db.insertInto('booking_series').values(row).execute();
  }

  /** Numbers the series' bookings 1, 2, … in the order given. */
  async addOccurrences(seriesId: string, bookingIds: string[], db: Db): Promise<void> {
    await db
      .insertInto('booking_series_occurrences')
      .values(bookingIds.map((booking_id, i) => ({ series_id: seriesId, occurrence: i + 1, booking_id })))
      .execute();
  }

  byId(id: string): Promise<SeriesRow | undefined> {
    return this.db.selectFrom('booking_series').selectAll().where('id', '=', id).executeTakeFirst();
  }

  byKey(patientId: string, key: string): Promise<SeriesRow | undefined> {
    return this.db
      .selectFrom('booking_series')
      .selectAll()
      .where('patient_id', '=', patientId)
      .where('idem_key', '=', key)
      .executeTakeFirst();
  }

  /** The occurrences in order: (occurrence number, booking id). */
  occurrences(seriesId: string): Promise<{ occurrence: number; booking_id: string }[]> {
    return this.db
      .selectFrom('booking_series_occurrences')
      .select(['occurrence', 'booking_id'])
      .where('series_id', '=', seriesId)
      .orderBy('occurrence')
      .execute();
  }

  /** The series a booking belongs to, and its place in it; undefined for a single booking. */
  occurrenceOf(
    bookingId: string,
  ): Promise<{ id: string; occurrence: number; occurrences: number; interval_weeks: number } | undefined> {
    return this.db
      .selectFrom('booking_series_occurrences as o')
      .innerJoin('booking_series as s', 's.id', 'o.series_id')
      .select([
        's.id as id',
        'o.occurrence as occurrence',
        's.occurrences as occurrences',
        's.interval_weeks as interval_weeks',
      ])
      .where('o.booking_id', '=', bookingId)
      .executeTakeFirst();
  }

  /**
   * Bookings by id, each with the series it is an occurrence of (`series_id` null for a single
   * booking), in one statement (for notifications); in no particular order, missing ids left out.
   */
  bookingsWithSeries(ids: readonly string[]): Promise<BookingWithSeries[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('bookings as b')
      .leftJoin('booking_series_occurrences as o', 'o.booking_id', 'b.id')
      .leftJoin('booking_series as s', 's.id', 'o.series_id')
      .selectAll('b')
      .select([
        'o.series_id as series_id',
        'o.occurrence as series_occurrence',
        's.occurrences as series_occurrences',
        's.interval_weeks as series_interval_weeks',
      ])
      .where('b.id', 'in', ids)
      .execute();
  }

  /** Forgets a series whose payment could not start (its bookings stay, cancelled): its key is free again. */
  async remove(id: string, db: Db): Promise<void> {
    await db.deleteFrom('booking_series_occurrences').where('series_id', '=', id).execute();
    await db.deleteFrom('booking_series').where('id', '=', id).execute();
  }

  /** Whether this patient has booked with this practice before (the practice may book a series for them). */
  async isPatientOf(ownerId: string, patientId: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('bookings')
      .select('id')
      .where('owner_id', '=', ownerId)
      .where('patient_id', '=', patientId)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }
}
