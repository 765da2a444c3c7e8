import type { Booking, BookingEventPayload } from '@carebook/contracts';
import type { MailAttachment, MailMessage } from '../../ports/mailer';
import { type Audience, type Copy, type CopyVars, copy, type NotificationKind } from './copy';
import { formatInstant, formatShort, formatWhen } from './format';
import { bookingIcs } from './ics';

export interface NotificationPerson {
  id: string;
  email: string;
  displayName: string;
}

/**
 * The booking as notifications see it: no sealed field (reason for visit, payment secret, history
 * reasons) is opened or carried. `history` tells who made each change; the loader (context.ts)
 * reads it only for a cancelled booking, whose message is the one that names who acted
 * (`changedBy`), and leaves it empty otherwise.
 */
export type NotificationBooking = Omit<Booking, 'reasonForVisit' | 'payment' | 'history'> & {
  history: Pick<Booking['history'][number], 'from' | 'to' | 'actorRole'>[];
};

/** What the consumer needs besides the event; loaded by the bookings module. */
export interface NotificationContext {
  booking: NotificationBooking;
  patient: NotificationPerson;
  /** The listing owner's account. */
  providerContact: NotificationPerson;
  providerName: string;
  serviceName: string;
  location: string;
  /** Base URL of the web app, e.g. https://carebook.example */
  webUrl: string;
  /**
   * The calendar event this booking is part of: a reschedule keeps the first booking's UID, and
   * `sequenceBase` (the versions its predecessors went through) keeps SEQUENCE growing. Defaults
   * to the booking's own id and 0.
   */
  calendar?: { uid: string; sequenceBase: number };
  /** The listing owner (who, besides the patient and admins, may read the booking). */
  ownerId?: string;
  /** People whose accounts were erased: they are sent nothing (their address is a placeholder). */
  erased?: string[];
  /** The recurring series this booking is a visit of (its first visit's messages speak for all). */
  series?: { id: string; occurrence: number; occurrences: number; intervalWeeks: number } | null;
}

export interface ComposedNotification {
  audience: Audience;
  recipient: NotificationPerson;
  kind: NotificationKind;
  mail: Omit<MailMessage, 'idempotencyKey'>;
  inApp: { title: string; body: string };
}

/** Which story an event tells. A cancelled booking that was replaced is a reschedule. */
export function kindOf(
  payload: BookingEventPayload,
  booking: Pick<Booking, 'rescheduledFrom' | 'rescheduledTo'>,
  eventType = 'booking.status_changed',
): NotificationKind {
  if (eventType === 'booking.reminder_due') return 'reminder';
  switch (payload.to) {
    case 'pending':
      return 'requested';
    case 'payment_pending':
      return 'awaiting_payment';
    case 'confirmed':
      return booking.rescheduledFrom ? 'rescheduled' : 'confirmed';
    case 'in_progress':
      return 'started';
    case 'cancelled':
      return booking.rescheduledTo ? 'moved' : 'cancelled';
    default:
      return payload.to;
  }
}

/**
 * Who made the change the event reports, from the booking's history: the patient or the practice.
 * Only a cancellation's copy says it, and only a cancelled booking's history is loaded
 * (`NotificationBooking`): a new copy that names who acted needs the loader to read it too.
 */
function changedBy(payload: BookingEventPayload, booking: NotificationBooking): CopyVars['by'] {
  const entry = booking.history.findLast((h) => h.to === payload.to && h.from === payload.from);
  if (entry?.actorRole === 'patient') return 'patient';
  if (entry?.actorRole === 'provider' || entry?.actorRole === 'staff') return 'practice';
  return null;
}

/** The amount a cancellation refunds: a paid booking that was confirmed is refunded in full. */
function refundOf(payload: BookingEventPayload, booking: NotificationBooking): string | null {
  if (payload.to !== 'cancelled' || payload.from !== 'confirmed' || booking.priceCents <= 0) return null;
  return money(booking.currency).format(booking.priceCents / 100);
}

// Building an Intl.NumberFormat costs far more than using one: one per currency, kept.
const moneyFormats = new Map<string, Intl.NumberFormat>();
function money(currency: string): Intl.NumberFormat {
  let f = moneyFormats.get(currency);
  if (!f) {
    f = new Intl.NumberFormat('en-GB', { style: 'currency', currency });
    moneyFormats.set(currency, f);
  }
  return f;
}

/** A calendar invitation was only ever sent once a booking had been confirmed. */
const hadInvitation = (from: BookingEventPayload['from']) =>
  from !== null && from !== 'pending' && from !== 'payment_pending';

