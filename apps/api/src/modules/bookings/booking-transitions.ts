import type { Kysely } from 'kysely';
import type { BookingDatabase } from '../../db/schema';
import { DomainError } from '../../domain/errors';
import { newId } from '../../lib/ids';
import { appendToOutbox } from '../../lib/outbox';
import { type Clock, fromDbTime, toDbTime } from '../../ports/clock';
import type { BookingRow, BookingsRepository, HistoryRow } from './bookings.repository';
import { type Actor, type BookingEvent, type TransitionEffect, transition } from './domain';

type Db = Kysely<BookingDatabase>;

export interface ActorRef {
  role: Actor;
  id: string | null;
}

export const snapshotOf = (row: BookingRow) => ({
  status: row.status,
  price: row.price_cents,
  startsAt: fromDbTime(row.start_at).getTime(),
  endsAt: fromDbTime(row.end_at).getTime(),
  holdExpiresAt: row.hold_expires_at ? fromDbTime(row.hold_expires_at).getTime() : null,
});

const refusal: Record<
  string,
  'INVALID_TRANSITION' | 'FORBIDDEN' | 'CANCELLATION_WINDOW_PASSED' | 'REASON_REQUIRED'
> = {
  INVALID_TRANSITION: 'INVALID_TRANSITION',
  FORBIDDEN: 'FORBIDDEN',
  CANCELLATION_WINDOW_PASSED: 'CANCELLATION_WINDOW_PASSED',
  REASON_REQUIRED: 'REASON_REQUIRED',
};

/** Thrown when the row changed under us; the caller reloads and tries again. */
export class StaleBooking extends Error {}

/** One state-machine event worked out in code: the row after it, its history entry, its effects. */
export interface PlannedTransition {
  row: BookingRow;
  changes: Partial<BookingRow>;
  history: HistoryRow;
  effects: TransitionEffect[];
}

/**
 * Checks one event against the transition table at `now` and works out what it writes (the new
 * status under the next version, the history entry with its id); no I/O. Throws the refusal.
 */
export function planTransition(
  now: Date,
  row: BookingRow,
  event: BookingEvent,
  actor: ActorRef,
  extra: Partial<BookingRow> = {},
): PlannedTransition {
  const result = transition(snapshotOf(row), event, {
    actor: actor.role,
    now: now.getTime(),
    policy: { cancellationWindowHours: row.cancellation_window_hours },
  });
  if (!result.ok) {
    throw new DomainError(
      refusal[result.code] ?? 'INVALID_TRANSITION',
      `This booking cannot be changed: ${result.reason}.`,
    );
  }
  const at = toDbTime(now);
  const changes: Partial<BookingRow> = {
    status: result.to,
    updated_at: at,
    ...(result.to === 'pending' || result.to === 'payment_pending' ? {} : { hold_expires_at: null }),
    ...(result.effects.includes('refund') ? { payment_status: 'refund_pending' } : {}),
    ...extra,
  };
  return {
    row: { ...row, ...changes, version: row.version + 1 },
    changes,
    history: {
      id: newId(),
      booking_id: row.id,
      at,
      from_status: row.status,
      to_status: result.to,
      actor_role: actor.role,
      actor_id: actor.id,
      reason: event.reason ?? null,
    },
    effects: result.effects,
  };
}

/**
 * Applies one state-machine event inside the caller's transaction: checks the transition table,
 * writes the new status under the version lock, records history, releases claims when the booking
 * stops being active, and writes the outbox event. Returns the effects left for after commit.
 */
export async function applyTransition(
  trx: Db,
  deps: { repo: BookingsRepository; clock: Clock },
  row: BookingRow,
  event: BookingEvent,
  actor: ActorRef,
  extra: Partial<BookingRow> = {},
): Promise<{ row: BookingRow; effects: TransitionEffect[] }> {
  const planned = planTransition(deps.clock.now(), row, event, actor, extra);
  if (!(await deps.repo.updateIfVersion(row.id, row.version, planned.changes, trx))) throw new StaleBooking();
  await deps.repo.addHistory([planned.history], trx);
  if (planned.effects.includes('release_claims')) await deps.repo.release(row.id, trx);
  await appendBookingEvent(trx, 'booking.status_changed', planned.row, row.status, event.reason ?? null);
  return { row: planned.row, effects: planned.effects };
}

export async function appendBookingEvent(
  trx: Db,
  type: 'booking.created' | 'booking.status_changed' | 'booking.reminder_due',
  row: BookingRow,
  from: BookingRow['status'] | null,
  reason: string | null,
): Promise<void> {
  await appendToOutbox(
    trx,
    {
      type,
      aggregateType: 'booking',
      aggregateId: row.id,
      occurredAt: row.updated_at,
      payload: {
        bookingId: row.id,
        patientId: row.patient_id,
        providerId: row.provider_id,
        ownerId: row.owner_id,
        from,
        to: row.status,
        start: fromDbTime(row.start_at).toISOString(),
        end: fromDbTime(row.end_at).toISOString(),
        version: row.version,
        reason,
      },
    },
    'bookings_outbox',
  );
}

/** MySQL/MariaDB deadlocks and lock timeouts are safe to retry as a whole transaction. */
export function isRetryableLockError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ER_LOCK_DEADLOCK' || code === 'ER_LOCK_WAIT_TIMEOUT' || code === 'SQLITE_BUSY';
}

export async function withLockRetries<T>(work: () => Promise<T>, attempts = 6): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await work();
    } catch (err) {
      if (!isRetryableLockError(err) || i >= attempts) throw err;
      await new Promise((r) => setTimeout(r, Math.random() * 20 * i));
    }
  }
}
