import type { Booking } from '@carebook/contracts';
import { DomainError, notFound } from '../../domain/errors';
import { isUniqueViolation } from '../../lib/db-errors';
import type { Principal } from '../../lib/request-meta';
import { maySeeBooking } from './booking-access';
import { type BookingCommands, partiesOf } from './booking-commands';
import type { BookingsContext } from './booking-context';
import {
  type ActorRef,
  appendBookingEvent,
  applyTransition,
  StaleBooking,
  withLockRetries,
} from './booking-transitions';
import type { BookingRow } from './bookings.repository';
import { unitsOf } from './claims';
import { newBookingRow } from './new-booking';

class SlotTaken extends Error {}

/**
 * Moves a confirmed booking: the new booking is created (confirmed, carrying the old one's
 * payment) and the old one cancelled and linked to it, in one transaction, or neither.
 */
export async function reschedule(
  d: BookingsContext,
  commands: BookingCommands,
  principal: Principal,
  id: string,
  start: string,
  reason: string | undefined,
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
  const listing = await d.providers.get(null, old.provider_id);
  // The new booking carries the old one's sealed fields (same patient, same key; legacy plaintext gets sealed).
  const [sealedReason, sealedSecret, cancelReason] = await Promise.all([
    d.privacy.sealIfPlain(old.patient_id, old.reason_for_visit),
    d.privacy.sealIfPlain(old.patient_id, old.payment_client_secret),
    d.privacy.encryptForPatient(old.patient_id, reason ?? 'Rescheduled'),
  ]);
  const next = newBookingRow(
    old.patient_id,
    listing,
    {
      providerId: old.provider_id,
      serviceId: old.service_id,
      start,
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
  const units = unitsOf(Date.parse(carried.block_start_at), Date.parse(carried.block_end_at));
  const actor: ActorRef = { role: principal.role, id: principal.userId };
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
        await d.repo.insert(carried, trx);
        await d.repo.addHistory(
          {
            booking_id: carried.id,
            at: carried.created_at,
            from_status: null,
            to_status: 'confirmed',
            actor_role: actor.role,
            actor_id: actor.id,
            reason: `Rescheduled from ${old.id}`,
          },
          trx,
        );
        try {
          await d.repo.claim(carried.provider_id, carried.id, units, trx);
        } catch (err) {
          if (isUniqueViolation(err)) throw new SlotTaken();
          throw err;
        }
        await appendBookingEvent(trx, 'booking.created', carried, null, `Rescheduled from ${old.id}`);
      }),
    );
  } catch (err) {
    if (err instanceof SlotTaken)
      throw new DomainError('SLOT_TAKEN', 'That time is no longer free; the booking was not changed.');
    if (err instanceof StaleBooking)
      throw new DomainError('CONFLICT', 'The booking changed meanwhile; reload and try again.');
    throw err;
  }
  await d.changed([old.id, carried.id]);
  return commands.read(carried.id);
}
