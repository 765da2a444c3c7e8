const HOUR = 3_600_000;

/**
 * A provider's cancellation policy, kept deliberately simple: a patient may cancel until
 * `cancellationWindowHours` before the start and is then refunded in full; later, a patient's
 * cancellation is refused. Providers, staff and admins may cancel at any time (with a reason) and
 * the patient is always refunded in full.
 */
export interface CancellationPolicy {
  cancellationWindowHours: number;
}

/** The last instant (inclusive) at which the patient may still cancel. */
export function patientCancellationDeadline(startsAt: number, policy: CancellationPolicy): number {
  return startsAt - Math.max(0, policy.cancellationWindowHours) * HOUR;
}

export function patientMayCancel(startsAt: number, now: number, policy: CancellationPolicy): boolean {
  return now <= patientCancellationDeadline(startsAt, policy);
}
