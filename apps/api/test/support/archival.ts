import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { BookingDatabase } from '../../src/db/schema';
import type { BookingRow } from '../../src/modules/bookings/bookings.repository';

const iso = (ms: number) => new Date(ms).toISOString();
const DAY = 86_400_000;

/**
 * Writes one booking straight into the booking database the way the service leaves it: the row,
 * two history entries, an idempotency key and (when `claims`) claimed units. `endedDaysAgo` and
 * `updatedDaysAgo` are relative to `now`.
 */
export async function seedBooking(
  db: Kysely<BookingDatabase>,
  now: Date,
  o: {
    status: BookingRow['status'];
    endedDaysAgo: number;
    updatedDaysAgo?: number;
    patientId?: string;
    ownerId?: string;
    providerId?: string;
    paymentStatus?: string | null;
    claims?: boolean;
  },
): Promise<BookingRow> {
  const end = now.getTime() - o.endedDaysAgo * DAY;
  const start = end - 30 * 60_000;
  const updated = iso(now.getTime() - (o.updatedDaysAgo ?? o.endedDaysAgo) * DAY);
  const row: BookingRow = {
    id: randomUUID(),
    patient_id: o.patientId ?? randomUUID(),
    provider_id: o.providerId ?? randomUUID(),
    owner_id: o.ownerId ?? randomUUID(),
    service_id: randomUUID(),
    provider_name: 'Dr. Ana Ferreira',
    service_name: 'Check-up',
    time_zone: 'Europe/Lisbon',
    start_at: iso(start),
    end_at: iso(end),
    block_start_at: iso(start),
    block_end_at: iso(end),
    status: o.status,
    price_cents: 4500,
    currency: 'EUR',
    reason_for_visit: 'Check-up',
    new_patient: 0,
    cancellation_window_hours: 24,
    hold_expires_at: null,
    payment_intent_id: 'pi_seed',
    payment_client_secret: 'pi_seed_secret',
    payment_checkout_url: null,
    payment_status: o.paymentStatus === undefined ? 'succeeded' : o.paymentStatus,
    refunded_cents: 0,
    rescheduled_from: null,
    rescheduled_to: null,
    reminder_sent_at: null,
    version: 3,
    created_at: iso(start - 7 * DAY),
    updated_at: updated,
  };
  await db.insertInto('bookings').values(row).execute();
  await db
    .insertInto('booking_history')
    .values([
      {
        id: randomUUID(),
        booking_id: row.id,
        at: row.created_at,
        from_status: null,
        to_status: 'pending',
        actor_role: 'patient',
        actor_id: row.patient_id,
        reason: null,
      },
      {
        id: randomUUID(),
        booking_id: row.id,
        at: updated,
        from_status: 'confirmed',
        to_status: o.status,
        actor_role: 'system',
        actor_id: null,
        reason: null,
      },
    ])
    .execute();
  await db
    .insertInto('idempotency_keys')
    .values({
      user_id: row.patient_id,
      idem_key: `seed-${row.id}`,
      request_hash: '0'.repeat(64),
      booking_id: row.id,
      response_status: 201,
      response_body: '{}',
      created_at: row.created_at,
    })
    .execute();
  if (o.claims) {
    await db
      .insertInto('booking_claims')
      .values({ provider_id: row.provider_id, unit: Math.floor(start / 300_000), booking_id: row.id })
      .execute();
  }
  return row;
}

/** Empties every table the archival job touches. */
export async function clearBookings(db: Kysely<BookingDatabase>): Promise<void> {
  for (const table of [
    'booking_archival',
    'archived_bookings',
    'idempotency_keys',
    'booking_claims',
    'booking_history',
    'bookings',
  ] as const) {
    await db.deleteFrom(table).execute();
  }
}

/** How many rows reference each booking id, per table. */
export async function leftovers(db: Kysely<BookingDatabase>, ids: string[]) {
  const count = async (
    table: 'booking_history' | 'booking_claims' | 'idempotency_keys' | 'booking_archival',
  ) =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .where('booking_id', 'in', ids)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const bookings = Number(
    (
      await db
        .selectFrom('bookings')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('id', 'in', ids)
        .executeTakeFirstOrThrow()
    ).n,
  );
  return {
    bookings,
    history: await count('booking_history'),
    claims: await count('booking_claims'),
    idempotencyKeys: await count('idempotency_keys'),
    marks: await count('booking_archival'),
  };
}
