import type { Booking } from '@carebook/contracts';

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
