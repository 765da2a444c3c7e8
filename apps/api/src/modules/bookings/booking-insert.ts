import type { Kysely } from 'kysely';
import type { BookingDatabase } from '../../db/schema';
import { isUniqueViolation } from '../../lib/db-errors';
import { newId } from '../../lib/ids';
import { type ActorRef, appendBookingEvent, type PlannedTransition } from './booking-transitions';
import type { BookingRow, BookingsRepository, HistoryRow } from './bookings.repository';
import { unitsOf } from './claims';

/** The booking's time is claimed by another active booking (the claims' primary key refused it). */
export class ClaimTaken extends Error {}

/** A new booking as it will be stored: its row and its history, in order. */
export interface NewBookingRecord {
  row: BookingRow;
  history: HistoryRow[];
}

/**
 * A new booking worked out in code, before anything is written: its first history entry (from
 * nothing to its status), and, when `then` is given (it plans a transition from `row` in the same
 * transaction, e.g. a free booking confirmed at once), the row as it stands after that step with
 * its second history entry. `then` runs after the first entry has its id: ids are time-ordered and
 * history is read in (at, id) order, so the entries keep the order they happened in. The caller can
 * build the booking's answer from the record without reading it back: every value the database
 * would return is here.
 */
export function newBookingRecord(
  row: BookingRow,
  actor: ActorRef,
  reason: string | null = null,
  then?: (row: BookingRow) => PlannedTransition,
): NewBookingRecord {
  const created: HistoryRow = {
    id: newId(),
    booking_id: row.id,
    at: row.created_at,
    from_status: null,
    to_status: row.status,
    actor_role: actor.role,
    actor_id: actor.id,
    reason,
  };
  if (!then) return { row, history: [created] };
  const next = then(row);
  return { row: next.row, history: [created, next.history] };
}

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
): Promise<void> {
  await insertBookingRecord(trx, repo, newBookingRecord(row, actor, reason));
}

/**
 * `insertBooking` for a record made by `newBookingRecord`: four statements (the row, its history
 * entries together, its claims together, one outbox event). A booking stored past its first status
 * (created and confirmed in one transaction) is announced once, as `booking.created` from nothing
 * to that status: every consumer handles one event, and nobody hears of a "requested" step.
 */
export async function insertBookingRecord(
  trx: Kysely<BookingDatabase>,
  repo: BookingsRepository,
  record: NewBookingRecord,
): Promise<void> {
  const { row, history } = record;
  await repo.insert(row, trx);
  await repo.addHistory(history, trx);
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
  await appendBookingEvent(trx, 'booking.created', row, null, history[0]?.reason ?? null);
}
