import type { BookingStatus } from '@carebook/contracts';

/** FHIR R4 Appointment.status codes (http://hl7.org/fhir/appointmentstatus). */
export type AppointmentStatus =
  | 'proposed'
  | 'pending'
  | 'booked'
  | 'arrived'
  | 'fulfilled'
  | 'cancelled'
  | 'noshow'
  | 'entered-in-error'
  | 'checked-in'
  | 'waitlist';

/**
 * Our booking states onto Appointment.status. `proposed` is what `$find` returns (a free slot
 * offered as an appointment); Carebook has no waiting list, so `waitlist` is never produced.
 * Both hold states are `pending` (time held, not yet booked); `expired` is `cancelled` with the
 * reason in `cancelationReason`.
 */
export const appointmentStatusOf: Record<BookingStatus, AppointmentStatus> = {
  pending: 'pending',
  payment_pending: 'pending',
  confirmed: 'booked',
  in_progress: 'arrived',
  completed: 'fulfilled',
  cancelled: 'cancelled',
  expired: 'cancelled',
  no_show: 'noshow',
};

/** The booking states an Appointment.status search matches. */
export function bookingStatusesFor(status: string): BookingStatus[] {
  return (Object.keys(appointmentStatusOf) as BookingStatus[]).filter(
    (s) => appointmentStatusOf[s] === status,
  );
}
