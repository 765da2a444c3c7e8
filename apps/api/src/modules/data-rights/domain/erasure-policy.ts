import type { Booking, Role } from '@carebook/contracts';

/** Who asks for the erasure: the person themself (`DELETE /me`) or an admin for them. */
export type ErasureRequester = 'self' | 'admin';

/** Bookings that still hold time: erasure cancels them (and refunds what was paid). */
const ACTIVE: readonly Booking['status'][] = ['pending', 'payment_pending', 'confirmed'];

export const isActive = (b: Pick<Booking, 'status'>) => ACTIVE.includes(b.status);

/**
 * Accounts erasure does not handle, with what to do instead; null when it may go ahead. Admins
 * are not erased (another admin first changes the role: the trail of their actions stays
 * attributable); a provider who owns listings first hands them over or has them closed (the
 * listings are a practice's public data that patients' bookings refer to).
 */
export function accountRefusal(subject: { role: Role; ownsListings: boolean }): string | null {
  if (subject.role === 'admin')
    return 'An admin account is not erased. Another admin first changes its role to patient, then erases it.';
  if (subject.role === 'provider' && subject.ownsListings)
    return 'This provider account owns listings. Hand them over or have an admin close them first, then erase the account.';
  return null;
}

/**
 * Bookings that stop an erasure now: one in progress, or — when the person asks themself — a
 * confirmed booking past its online cancellation deadline (the practice is expecting them; they
 * cancel by contacting it, or erase after the visit). An admin may cancel any active booking.
 * `allowedActions` must be the patient's view of each booking.
 */
export function blockingBookings<B extends Pick<Booking, 'status' | 'allowedActions'>>(
  bookings: readonly B[],
  by: ErasureRequester,
): B[] {
  return bookings.filter(
    (b) =>
      b.status === 'in_progress' ||
      (by === 'self' && isActive(b) && !(b.allowedActions ?? []).includes('cancel')),
  );
}
