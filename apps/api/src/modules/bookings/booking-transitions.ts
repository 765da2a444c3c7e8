import type { Kysely } from 'kysely';
import type { BookingDatabase } from '../../db/schema';
import { DomainError } from '../../domain/errors';
import { appendToOutbox } from '../../lib/outbox';
import { type Clock, fromDbTime, toDbTime } from '../../ports/clock';
import type { BookingRow, BookingsRepository } from './bookings.repository';
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
  /**
   * `'created'`: the booking was inserted in this same transaction and no event was written for it
   * yet; the one event announcing it is `booking.created` with its status after this step (from
   * null), instead of a `booking.created` followed by a `booking.status_changed`.
   */
  announce: 'change' | 'created' = 'change',
): Promise<{ row: BookingRow; effects: TransitionEffect[] }> {
  const now = deps.clock.now();
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
  if (!(await deps.repo.updateIfVersion(row.id, row.version, changes, trx))) throw new StaleBooking();
  const next: BookingRow = { ...row, ...changes, version: row.version + 1 };
  await deps.repo.addHistory(
    {
      booking_id: row.id,
      at,
      from_status: row.status,
      to_status: result.to,
      actor_role: actor.role,
      actor_id: actor.id,
      reason: event.reason ?? null,
    },
    trx,
  );
  if (result.effects.includes('release_claims')) await deps.repo.release(row.id, trx);
  if (announce === 'created') await appendBookingEvent(trx, 'booking.created', next, null, null);
  else await appendBookingEvent(trx, 'booking.status_changed', next, row.status, event.reason ?? null);
  return { row: next, effects: result.effects };
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
