/** What each notification says, per kind and audience. Plain strings; compose.ts escapes for HTML. */
export type NotificationKind =
  | 'requested'
  | 'awaiting_payment'
  | 'confirmed'
  | 'rescheduled'
  | 'moved'
  | 'started'
  | 'completed'
  | 'cancelled'
  | 'expired'
  | 'no_show'
  | 'reminder';

export type Audience = 'patient' | 'provider';

export interface CopyVars {
  service: string;
  provider: string;
  patient: string;
  /** e.g. "Tuesday 24 November 2026, 14:00–14:30 Europe/Berlin time (CET)" */
  when: string;
  /** The hold's end in the provider's zone, when the booking has one. */
  holdUntil: string | null;
  reason: string | null;
  /** Who made this change, when a person did: the patient or the practice (provider or staff). */
  by?: 'patient' | 'practice' | null;
  /** A paid confirmed booking that is cancelled: the amount refunded ("€45.00"). */
  refund?: string | null;
}

export interface Copy {
  /** In-app title and the start of the subject. */
  title: string;
  /** What happened. */
  headline: string;
  /** What the recipient can do next. */
  next: string;
}

type Entry = (v: CopyVars) => Record<Audience, Copy>;

const hold = (v: CopyVars) => (v.holdUntil ? ` until ${v.holdUntil}` : '');

export const copy: Record<NotificationKind, Entry> = {
  requested: (v) => ({
    patient: {
      title: 'Booking requested',
      headline: `We are holding ${v.when} for your ${v.service} with ${v.provider}${hold(v)}.`,
      next: 'Open the booking to complete it before the hold runs out; otherwise the time is released.',
    },
    provider: {
      title: 'New booking request',
      headline: `${v.patient} requested ${v.service} on ${v.when}.`,
      next: 'No action is needed yet: you will be told when the booking is confirmed or released.',
    },
  }),
  awaiting_payment: (v) => ({
    patient: {
      title: 'Payment needed',
      headline: `Your ${v.service} with ${v.provider} on ${v.when} is waiting for payment${hold(v)}.`,
      next: 'Open the booking to pay; unpaid bookings are released when the hold ends.',
    },
    provider: {
      title: 'Booking awaiting payment',
      headline: `${v.patient}'s booking for ${v.service} on ${v.when} is waiting for payment.`,
      next: 'No action is needed: the time stays held until payment arrives or the hold ends.',
    },
  }),
  confirmed: (v) => ({
    patient: {
      title: 'Booking confirmed',
      headline: `Your ${v.service} with ${v.provider} is confirmed for ${v.when}.`,
      next: 'Add the attached invitation to your calendar. You can reschedule or cancel from the booking page, within the cancellation policy.',
    },
    provider: {
      title: 'Booking confirmed',
      headline: `${v.patient} is booked for ${v.service} on ${v.when}.`,
      next: 'Add the attached invitation to your calendar. You can cancel with a reason from the booking page.',
    },
  }),
  rescheduled: (v) => ({
    patient: {
      title: 'New time confirmed',
      headline: `Your ${v.service} with ${v.provider} has moved to ${v.when}.`,
      next: 'The attached invitation updates your calendar; the old time was cancelled separately.',
    },
    provider: {
      title: 'Booking rescheduled',
      headline: `${v.patient}'s ${v.service} has moved to ${v.when}.`,
      next: 'The attached invitation updates your calendar; the old time was cancelled separately.',
    },
  }),
  moved: (v) => ({
    patient: {
      title: 'Old time released',
      headline: `Your ${v.service} on ${v.when} was replaced by a new time.`,
      next: 'The attached cancellation removes the old time from your calendar; the new time comes in its own message.',
    },
    provider: {
      title: 'Old time released',
      headline: `${v.patient}'s ${v.service} on ${v.when} was replaced by a new time.`,
      next: 'The attached cancellation removes the old time from your calendar; the slot is free again.',
    },
  }),
  started: (v) => ({
    patient: {
      title: 'Appointment started',
      headline: `Your ${v.service} with ${v.provider} (${v.when}) has started.`,
      next: 'If you are running late or cannot attend, contact the practice directly.',
    },
    provider: {
      title: 'Appointment in progress',
      headline: `${v.patient}'s ${v.service} (${v.when}) is now in progress.`,
      next: 'It completes automatically at its end; mark it as a no-show from the booking page if the patient did not come.',
    },
  }),
  completed: (v) => ({
    patient: {
      title: 'Appointment completed',
      headline: `Your ${v.service} with ${v.provider} on ${v.when} is complete.`,
      next: 'The booking and its history stay available on the booking page. You can book again any time.',
    },
    provider: {
      title: 'Appointment completed',
      headline: `${v.patient}'s ${v.service} on ${v.when} is complete.`,
      next: 'Nothing else to do; the booking history is on the booking page.',
    },
  }),
  cancelled: (v) => ({
    patient: {
      title: 'Booking cancelled',
      headline:
        v.by === 'practice'
          ? `${v.provider} cancelled your ${v.service} on ${v.when}.`
          : v.by === 'patient'
            ? `You cancelled your ${v.service} with ${v.provider} on ${v.when}.`
            : `Your ${v.service} with ${v.provider} on ${v.when} was cancelled.`,
      next: `${
        v.refund
          ? `A full refund of ${v.refund} goes back to the card you paid with; refunds usually reach your account within 5–10 business days.`
          : 'Nothing was charged, so there is nothing to refund.'
      } You can book another time from the provider page.`,
    },
    provider: {
      title: 'Booking cancelled',
      headline:
        v.by === 'patient'
          ? `${v.patient} cancelled their ${v.service} on ${v.when}.`
          : `${v.patient}'s ${v.service} on ${v.when} was cancelled.`,
      next: 'The time is open for booking again.',
    },
  }),
  expired: (v) => ({
    patient: {
      title: 'Booking expired',
      headline: `The hold on ${v.when} for ${v.service} with ${v.provider} ran out before the booking was completed.`,
      next: 'The time has been released. You can book again from the provider page if it is still free.',
    },
    provider: {
      title: 'Booking request expired',
      headline: `${v.patient}'s request for ${v.service} on ${v.when} expired.`,
      next: 'The time is open for booking again.',
    },
  }),
  reminder: (v) => ({
    patient: {
      title: 'Reminder',
      headline: `Your ${v.service} with ${v.provider} is on ${v.when}.`,
      next: 'If you cannot come, reschedule or cancel from the booking page, within the cancellation policy.',
    },
    provider: {
      title: 'Coming up',
      headline: `${v.patient} is booked for ${v.service} on ${v.when}.`,
      next: 'Nothing to do; the booking is on your dashboard.',
    },
  }),
  no_show: (v) => ({
    patient: {
      title: 'Marked as missed',
      headline: `Your ${v.service} with ${v.provider} on ${v.when} was marked as missed.`,
      next: 'If you think this is a mistake, contact the practice.',
    },
    provider: {
      title: 'No-show recorded',
      headline: `${v.patient} was recorded as a no-show for ${v.service} on ${v.when}.`,
      next: 'Nothing else to do; the entry is in the booking history.',
    },
  }),
};
