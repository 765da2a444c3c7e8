import type { Booking } from '@carebook/contracts';
import type { Principal } from '../../lib/request-meta';
import { fromDbTime } from '../../ports/clock';
import type { PrivacyService } from '../privacy/privacy.service';
import type { BookingRow, HistoryRow } from './bookings.repository';
import { allowedActions, patientCancellationDeadline } from './domain';

const iso = (s: string) => fromDbTime(s).toISOString();
const HOUR = 3_600_000;

/** What is shown in place of a field whose patient's data key was destroyed (erasure). */
export const ERASED_TEXT = '[erased]';

/** A booking as stored (live or archived): its sealed fields still sealed. */
export interface StoredBooking {
  row: BookingRow;
  history: HistoryRow[];
}

export type FieldOpener = Pick<PrivacyService, 'revealMany'>;

/**
 * Maps stored bookings to API bookings, opening their sealed fields (reason for visit, payment
 * client secret, history reasons) in one batch: one data-key lookup per patient, whatever the
 * number of bookings. Legacy plaintext reads as it is; an erased patient's fields read as
 * unavailable (`[erased]`, no client secret, no history reason) and the rest of the list is fine.
 */
export async function toBookings(privacy: FieldOpener, items: readonly StoredBooking[]): Promise<Booking[]> {
  const fields = items.flatMap(({ row, history }) => [
    { patientId: row.patient_id, value: row.reason_for_visit },
    { patientId: row.patient_id, value: row.payment_client_secret },
    ...history.map((h) => ({ patientId: row.patient_id, value: h.reason })),
  ]);
  const opened = await privacy.revealMany(fields);
  let at = 0;
  return items.map(({ row, history }) => {
    const reason = opened[at++] ?? null;
    const secret = opened[at++] ?? null;
    const openedHistory = history.map((h) => ({ ...h, reason: opened[at++] ?? null }));
    return toBooking(
      { ...row, reason_for_visit: reason ?? ERASED_TEXT, payment_client_secret: secret },
      openedHistory,
    );
  });
}

export async function toOneBooking(privacy: FieldOpener, item: StoredBooking): Promise<Booking> {
  const [booking] = await toBookings(privacy, [item]);
  return booking as Booking;
}

/** Maps a booking whose fields are already open (toBookings does the opening). */
export function toBooking(row: BookingRow, history: HistoryRow[]): Booking {
  const start = fromDbTime(row.start_at).getTime();
  return {
    id: row.id,
    patientId: row.patient_id,
    providerId: row.provider_id,
    providerName: row.provider_name,
    serviceId: row.service_id,
    serviceName: row.service_name,
    start: iso(row.start_at),
    end: iso(row.end_at),
    timeZone: row.time_zone,
    status: row.status,
    priceCents: row.price_cents,
    currency: row.currency,
    reasonForVisit: row.reason_for_visit,
    newPatient: row.new_patient === 1,
    holdExpiresAt: row.hold_expires_at ? iso(row.hold_expires_at) : null,
    payment: row.payment_intent_id
      ? {
          intentId: row.payment_intent_id,
          clientSecret: row.payment_client_secret ?? '',
          checkoutUrl: row.payment_checkout_url,
          status: row.payment_status ?? 'unknown',
        }
      : null,
    rescheduledFrom: row.rescheduled_from,
    rescheduledTo: row.rescheduled_to,
    version: row.version,
    history: history.map((h) => ({
      at: iso(h.at),
      from: h.from_status as Booking['status'] | null,
      to: h.to_status as Booking['status'],
      actorRole: h.actor_role,
      actorId: h.actor_id,
      reason: h.reason,
    })),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    cancellationDeadline:
      row.status === 'confirmed'
        ? new Date(
            patientCancellationDeadline(start, { cancellationWindowHours: row.cancellation_window_hours }),
          ).toISOString()
        : null,
  };
}

/**
 * The booking as its reader sees it: with what they may do with it now, and the payment client
 * secret only for the patient who owns the booking (providers, staff and admins never get it).
 */
export function forReader(booking: Booking, principal: Principal, now: number): Booking {
  const payment =
    booking.payment && principal.userId !== booking.patientId
      ? { ...booking.payment, clientSecret: '' }
      : booking.payment;
  const start = Date.parse(booking.start);
  const windowHours = booking.cancellationDeadline
    ? (start - Date.parse(booking.cancellationDeadline)) / HOUR
    : 0;
  return {
    ...booking,
    payment,
    allowedActions: allowedActions(
      {
        status: booking.status,
        price: booking.priceCents,
        startsAt: start,
        endsAt: Date.parse(booking.end),
        holdExpiresAt: booking.holdExpiresAt ? Date.parse(booking.holdExpiresAt) : null,
      },
      principal.role,
      now,
      { cancellationWindowHours: windowHours },
    ),
  };
}
