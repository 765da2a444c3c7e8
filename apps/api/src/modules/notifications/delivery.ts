import type { BookingEventPayload } from '@carebook/contracts';
import type { Audience, NotificationKind } from './copy';

/** How a recipient hears about a booking change: not at all, in the app, or in the app and by e-mail. */
export type Delivery = 'none' | 'in_app' | 'email';

/** Steps a booking passes through on its way to being confirmed: never worth an e-mail. */
const transient: ReadonlySet<NotificationKind> = new Set(['requested', 'awaiting_payment']);

/**
 * The e-mail decision, by design rather than by timing: one e-mail per meaningful change
 * (confirmed, rescheduled, cancelled, the reminder; for the patient also a missed appointment).
 * The steps on the way to a confirmation are in-app only, and none at all once the booking has
 * moved on (`superseded`: a free booking is created and confirmed in one transaction, so its
 * "requested" is never shown next to its "confirmed"). A reschedule is told once, by the new
 * booking's "rescheduled" ("has moved to …"); the replaced booking's "moved" is not told at all,
 * in the app or by e-mail (its calendar event is updated by the new one). Cancelling a hold that
 * was never confirmed sends nothing by e-mail: no invitation went out to take back.
 */
export function deliveryOf(
  kind: NotificationKind,
  audience: Audience,
  from: BookingEventPayload['from'],
  superseded: boolean,
): Delivery {
  if (transient.has(kind)) {
    if (superseded) return 'none';
    return kind === 'awaiting_payment' && audience === 'provider' ? 'none' : 'in_app';
  }
  switch (kind) {
    case 'moved':
      return 'none';
    case 'confirmed':
    case 'rescheduled':
      return 'email';
    case 'cancelled':
      return from === 'confirmed' || from === 'in_progress' ? 'email' : 'in_app';
    case 'reminder':
      return audience === 'patient' ? 'email' : 'none';
    case 'no_show':
      return audience === 'patient' ? 'email' : 'in_app';
    default:
      return 'in_app';
  }
}
