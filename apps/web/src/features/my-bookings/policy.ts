import type { Booking } from '@carebook/contracts';

/** What a patient may do now, mirroring the API's rules (the API still decides). */
export function patientOptions(b: Booking, cancellationWindowHours: number | undefined, now = Date.now()) {
  const unpaidHold = b.status === 'pending' || b.status === 'payment_pending';
  const deadline = new Date(b.start).getTime() - (cancellationWindowHours ?? 0) * 3_600_000;
  const withinPolicy = b.status === 'confirmed' && now < deadline;
  return {
    canCancel: unpaidHold || withinPolicy,
    canReschedule: withinPolicy,
    deadline: b.status === 'confirmed' ? new Date(deadline).toISOString() : null,
    tooLate: b.status === 'confirmed' && now >= deadline,
  };
}
