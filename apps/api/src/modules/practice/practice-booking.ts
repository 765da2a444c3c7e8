import type { PracticeBooking } from '@carebook/contracts';
import type { Principal } from '../../lib/request-meta';
import { fromDbTime } from '../../ports/clock';
import type { BookingRow } from '../bookings/bookings.repository';
import { allowedActions } from '../bookings/domain';
import type { PatientContact } from './practice.repository';

const iso = (s: string) => fromDbTime(s).toISOString();

/** A patient whose account is gone still has bookings on the schedule; say so instead of failing. */
const unknownPatient = (id: string): PatientContact => ({
  id,
  name: 'Former patient',
  email: '',
  phone: null,
});

/** One booking as the practice's schedule shows it: who is coming, why, and what the reader may do. */
export function toPracticeBooking(
  row: BookingRow,
  contact: PatientContact | undefined,
  principal: Principal,
  now: number,
): PracticeBooking {
  const start = fromDbTime(row.start_at).getTime();
  const end = fromDbTime(row.end_at).getTime();
  const policy = { cancellationWindowHours: row.cancellation_window_hours };
  return {
    id: row.id,
    providerId: row.provider_id,
    providerName: row.provider_name,
    serviceId: row.service_id,
    serviceName: row.service_name,
    start: iso(row.start_at),
    end: iso(row.end_at),
    timeZone: row.time_zone,
    status: row.status,
    reasonForVisit: row.reason_for_visit,
    newPatient: row.new_patient === 1,
    patient: contact ?? unknownPatient(row.patient_id),
    version: row.version,
    allowedActions: allowedActions(
      {
        status: row.status,
        price: row.price_cents,
        startsAt: start,
        endsAt: end,
        holdExpiresAt: row.hold_expires_at ? fromDbTime(row.hold_expires_at).getTime() : null,
      },
      principal.role,
      now,
      policy,
    ),
  };
}
