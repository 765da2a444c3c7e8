import type { CancellationPolicy } from './cancellation-policy';
import { transition } from './transition';
import type { Actor, BookingEvent, BookingSnapshot } from './transitions';

export type BookingAction = 'pay' | 'cancel' | 'reschedule' | 'complete' | 'no_show';

/**
 * What an actor may do with a booking at `now`, by asking the transition table itself (so the
 * answer can never drift from what the API then accepts). A cancellation that needs a reason is
 * offered: the reason is asked for when it is done. Rescheduling is a cancellation of a confirmed
 * booking plus a new one, so it follows the cancellation rule. Paying is the patient's while the
 * payment is pending.
 */
export function allowedActions(
  booking: BookingSnapshot,
  actor: Actor,
  now: number,
  policy: CancellationPolicy,
): BookingAction[] {
  const ok = (event: BookingEvent) => transition(booking, event, { actor, now, policy }).ok;
  const actions: BookingAction[] = [];
  if (actor === 'patient' && booking.status === 'payment_pending') actions.push('pay');
  const mayCancel = ok({ type: 'cancel', reason: 'asked when done' });
  if (mayCancel) actions.push('cancel');
  if (mayCancel && booking.status === 'confirmed') actions.push('reschedule');
  if (ok({ type: 'complete' })) actions.push('complete');
  if (ok({ type: 'mark_no_show' })) actions.push('no_show');
  return actions;
}
