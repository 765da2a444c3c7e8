import type { Kysely, Selectable } from 'kysely';
import type { BookingSeriesOccurrencesTable, WaitlistOffersTable } from '../../db/booking-schema';
import type { BookingDatabase } from '../../db/schema';
import { ERASED_DISPLAY_NAME } from '../accounts/users.repository';
import { chunks } from './personal-data.repository';

type Db = Kysely<BookingDatabase>;

/**
 * The booking database's side of a person's data for export and erasure: what a practice keeps
 * (times, service, price, status) stays; what the person wrote goes.
 */
export class BookingDataRepository {
  constructor(private readonly db: Db) {}

  async liveBookingIds(patientId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('bookings')
      .select('id')
      .where('patient_id', '=', patientId)
      .execute();
    return rows.map((r) => r.id);
  }

  /** Ids of the events about these bookings still in the outbox (they key the e-mails sent about them). */
  async eventIds(bookingIds: readonly string[]): Promise<string[]> {
    const out: string[] = [];
    for (const part of chunks(bookingIds)) {
      const rows = await this.db
        .selectFrom('bookings_outbox')
        .select('id')
        .where('aggregate_id', 'in', part)
        .execute();
      out.push(...rows.map((r) => r.id));
    }
    return out;
  }

  reviews(patientId: string) {
    return this.db
      .selectFrom('reviews')
      .selectAll()
      .where('patient_id', '=', patientId)
      .orderBy('created_at')
      .execute();
  }

  /** The waitlist entries the person joined (every status), oldest first, with each one's offers. */
  async waitlist(patientId: string) {
    const entries = await this.db
      .selectFrom('waitlist_entries')
      .selectAll()
      .where('patient_id', '=', patientId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const offers: Selectable<WaitlistOffersTable>[] = [];
    for (const part of chunks(entries.map((e) => e.id))) {
      offers.push(
        ...(await this.db
          .selectFrom('waitlist_offers')
          .selectAll()
          .where('entry_id', 'in', part)
          .orderBy('created_at')
          .orderBy('id')
          .execute()),
      );
    }
    return entries.map((entry) => ({ entry, offers: offers.filter((o) => o.entry_id === entry.id) }));
  }

  /** The recurring series the person booked, oldest first, with their bookings in order. */
  async series(patientId: string) {
    const series = await this.db
      .selectFrom('booking_series')
      .selectAll()
      .where('patient_id', '=', patientId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const occurrences: Selectable<BookingSeriesOccurrencesTable>[] = [];
    for (const part of chunks(series.map((s) => s.id))) {
      occurrences.push(
        ...(await this.db
          .selectFrom('booking_series_occurrences')
          .selectAll()
          .where('series_id', 'in', part)
          .orderBy('occurrence')
          .execute()),
      );
    }
    return series.map((row) => ({
      row,
      bookingIds: occurrences.filter((o) => o.series_id === row.id).map((o) => o.booking_id),
    }));
  }

  /**
   * Removes what the person wrote or what was stored for them: the reason for visit (sealed under
   * their destroyed key anyway, overwritten here too), the reasons they gave in the history, their
   * idempotency records (stored responses quote the booking), and their reviews' text and name
   * (the rating stays in the listing's average). In one transaction.
   */
  async scrub(patientId: string, at: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('bookings')
        .set({ reason_for_visit: '', updated_at: at })
        .where('patient_id', '=', patientId)
        .where('reason_for_visit', '!=', '')
        .execute();
      await trx
        .updateTable('booking_history')
        .set({ reason: null })
        .where('actor_id', '=', patientId)
        .where('reason', 'is not', null)
        .execute();
      await trx.deleteFrom('idempotency_keys').where('user_id', '=', patientId).execute();
      await trx
        .updateTable('reviews')
        .set({ author: ERASED_DISPLAY_NAME, text: '' })
        .where('patient_id', '=', patientId)
        .execute();
      // Out of every waitlist: nobody is offered times on an erased account's behalf. (An open
      // offer's hold was cancelled with their bookings; its entry leaves here too.)
      await trx
        .updateTable('waitlist_entries')
        .set({ status: 'left', updated_at: at })
        .where('patient_id', '=', patientId)
        .where('status', 'in', ['waiting', 'offered'])
        .execute();
    });
  }
}
