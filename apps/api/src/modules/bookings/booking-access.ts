import type { Principal } from '../../lib/request-meta';

/** The two facts that decide who may see a booking (the booking row and its events both carry them). */
export interface BookingParties {
  patientId: string;
  ownerId: string | null;
}

/**
 * Who may see a booking, read it, act on it or hear about it live: its patient, the provider who
 * owns the listing and the staff acting for them, and admins. The one rule for the booking
 * service and the WebSocket hub.
 */
export function maySeeBooking(principal: Principal, booking: BookingParties): boolean {
  if (principal.role === 'admin') return true;
  if (principal.role === 'patient') return principal.userId === booking.patientId;
  return principal.actsForProviderId !== null && principal.actsForProviderId === booking.ownerId;
}
