import type { Kysely } from 'kysely';
import type { BookingDatabase } from '../../db/schema';
import { isUniqueViolation } from '../../lib/db-errors';
import { type ActorRef, appendBookingEvent } from './booking-transitions';
import type { BookingRow, BookingsRepository } from './bookings.repository';
import { unitsOf } from './claims';

/** The booking's time is claimed by another active booking (the claims' primary key refused it). */
export class ClaimTaken extends Error {}

/**
 * The one step every new booking takes inside its caller's transaction (a single booking, each
 * occurrence of a series, the new row of a reschedule): the row, its first history entry, its
 * claims on (provider, 5-minute unit) and the `booking.created` outbox event. A claim refused by
 * the primary key throws `ClaimTaken`; the caller's transaction then rolls back.
 */
export async function insertBooking(
  trx: Kysely<BookingDatabase>,
  repo: BookingsRepository,
  row: BookingRow,
  actor: ActorRef,
  reason: string | null = null,
  options: { announce?: boolean } = {},
): Promise<void> {
  await repo.insert(row, trx);
  await repo.addHistory(
    {
      booking_id: row.id,
      at: row.created_at,
      from_status: null,
      to_status: row.status,
      actor_role: actor.role,
      actor_id: actor.id,
      reason,
    },
    trx,
  );
  try {
    await repo.claim(
      row.provider_id,
      row.id,
      unitsOf(Date.parse(row.block_start_at), Date.parse(row.block_end_at)),
      trx,
    );
  } catch (err) {
    if (isUniqueViolation(err)) throw new ClaimTaken();
    throw err;
  }
  if (options.announce !== false) await appendBookingEvent(trx, 'booking.created', row, null, reason);
}
