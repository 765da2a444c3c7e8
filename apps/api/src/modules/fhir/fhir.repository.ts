import type { Kysely } from 'kysely';
import type { BookingDatabase, InventoryDatabase } from '../../db/schema';

/**
 * The few read-only lookups the FHIR facade needs beyond the services' public methods; those over
 * bookings ask every booking database (a practice's listings may sit on several).
 */
export class FhirRepository {
  constructor(
    private readonly inventory: Kysely<InventoryDatabase>,
    /** Every booking database (docs/scaling.md, "Booking shards"), the first first. */
    private readonly bookings: readonly Kysely<BookingDatabase>[],
    /**
     * Where the public directory's listing ids are read: the inventory's replicas when there are
     * (`INVENTORY_REPLICA_URLS`, routed with read-your-writes like the public listing pages), else
     * the primary. The listings themselves are then read through the providers service.
     */
    private readonly directory: Kysely<InventoryDatabase> = inventory,
  ) {}

  /** Ids of published listings, in a stable order (paging), optionally of one kind. */
  async publishedListingIds(kind?: 'practitioner' | 'clinic'): Promise<string[]> {
    let q = this.directory.selectFrom('providers').select('id').where('status', '=', 'published');
    if (kind) q = q.where('kind', '=', kind);
    return (await q.orderBy('id').execute()).map((r) => r.id);
  }

  /** The listing a service belongs to (any status: visibility is the providers service's call). */
  async listingOfService(serviceId: string): Promise<string | null> {
    const row = await this.inventory
      .selectFrom('provider_services')
      .select('provider_id')
      .where('id', '=', serviceId)
      .executeTakeFirst();
    return row?.provider_id ?? null;
  }

  /** A practice's patients: everyone who ever booked with it, in a stable order. */
  async patientsOf(ownerId: string): Promise<string[]> {
    // A practice's listings may sit on different booking databases: each one's patients, merged.
    const parts = await Promise.all(
      this.bookings.map((db) =>
        db
          .selectFrom('bookings')
          .select('patient_id')
          .distinct()
          .where('owner_id', '=', ownerId)
          .orderBy('patient_id')
          .execute(),
      ),
    );
    const [only] = parts;
    if (parts.length === 1 && only) return only.map((r) => r.patient_id);
    return [...new Set(parts.flat().map((r) => r.patient_id))].sort();
  }

  async isPatientOf(ownerId: string, patientId: string): Promise<boolean> {
    for (const db of this.bookings) {
      const row = await db
        .selectFrom('bookings')
        .select('id')
        .where('owner_id', '=', ownerId)
        .where('patient_id', '=', patientId)
        .limit(1)
        .executeTakeFirst();
      if (row) return true;
    }
    return false;
  }

  /** When any booking last changed (it moves busy and free slots), on any booking database. */
  async lastBookingChange(): Promise<string | null> {
    const rows = await Promise.all(
      this.bookings.map((db) =>
        db
          .selectFrom('bookings')
          .select((eb) => eb.fn.max('updated_at').as('at'))
          .executeTakeFirst(),
      ),
    );
    const times = rows.flatMap((r) => (r?.at ? [r.at] : [])).sort();
    return times.at(-1) ?? null;
  }
}
