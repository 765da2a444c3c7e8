import type { Kysely, Selectable } from 'kysely';
import type { BookingDatabase, WaitlistEntriesTable, WaitlistOffersTable } from '../../db/schema';
import { isUniqueViolation } from '../../lib/db-errors';

type Db = Kysely<BookingDatabase>;
export type EntryRow = Selectable<WaitlistEntriesTable>;
export type OfferRow = Selectable<WaitlistOffersTable>;

/** Every SQL statement of the waitlist. Status changes are conditional updates (first writer wins). */
export class WaitlistRepository {
  constructor(private readonly db: Db) {}

  async insertEntry(row: EntryRow): Promise<void> {
    await this.db.insertInto('waitlist_entries').values(row).execute();
  }

  async entry(id: string, db: Db = this.db): Promise<EntryRow | undefined> {
    return db.selectFrom('waitlist_entries').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** A patient's entries still in line or booked, oldest first. */
  entriesOf(patientId: string): Promise<EntryRow[]> {
    return this.db
      .selectFrom('waitlist_entries')
      .selectAll()
      .where('patient_id', '=', patientId)
      .where('status', '!=', 'left')
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  /** The line for one listing: waiting entries, oldest first (the fair order). */
  waiting(providerId: string): Promise<EntryRow[]> {
    return this.db
      .selectFrom('waitlist_entries')
      .selectAll()
      .where('provider_id', '=', providerId)
      .where('status', '=', 'waiting')
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  /** Slot starts this entry was ever offered (it is never offered one of them again). */
  async offeredStarts(entryId: string): Promise<Set<string>> {
    const rows = await this.db
      .selectFrom('waitlist_offers')
      .select('slot_start')
      .where('entry_id', '=', entryId)
      .execute();
    return new Set(rows.map((r) => r.slot_start));
  }

  offer(id: string): Promise<OfferRow | undefined> {
    return this.db.selectFrom('waitlist_offers').selectAll().where('id', '=', id).executeTakeFirst();
  }

  offerOfBooking(bookingId: string): Promise<OfferRow | undefined> {
    return this.db
      .selectFrom('waitlist_offers')
      .selectAll()
      .where('booking_id', '=', bookingId)
      .executeTakeFirst();
  }

  /** The open offers of these entries. */
  openOffers(entryIds: string[]): Promise<OfferRow[]> {
    if (entryIds.length === 0) return Promise.resolve([]);
    return this.db
      .selectFrom('waitlist_offers')
      .selectAll()
      .where('entry_id', 'in', entryIds)
      .where('status', '=', 'offered')
      .execute();
  }

  /**
   * Records an offer and moves its entry from waiting to offered, inside the caller's transaction.
   * False when the offer exists already (a redelivered event) or the entry is no longer waiting.
   */
  async addOffer(row: OfferRow, trx: Db): Promise<boolean> {
    try {
      await trx.insertInto('waitlist_offers').values(row).execute();
    } catch (err) {
      if (isUniqueViolation(err)) return false;
      throw err;
    }
    const moved = await trx
      .updateTable('waitlist_entries')
      .set({ status: 'offered', updated_at: row.created_at })
      .where('id', '=', row.entry_id)
      .where('status', '=', 'waiting')
      .executeTakeFirst();
    return Number(moved.numUpdatedRows) === 1;
  }

  /**
   * Closes an open offer and moves its entry on (`waiting` again, or `booked`); false when the
   * offer was already closed. One transaction.
   */
  closeOffer(
    offerId: string,
    status: Exclude<OfferRow['status'], 'offered'>,
    entryStatus: 'waiting' | 'booked',
    at: string,
  ): Promise<boolean> {
    return this.db.transaction().execute((trx) => this.closeOfferIn(trx, offerId, status, entryStatus, at));
  }

  /** `closeOffer` inside the caller's transaction (an accept that moves a booking). */
  async closeOfferIn(
    trx: Db,
    offerId: string,
    status: Exclude<OfferRow['status'], 'offered'>,
    entryStatus: 'waiting' | 'booked',
    at: string,
  ): Promise<boolean> {
    const closed = await trx
      .updateTable('waitlist_offers')
      .set({ status, updated_at: at })
      .where('id', '=', offerId)
      .where('status', '=', 'offered')
      .executeTakeFirst();
    if (Number(closed.numUpdatedRows) !== 1) return false;
    const offer = await trx
      .selectFrom('waitlist_offers')
      .select('entry_id')
      .where('id', '=', offerId)
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('waitlist_entries')
      .set({ status: entryStatus, updated_at: at })
      .where('id', '=', offer.entry_id)
      .where('status', '=', 'offered')
      .execute();
    return true;
  }

  /**
   * An accepted offer whose booking expired unpaid: the offer is closed as expired and the entry
   * waits again, keeping its place in line (its `created_at`). False when already done.
   */
  reopenUnpaid(offerId: string, at: string): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const closed = await trx
        .updateTable('waitlist_offers')
        .set({ status: 'expired', updated_at: at })
        .where('id', '=', offerId)
        .where('status', '=', 'accepted')
        .executeTakeFirst();
      if (Number(closed.numUpdatedRows) !== 1) return false;
      const offer = await trx
        .selectFrom('waitlist_offers')
        .select('entry_id')
        .where('id', '=', offerId)
        .executeTakeFirstOrThrow();
      await trx
        .updateTable('waitlist_entries')
        .set({ status: 'waiting', updated_at: at })
        .where('id', '=', offer.entry_id)
        .where('status', '=', 'booked')
        .execute();
      return true;
    });
  }

  /** Leaves the line; false when the entry had already left or was booked. */
  async leave(id: string, at: string): Promise<boolean> {
    const r = await this.db
      .updateTable('waitlist_entries')
      .set({ status: 'left', updated_at: at })
      .where('id', '=', id)
      .where('status', 'in', ['waiting', 'offered'])
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
}
