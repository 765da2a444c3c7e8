import type { Booking } from '@carebook/contracts';
import { money } from '../../ui/format';

/**
 * What the reader may do now, as the API answered it (`allowedActions`, `cancellationDeadline`):
 * the web app shows the API's decision and never re-derives the cancellation window.
 */
export function patientOptions(b: Booking) {
  const actions = b.allowedActions ?? [];
  const canCancel = actions.includes('cancel');
  return {
    canCancel,
    canReschedule: actions.includes('reschedule'),
    deadline: b.status === 'confirmed' ? (b.cancellationDeadline ?? null) : null,
    tooLate: b.status === 'confirmed' && !canCancel,
  };
}

const REFUND_TIME = 'Refunds usually reach your account within 5–10 business days.';

/** What cancelling will do to the patient's money, said before they confirm. */
export function refundBeforeCancel(b: Booking): string {
  const amount = money(b.priceCents, b.currency);
  if (b.priceCents === 0)
    return 'This appointment is free: nothing was charged, so there is nothing to refund.';
  if (b.status === 'confirmed')
    return `You will get ${amount} back in full, to the card you paid with. ${REFUND_TIME}`;
  return 'You have not paid for this booking, so nothing is charged and there is nothing to refund.';
}

/**
 * What happened to the money, from the API's answer (`payment.status`) once the booking is
 * cancelled: a refund on its way, a refund done, or nothing charged. Null for other bookings, and
 * for a booking that was moved (its payment went with it to the new time).
 */
export function refundAfterCancel(b: Booking): string | null {
  if (b.status !== 'cancelled' || b.rescheduledTo) return null;
  const amount = money(b.priceCents, b.currency);
  if (b.priceCents === 0) return 'Nothing was charged for this free appointment.';
  switch (b.payment?.status) {
    case 'refund_pending':
      return `A full refund of ${amount} is on its way to the card you paid with. ${REFUND_TIME}`;
    case 'refunded':
      return `${amount} was refunded in full to the card you paid with. ${REFUND_TIME}`;
    default:
      return 'You were not charged for this booking.';
  }
}
