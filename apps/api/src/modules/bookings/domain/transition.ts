import type { BookingStatus } from './status';
import { isActive } from './status';
import {
  type BookingEvent,
  type BookingSnapshot,
  TRANSITIONS,
  type TransitionContext,
  type TransitionErrorCode,
} from './transitions';

/**
 * Side effects the caller must carry out, in this order, after persisting the transition:
 * - `release_claims`: the booking stops holding its time (it left an active status);
 * - `cancel_payment`: a payment was in flight (payment_pending); cancel the intent, and refund it if
 *   it succeeds anyway;
 * - `refund`: a confirmed paid booking was cancelled; refund in full (the only refund the policy has);
 * - `notify`: tell patient and provider (every transition).
 */
export type TransitionEffect = 'release_claims' | 'cancel_payment' | 'refund' | 'notify';

export type TransitionResult =
  | { ok: true; from: BookingStatus; to: BookingStatus; effects: TransitionEffect[] }
  | { ok: false; code: TransitionErrorCode; reason: string };

export function effectsOf(
  from: BookingStatus,
  to: BookingStatus,
  booking: BookingSnapshot,
): TransitionEffect[] {
  const effects: TransitionEffect[] = [];
  if (isActive(from) && !isActive(to)) effects.push('release_claims');
  if (from === 'payment_pending' && (to === 'cancelled' || to === 'expired')) effects.push('cancel_payment');
  if (from === 'confirmed' && to === 'cancelled' && booking.price > 0) effects.push('refund');
  effects.push('notify');
  return effects;
}

/**
 * Applies `event`, done by `ctx.actor` at `ctx.now`, to `booking`. Pure: returns the target status
 * and the effects to run, or why it is refused:
 * - `INVALID_TRANSITION`: the table has no such move from this status, or its precondition (price,
 *   time) does not hold yet;
 * - `FORBIDDEN`: the move exists but not for this actor;
 * - `CANCELLATION_WINDOW_PASSED`: a patient cancelling after the policy's deadline;
 * - `REASON_REQUIRED`: a provider, staff member or admin cancelling without a reason.
 * Ownership (is this the patient's booking, the provider's listing) is checked by the caller.
 */
export function transition(
  booking: BookingSnapshot,
  event: BookingEvent,
  ctx: TransitionContext,
): TransitionResult {
  const from = booking.status;
  const rules = TRANSITIONS.filter((r) => r.event === event.type && r.from.includes(from));
  if (rules.length === 0) {
    return {
      ok: false,
      code: 'INVALID_TRANSITION',
      reason: `cannot ${event.type} a booking that is ${from}`,
    };
  }
  const rule = rules.find((r) => r.actors.includes(ctx.actor));
  if (!rule) {
    return {
      ok: false,
      code: 'FORBIDDEN',
      reason: `${ctx.actor} may not ${event.type} a booking that is ${from}`,
    };
  }
  const failure = rule.guard?.(booking, event, ctx);
  if (failure) return { ok: false, ...failure };
  return { ok: true, from, to: rule.to, effects: effectsOf(from, rule.to, booking) };
}
