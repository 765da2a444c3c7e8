import type { Kysely } from 'kysely';
import type { BookingDatabase, InventoryDatabase } from '../../db/schema';
import type { BookingRow } from '../bookings/bookings.repository';

/** Bookings a practice sees on its schedule: cancelled and expired ones never show. */
const SHOWN: BookingRow['status'][] = [
  'pending',
  'payment_pending',
  'confirmed',
  'in_progress',
  'completed',
  'no_show',
];
export const isShownOnSchedule = (status: BookingRow['status']) => SHOWN.includes(status);

export interface PatientContact {
  id: string;
  name: string;
  email: string;
  phone: string | null;
}

const CHUNK = 500;

type RangeFilter = { ownerId: string; providerId?: string; from: string; to: string };

/** The practice schedule's reads: a range of the practice's bookings, and its patients' contacts. */
export class PracticeRepository {
  constructor(
    /** Every booking database (booking shards); a practice's bookings are on its listings' ones. */
    private readonly bookingsDbs: readonly Kysely<BookingDatabase>[],
    private readonly inventoryDb: Kysely<InventoryDatabase>,
    /**
     * The first booking database's routed read handle (`bookingsRead`, db/replication): the
     * schedule's past (bookings that started before now) may be read on its replicas; what is
     * still to come is always read on the primary.
     */
    private readonly history?: Kysely<BookingDatabase>,
  ) {}

  /**
   * Live bookings of an owner (optionally one listing) starting in `[from, to)`, by start; at most
   * `limit`. Those starting before `now` come from the history replica when there is one.
   */
  async bookingsInRange(filter: RangeFilter, limit: number, now: string): Promise<BookingRow[]> {
    const parts = await Promise.all(
      this.bookingsDbs.map((db, index) =>
        index === 0 && this.history
          ? this.splitAtNow(db, this.history, filter, limit, now)
          : this.inRange(db, filter, limit),
      ),
    );
    if (parts.length === 1) return parts[0] as BookingRow[];
    return parts
      .flat()
      .sort((a, b) => (a.start_at < b.start_at ? -1 : a.start_at > b.start_at ? 1 : a.id < b.id ? -1 : 1))
      .slice(0, limit);
  }

  /** The range's past on the history handle, the rest on the primary: one list in start order. */
  private async splitAtNow(
    primary: Kysely<BookingDatabase>,
    history: Kysely<BookingDatabase>,
    filter: RangeFilter,
    limit: number,
    now: string,
  ): Promise<BookingRow[]> {
    if (filter.from >= now) return this.inRange(primary, filter, limit);
    if (filter.to <= now) return this.inRange(history, filter, limit);
    const past = await this.inRange(history, { ...filter, to: now }, limit);
    if (past.length >= limit) return past;
    return [...past, ...(await this.inRange(primary, { ...filter, from: now }, limit - past.length))];
  }

  private inRange(db: Kysely<BookingDatabase>, filter: RangeFilter, limit: number): Promise<BookingRow[]> {
    let q = db
      .selectFrom('bookings')
      .selectAll()
      .where('owner_id', '=', filter.ownerId)
      .where('start_at', '>=', filter.from)
      .where('start_at', '<', filter.to)
      .where('status', 'in', SHOWN);
    if (filter.providerId) q = q.where('provider_id', '=', filter.providerId);
    return q.orderBy('start_at').orderBy('id').limit(limit).execute();
  }

  /**
   * Name, account e-mail and phone of each patient. The phone is the number the patient gave
   * Carebook (today: for reminders, `messaging_preferences`), null when they gave none.
   */
  async patientContacts(ids: readonly string[]): Promise<Map<string, PatientContact>> {
    const out = new Map<string, PatientContact>();
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += CHUNK) {
      const rows = await this.inventoryDb
        .selectFrom('users')
        // The phone the patient gave in their profile for the practice (sealed; opened by the
        // service), not the number they gave for SMS reminders.
        .leftJoin('patient_profiles', 'patient_profiles.user_id', 'users.id')
        .select(['users.id', 'users.display_name', 'users.email', 'patient_profiles.phone_sealed as phone'])
        .where('users.id', 'in', unique.slice(i, i + CHUNK))
        .execute();
      for (const r of rows)
        out.set(r.id, { id: r.id, name: r.display_name, email: r.email, phone: r.phone ?? null });
    }
    return out;
  }
}
