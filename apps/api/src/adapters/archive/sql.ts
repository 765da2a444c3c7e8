import type { Kysely } from 'kysely';
import type { ArchivedBookingsTable, BookingDatabase } from '../../db/schema';
import { isUniqueViolation } from '../../lib/db-errors';
import type { ArchivedBooking, ArchiveFilter, ArchiveListOptions, BookingArchive } from '../../ports/archive';

/**
 * The archive as a table in the booking database (embedded profile default; also fine on MariaDB).
 * One row per booking: the record as JSON plus the columns the listings filter and sort on, with
 * an index per history (patient, practice, listing, all) on (key, start_at, id).
 */
export class SqlBookingArchive implements BookingArchive {
  constructor(private readonly db: Kysely<BookingDatabase>) {}

  async put(records: readonly ArchivedBooking[]): Promise<void> {
    for (const record of records) await this.putOne(record);
  }

  /** Replace-if-newer, else insert; a unique violation means a concurrent insert won: retry the replace. */
  private async putOne(record: ArchivedBooking): Promise<void> {
    const b = record.booking;
    const row: ArchivedBookingsTable = {
      id: b.id,
      patient_id: b.patient_id,
      owner_id: b.owner_id,
      provider_id: b.provider_id,
      status: b.status,
      start_at: b.start_at,
      updated_at: b.updated_at,
      version: b.version,
      record: JSON.stringify(record),
    };
    if (await this.replaceIfNewer(row)) return;
    try {
      await this.db.insertInto('archived_bookings').values(row).execute();
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      await this.replaceIfNewer(row);
    }
  }

  private async replaceIfNewer(row: ArchivedBookingsTable): Promise<boolean> {
    const { id, ...changes } = row;
    const result = await this.db
      .updateTable('archived_bookings')
      .set(changes)
      .where('id', '=', id)
      .where((eb) =>
        eb.or([
          eb('updated_at', '<', row.updated_at),
          eb.and([eb('updated_at', '=', row.updated_at), eb('version', '<', row.version)]),
        ]),
      )
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async get(id: string): Promise<ArchivedBooking | null> {
    const row = await this.db
      .selectFrom('archived_bookings')
      .select('record')
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? (JSON.parse(row.record) as ArchivedBooking) : null;
  }

  async list(filter: ArchiveFilter, options: ArchiveListOptions): Promise<ArchivedBooking[]> {
    let q = this.filtered(filter);
    const after = options.after;
    if (after) {
      const op = options.order === 'asc' ? '>' : '<';
      q = q.where((eb) =>
        eb.or([
          eb('start_at', op, after.start),
          eb.and([eb('start_at', '=', after.start), eb('id', op, after.id)]),
        ]),
      );
    }
    const rows = await q
      .select('record')
      .orderBy('start_at', options.order)
      .orderBy('id', options.order)
      .limit(options.limit)
      .execute();
    return rows.map((r) => JSON.parse(r.record) as ArchivedBooking);
  }

  async count(filter: ArchiveFilter): Promise<number> {
    const row = await this.filtered(filter)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async close(): Promise<void> {
    // The database belongs to the caller.
  }

  private filtered(filter: ArchiveFilter) {
    let q = this.db.selectFrom('archived_bookings');
    if (filter.patientId) q = q.where('patient_id', '=', filter.patientId);
    if (filter.ownerId) q = q.where('owner_id', '=', filter.ownerId);
    if (filter.providerId) q = q.where('provider_id', '=', filter.providerId);
    if (filter.status) q = q.where('status', '=', filter.status);
    if (filter.startFrom) q = q.where('start_at', '>=', filter.startFrom);
    if (filter.startBefore) q = q.where('start_at', '<', filter.startBefore);
    return q;
  }
}
