import type { Principal, RequestMeta } from '../../lib/request-meta';
import type { AuditService } from '../audit/audit.service';

type Reader = Pick<Principal, 'userId' | 'role'>;
interface BookingRef {
  id: string;
  patientId: string;
}

/**
 * The access audit of booking reads (docs/security.md): a list shown to a provider, staff member
 * or admin is one `access.bookings_listed` row per booking (so each patient's access log shows
 * it); one booking read by anyone but its patient is `access.booking_viewed`. A patient reading
 * their own bookings is not recorded.
 */
export async function auditBookingList(
  audit: AuditService,
  reader: Reader,
  bookings: readonly BookingRef[],
  meta: RequestMeta,
): Promise<void> {
  if (reader.role === 'patient' || bookings.length === 0) return;
  await audit.recordAccessMany(
    bookings.map((b) => ({
      action: 'access.bookings_listed' as const,
      actor: reader,
      patientId: b.patientId,
      resource: { type: 'booking', id: b.id },
      purpose: reader.role === 'admin' ? ('administration' as const) : ('scheduling' as const),
    })),
    meta,
  );
}

/** One booking (detail, history, calendar file, FHIR Appointment) read by someone else than its patient. */
export async function auditBookingView(
  audit: AuditService,
  reader: Reader,
  booking: BookingRef,
  meta: RequestMeta,
  details?: Record<string, unknown>,
): Promise<void> {
  if (reader.userId === booking.patientId) return;
  await audit.recordAccess(
    {
      action: 'access.booking_viewed',
      actor: reader,
      patientId: booking.patientId,
      resource: { type: 'booking', id: booking.id },
      purpose: reader.role === 'admin' ? 'support' : 'care',
      ...(details ? { details } : {}),
    },
    meta,
  );
}
