import type { Booking } from '@carebook/contracts';
import type { Principal } from '../../lib/request-meta';
import { fromDbTime } from '../../ports/clock';
import type { BookingRow, HistoryRow } from './bookings.repository';
import { allowedActions, patientCancellationDeadline } from './domain';

const iso = (s: string) => fromDbTime(s).toISOString();
const HOUR = 3_600_000;

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

/** The booking as its reader sees it: with what they may do with it now. */
export function forReader(booking: Booking, principal: Principal, now: number): Booking {
  const start = Date.parse(booking.start);
  const windowHours = booking.cancellationDeadline
    ? (start - Date.parse(booking.cancellationDeadline)) / HOUR
    : 0;
  return {
    ...booking,
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
