import {
  type CancellationPolicy,
  patientCancellationDeadline,
  patientMayCancel,
} from './cancellation-policy';
import type { BookingStatus } from './status';

export const ACTORS = ['system', 'patient', 'provider', 'staff', 'admin'] as const;
export type Actor = (typeof ACTORS)[number];

export const BOOKING_EVENT_TYPES = [
  'require_payment',
  'confirm',
  'payment_succeeded',
  'expire',
  'start',
  'complete',
  'cancel',
  'mark_no_show',
] as const;
export type BookingEventType = (typeof BOOKING_EVENT_TYPES)[number];

export interface BookingEvent {
  type: BookingEventType;
  /** Why; required when a provider, staff member or admin cancels. Recorded in the history. */
  reason?: string;
}

/** What the state machine needs to know about a booking. Times are epoch ms. */
export interface BookingSnapshot {
  status: BookingStatus;
  /** Price in minor units; 0 means a free service. */
  price: number;
  startsAt: number;
  endsAt: number;
  /** When the hold (pending) or the payment window (payment_pending) runs out; null when none. */
  holdExpiresAt: number | null;
}

export interface TransitionContext {
  actor: Actor;
  now: number;
  policy: CancellationPolicy;
}

export type TransitionErrorCode =
  | 'INVALID_TRANSITION'
  | 'FORBIDDEN'
  | 'CANCELLATION_WINDOW_PASSED'
  | 'REASON_REQUIRED';

export interface GuardFailure {
  code: TransitionErrorCode;
  reason: string;
}

type Guard = (booking: BookingSnapshot, event: BookingEvent, ctx: TransitionContext) => GuardFailure | null;

export interface TransitionRule {
  from: readonly BookingStatus[];
  event: BookingEventType;
  to: BookingStatus;
  actors: readonly Actor[];
  guard?: Guard;
}

const iso = (ms: number) => new Date(ms).toISOString();
const fail = (reason: string): GuardFailure => ({ code: 'INVALID_TRANSITION', reason });

const afterStart: Guard = (b, _e, ctx) =>
  ctx.now >= b.startsAt ? null : fail(`only allowed from the appointment start (${iso(b.startsAt)})`);

const STAFF_SIDE = ['provider', 'staff'] as const;

/**
 * The booking state machine: every allowed (from, event, actor) and its guard. At most one rule
 * matches a given (from, event, actor); anything not listed is refused.
 */
export const TRANSITIONS: readonly TransitionRule[] = [
  {
    from: ['pending'],
    event: 'require_payment',
    to: 'payment_pending',
    actors: ['system'],
    guard: (b) => (b.price > 0 ? null : fail('a free booking needs no payment')),
  },
  {
    from: ['pending'],
    event: 'confirm',
    to: 'confirmed',
    actors: ['system'],
    guard: (b) => (b.price === 0 ? null : fail('a paid booking is confirmed by its payment')),
  },
  { from: ['payment_pending'], event: 'payment_succeeded', to: 'confirmed', actors: ['system'] },
  {
    from: ['pending', 'payment_pending'],
    event: 'expire',
    to: 'expired',
    actors: ['system'],
    guard: (b, _e, ctx) =>
      b.holdExpiresAt !== null && ctx.now >= b.holdExpiresAt ? null : fail('the hold has not run out yet'),
  },
  { from: ['confirmed'], event: 'start', to: 'in_progress', actors: ['system'], guard: afterStart },
  {
    from: ['in_progress'],
    event: 'complete',
    to: 'completed',
    actors: ['system'],
    guard: (b, _e, ctx) =>
      ctx.now >= b.endsAt ? null : fail(`the clock completes at the end (${iso(b.endsAt)})`),
  },
  { from: ['in_progress'], event: 'complete', to: 'completed', actors: STAFF_SIDE },
  { from: ['confirmed'], event: 'complete', to: 'completed', actors: STAFF_SIDE, guard: afterStart },
  // The system releases a fresh hold it cannot take forward (the payment provider is down).
  {
    from: ['pending'],
    event: 'cancel',
    to: 'cancelled',
    actors: ['system'],
    guard: (_b, e) =>
      e.reason?.trim() ? null : { code: 'REASON_REQUIRED', reason: 'a system cancellation needs a reason' },
  },
  // An unpaid hold is the patient's to drop at any time: the window protects the practice's
  // confirmed time, and a hold made inside the window could otherwise never be released.
  { from: ['pending', 'payment_pending'], event: 'cancel', to: 'cancelled', actors: ['patient'] },
  {
    from: ['confirmed'],
    event: 'cancel',
    to: 'cancelled',
    actors: ['patient'],
    guard: (b, _e, ctx) =>
      patientMayCancel(b.startsAt, ctx.now, ctx.policy)
        ? null
        : {
            code: 'CANCELLATION_WINDOW_PASSED',
            reason: `patients may cancel until ${iso(patientCancellationDeadline(b.startsAt, ctx.policy))}`,
          },
  },
  {
    from: ['pending', 'payment_pending', 'confirmed'],
    event: 'cancel',
    to: 'cancelled',
    actors: ['provider', 'staff', 'admin'],
    guard: (_b, e) =>
      e.reason?.trim()
        ? null
        : { code: 'REASON_REQUIRED', reason: 'a cancellation by the practice needs a reason' },
  },
  {
    from: ['confirmed', 'in_progress'],
    event: 'mark_no_show',
    to: 'no_show',
    actors: STAFF_SIDE,
    guard: afterStart,
  },
];
