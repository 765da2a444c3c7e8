import type { Booking } from '@carebook/contracts';
import type { Kysely } from 'kysely';
import type { BookingDatabase } from '../../db/schema';
import { DomainError, notFound } from '../../domain/errors';
import type { Principal } from '../../lib/request-meta';
import { fromDbTime } from '../../ports/clock';
import { maySeeBooking } from './booking-access';
import { type BookingCommands, partiesOf } from './booking-commands';
import type { BookingsContext } from './booking-context';
import { ClaimTaken, insertBooking } from './booking-insert';
import { type ActorRef, applyTransition, StaleBooking, withLockRetries } from './booking-transitions';
import type { BookingRow } from './bookings.repository';
import { newBookingRow } from './new-booking';

export interface MoveOptions {
  /**
   * A hold of the same patient at the new time (a waitlist offer): it is released in the same
   * transaction and the moved booking takes its time.
   */
  replacesHold?: string;
  /** More writes in the same transaction (the waitlist closes its offer); a throw undoes the move. */
  within?: (trx: Kysely<BookingDatabase>) => Promise<void>;
}

const notHeld = () => new DomainError('INVALID_TRANSITION', 'The offered time is no longer held for you.');

/**
 * Moves a confirmed booking: the new booking is created (confirmed, carrying the old one's
 * payment) and the old one cancelled and linked to it, in one transaction, or neither. With
 * `replacesHold`, the new time is that hold's (released in the same transaction).
 */
export async function reschedule(
  d: BookingsContext,
  commands: BookingCommands,
  principal: Principal,
  id: string,
  start: string | null,
  reason: string | undefined,
  options: MoveOptions = {},
): Promise<Booking> {
  const old = await d.repo.byId(id);
  if (!old) await commands.refuseIfArchived(principal, id);
  if (!old || !maySeeBooking(principal, partiesOf(old))) throw notFound('The booking');
  if (old.status !== 'confirmed') {
    throw new DomainError(
      'INVALID_TRANSITION',
      'Only a confirmed booking can be rescheduled; cancel a hold and book again.',
    );
  }
  const heldRow = options.replacesHold ? await d.repo.byId(options.replacesHold) : undefined;
  if (options.replacesHold && heldRow?.patient_id !== old.patient_id) throw notHeld();
  const newStart = heldRow ? fromDbTime(heldRow.start_at).toISOString() : start;
  if (!newStart) throw notHeld();
  const listing = await d.providers.get(null, old.provider_id);
  // The new booking carries the old one's sealed fields (same patient, same key; legacy plaintext gets sealed).
  const [sealedReason, sealedSecret, cancelReason, releaseReason] = await Promise.all([
    d.privacy.sealIfPlain(old.patient_id, old.reason_for_visit),
    d.privacy.sealIfPlain(old.patient_id, old.payment_client_secret),
    d.privacy.encryptForPatient(old.patient_id, reason ?? 'Rescheduled'),
    d.privacy.encryptForPatient(old.patient_id, `Taken over by booking ${old.id}, moved here`),
  ]);
  const next = newBookingRow(
    old.patient_id,
    listing,
    {
      providerId: old.provider_id,
      serviceId: old.service_id,
      start: newStart,
      reasonForVisit: sealedReason ?? '',
      newPatient: old.new_patient === 1,
    },
    d.clock.now().getTime(),
    d.holdMinutes,
  );
  // The new booking takes over the old one's payment: it is confirmed from the start.
  const carried: BookingRow = {
    ...next,
    status: 'confirmed',
    hold_expires_at: null,
    price_cents: old.price_cents,
    currency: old.currency,
    payment_intent_id: old.payment_intent_id,
    payment_client_secret: sealedSecret,
    payment_checkout_url: null,
    payment_status: old.payment_status,
    rescheduled_from: old.id,
  };
  const actor: ActorRef = { role: principal.role, id: principal.userId };
  let released: BookingRow | null = null;
  try {
    await withLockRetries(() =>
      d.db.transaction().execute(async (trx) => {
        const current = await d.repo.byId(id, trx);
        if (!current || current.version !== old.version) throw new StaleBooking();
        // Cancel first (checks the patient's window and frees the old time), then claim the new time.
        await applyTransition(trx, d, current, { type: 'cancel', reason: cancelReason }, actor, {
          rescheduled_to: carried.id,
          payment_status: current.payment_status,
        });
        released = null;
        if (heldRow) {
          const hold = await d.repo.byId(heldRow.id, trx);
          const now = d.clock.now().getTime();
          if (
            !hold ||
            (hold.status !== 'pending' && hold.status !== 'payment_pending') ||
            !hold.hold_expires_at ||
            fromDbTime(hold.hold_expires_at).getTime() <= now
          )
            throw notHeld();
          // The patient drops the hold (allowed at any time) and the moved booking claims its time.
          released = (await applyTransition(trx, d, hold, { type: 'cancel', reason: releaseReason }, actor))
            .row;
        }
        await insertBooking(trx, d.repo, carried, actor, `Rescheduled from ${old.id}`);
        await options.within?.(trx);
      }),
    );
  } catch (err) {
    if (err instanceof ClaimTaken)
      throw new DomainError('SLOT_TAKEN', 'That time is no longer free; the booking was not changed.');
    if (err instanceof StaleBooking)
      throw new DomainError('CONFLICT', 'The booking changed meanwhile; reload and try again.');
    throw err;
  }
  const dropped = released as BookingRow | null;
  await d.changed(dropped ? [old.id, dropped.id, carried.id] : [old.id, carried.id]);
  // The released hold's payment (a paid offer) is no longer wanted: the moved booking carries the old one's.
  if (dropped?.payment_intent_id) await commands.cancelIntent(dropped);
  return commands.read(carried.id);
}