// Most values have nothing to escape: one test instead of five replacements.
const htmlSpecial = /[&<>"']/;
const escapeHtml = (s: string) =>
  !htmlSpecial.test(s)
    ? s
    : s
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;')
        .replace(/'/g, '&#39;');

const calendarUid = (ctx: NotificationContext, bookingId: string) =>
  ctx.calendar?.uid ?? `${bookingId}@carebook`;

function calendar(
  payload: BookingEventPayload,
  ctx: NotificationContext,
  now: Date,
  kind: NotificationKind,
  when: string,
): MailAttachment | null {
  const request = kind === 'confirmed' || kind === 'rescheduled';
  // A booking moved by a reschedule is not cancelled in the calendar: the new booking's REQUEST
  // updates the same event (same UID, higher SEQUENCE).
  const cancel = kind === 'cancelled' && hadInvitation(payload.from);
  if (!request && !cancel) return null;
  const method = request ? 'REQUEST' : 'CANCEL';
  const content = bookingCalendar(payload, ctx, now, method, method === 'CANCEL', when);
  return {
    filename: request ? 'invite.ics' : 'cancel.ics',
    content,
    contentType: `text/calendar; method=${method}; charset=UTF-8`,
  };
}

/**
 * The one `.ics` generator: e-mail invitations (REQUEST/CANCEL) and the file served by
 * GET /api/v1/bookings/{id}/ics (PUBLISH). It carries the service, the address and a link back.
 */
export function bookingCalendar(
  at: Pick<BookingEventPayload, 'bookingId' | 'start' | 'end' | 'version'>,
  ctx: NotificationContext,
  now: Date,
  method: 'REQUEST' | 'CANCEL' | 'PUBLISH',
  cancelled = method === 'CANCEL',
  /** `formatWhen` of the start and end, when the caller has it already. */
  when = formatWhen(new Date(at.start), new Date(at.end), ctx.booking.timeZone),
): string {
  const link = bookingLink(ctx, at.bookingId);
  return bookingIcs({
    uid: calendarUid(ctx, at.bookingId),
    sequence: (ctx.calendar?.sequenceBase ?? 0) + at.version,
    method,
    status: cancelled ? 'CANCELLED' : 'CONFIRMED',
    start: new Date(at.start),
    end: new Date(at.end),
    summary: `${ctx.serviceName} – ${ctx.providerName}`,
    description: `${ctx.serviceName} with ${ctx.providerName}, ${when}.\nWhere: ${ctx.location}\n${link}`,
    location: ctx.location,
    url: link,
    organizer: { name: ctx.providerName, email: ctx.providerContact.email },
    attendee: { name: ctx.patient.displayName, email: ctx.patient.email },
    now,
  });
}

const bookingLink = (ctx: NotificationContext, bookingId: string) =>
  `${ctx.webUrl.replace(/\/+$/, '')}/bookings/${bookingId}`;

function bodies(c: Copy, facts: [string, string][], recipient: NotificationPerson, link: string) {
  const text = [
    `Hello ${recipient.displayName},`,
    '',
    c.headline,
    '',
    ...facts.map(([label, value]) => `${label}: ${value}`),
    '',
    c.next,
    link,
    '',
    '— Carebook',
  ].join('\n');
  const html = [
    `<p>Hello ${escapeHtml(recipient.displayName)},</p>`,
    `<p>${escapeHtml(c.headline)}</p>`,
    `<ul>${facts.map(([l, v]) => `<li><strong>${escapeHtml(l)}:</strong> ${escapeHtml(v)}</li>`).join('')}</ul>`,
    `<p>${escapeHtml(c.next)}</p>`,
    `<p><a href="${escapeHtml(link)}">Open the booking</a></p>`,
    '<p>— Carebook</p>',
  ].join('\n');
  return { text, html };
}

/** "Every week, 8 visits — all dates: <link>" for the first visit's confirmation of a series. */
function seriesLine(series: NonNullable<NotificationContext['series']>, webUrl: string): string {
  const every = series.intervalWeeks === 1 ? 'Every week' : `Every ${series.intervalWeeks} weeks`;
  return `${every}, ${series.occurrences} visits — all dates: ${new URL(`/series/${series.id}`, webUrl).toString()}`;
}

/**
 * The e-mail and in-app notification for the patient and the provider, for one booking event; which
 * of them go out is `deliveryOf`'s decision (delivery.ts).
 */
export function composeBookingNotifications(
  payload: BookingEventPayload,
  ctx: NotificationContext,
  now: Date,
  eventType = 'booking.status_changed',
): ComposedNotification[] {
  const kind = kindOf(payload, ctx.booking, eventType);
  const zone = ctx.booking.timeZone;
  const start = new Date(payload.start);
  const vars: CopyVars = {
    service: ctx.serviceName,
    provider: ctx.providerName,
    patient: ctx.patient.displayName,
    when: formatWhen(start, new Date(payload.end), zone),
    holdUntil: ctx.booking.holdExpiresAt ? formatInstant(new Date(ctx.booking.holdExpiresAt), zone) : null,
    reason: payload.reason,
    by: changedBy(payload, ctx.booking),
    refund: refundOf(payload, ctx.booking),
  };
  const texts = copy[kind](vars);
  // A reschedule's own note names the old booking by id; the headline already says it moved.
  const reason = kind === 'rescheduled' ? null : payload.reason;
  const attachment = calendar(payload, ctx, now, kind, vars.when);
  const link = bookingLink(
    ctx,
    kind === 'moved' && ctx.booking.rescheduledTo ? ctx.booking.rescheduledTo : payload.bookingId,
  );
  // The same for both recipients: rendered once.
  const subjectWhen = `${ctx.serviceName} on ${formatShort(start, zone)}`;
  const recipients: [Audience, NotificationPerson][] = [
    ['patient', ctx.patient],
    ['provider', ctx.providerContact],
  ];
  return recipients.map(([audience, recipient]) => {
    const c = texts[audience];
    const facts: [string, string][] = [
      ['When', vars.when],
      ['What', `${ctx.serviceName} with ${ctx.providerName}`],
      ...(audience === 'provider' ? [['Patient', ctx.patient.displayName] as [string, string]] : []),
      ['Where', ctx.location],
      ...(reason ? [['Reason', reason] as [string, string]] : []),
      ...(ctx.series && kind === 'confirmed'
        ? [['Repeats', seriesLine(ctx.series, ctx.webUrl)] as [string, string]]
        : []),
    ];
    return {
      audience,
      recipient,
      kind,
      mail: {
        to: recipient.email,
        subject: `${c.title}: ${subjectWhen}`,
        ...bodies(c, facts, recipient, link),
        ...(attachment ? { attachments: [attachment] } : {}),
      },
      inApp: { title: c.title, body: c.headline },
    };
  });
}
