import type { Kysely } from 'kysely';
import type { BookingDatabase, InventoryDatabase } from '../../db/schema';

/** The few read-only lookups the FHIR facade needs beyond the services' public methods. */
export class FhirRepository {
  constructor(
    private readonly inventory: Kysely<InventoryDatabase>,
    private readonly bookings: Kysely<BookingDatabase>,
  ) {}

  /** Ids of published listings, in a stable order (paging), optionally of one kind. */
  async publishedListingIds(kind?: 'practitioner' | 'clinic'): Promise<string[]> {
    let q = this.inventory.selectFrom('providers').select('id').where('status', '=', 'published');
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
    const rows = await this.bookings
      .selectFrom('bookings')
      .select('patient_id')
      .distinct()
      .where('owner_id', '=', ownerId)
      .orderBy('patient_id')
      .execute();
    return rows.map((r) => r.patient_id);
  }

  async isPatientOf(ownerId: string, patientId: string): Promise<boolean> {
    const row = await this.bookings
      .selectFrom('bookings')
      .select('id')
      .where('owner_id', '=', ownerId)
      .where('patient_id', '=', patientId)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  /** When any booking last changed (it moves busy and free slots). */
  async lastBookingChange(): Promise<string | null> {
    const row = await this.bookings
      .selectFrom('bookings')
      .select((eb) => eb.fn.max('updated_at').as('at'))
      .executeTakeFirst();
    return row?.at ?? null;
  }
}
