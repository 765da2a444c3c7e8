import type { Booking } from '@carebook/contracts';
import { fromDbTime } from '../../ports/clock';
import type { BookingRow, HistoryRow } from './bookings.repository';

const iso = (s: string) => fromDbTime(s).toISOString();

export function toBooking(row: BookingRow, history: HistoryRow[]): Booking {
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
  };
}
