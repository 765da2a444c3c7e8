/** Formatting helpers; every time is shown in an explicit IANA zone. */

export function money(cents: number, currency: string): string {
  if (cents === 0) return 'Free';
  return new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(cents / 100);
}

const cache = new Map<string, Intl.DateTimeFormat>();
function fmt(timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${timeZone}|${JSON.stringify(options)}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(undefined, { ...options, timeZone });
    cache.set(key, f);
  }
  return f;
}

export const time = (iso: string, tz: string) =>
  fmt(tz, { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
export const dayLabel = (iso: string, tz: string) =>
  fmt(tz, { weekday: 'short', day: 'numeric', month: 'short' }).format(new Date(iso));
/** Weekday, date and time; the year only when it is not this year. */
export const dateTime = (iso: string, tz: string) => {
  const at = new Date(iso);
  const sameYear = at.getUTCFullYear() === new Date().getUTCFullYear();
  return fmt(tz, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    ...(sameYear ? {} : { year: 'numeric' as const }),
    hour: '2-digit',
    minute: '2-digit',
  }).format(at);
};

/** "GMT+1"-style label for a zone at an instant. */
export function zoneShort(tz: string, at = new Date()): string {
  const part = fmt(tz, { timeZoneName: 'short' })
    .formatToParts(at)
    .find((p) => p.type === 'timeZoneName');
  return part?.value ?? tz;
}

/** "Europe/Berlin", "America/New York": an IANA zone as people read it. */
export const zoneName = (tz: string) => tz.replace(/_/g, ' ');

/** "Europe/Berlin (GMT+1)": the zone with its offset at the instant shown (not today's). */
export const zoneLabel = (tz: string, at: string | Date = new Date()) =>
  `${zoneName(tz)} (${zoneShort(tz, new Date(at))})`;

export const localZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

/**
 * The one way a page shows a time that may be in another zone than the viewer's: "Tue 9 Dec,
 * 10:30 (Europe/Berlin, GMT+1)". The label is left off only when the time is in the viewer's own
 * zone; the offset is the one at that instant, so a date across a DST change says so.
 */
export function zonedDateTime(iso: string, tz: string, viewer: string = localZone()): string {
  const at = dateTime(iso, tz);
  return tz === viewer ? at : `${at} (${zoneName(tz)}, ${zoneShort(tz, new Date(iso))})`;
}

/**
 * An appointment's start and end in the zone it happens in, always labelled (the booking pages
 * show the practice's zone to everyone). When the clocks change during it, each end carries its
 * own offset: "Sun 25 Oct, 01:30 GMT+1–01:30 GMT (Europe/London)".
 */
export function zonedRange(startIso: string, endIso: string, tz: string): string {
  const [from, to] = [zoneShort(tz, new Date(startIso)), zoneShort(tz, new Date(endIso))];
  if (from !== to) return `${dateTime(startIso, tz)} ${from}–${time(endIso, tz)} ${to} (${zoneName(tz)})`;
  return `${dateTime(startIso, tz)}–${time(endIso, tz)} (${zoneName(tz)}, ${from})`;
}

/**
 * "04:30 your time (America/New York)" when the viewer's zone shows another clock; else null. The
 * clocks are compared, not the zones' names: America/Bogota (GMT-5) and New York in winter (EST)
 * read the same, and a second, equal time would only puzzle.
 */
export function viewerTime(iso: string, tz: string, viewer: string = localZone()): string | null {
  const at = new Date(iso);
  if (tz === viewer || dateTime(iso, tz) === dateTime(iso, viewer)) return null;
  const sameDay = isoDate(at, tz) === isoDate(at, viewer);
  return `${sameDay ? time(iso, viewer) : dateTime(iso, viewer)} your time (${zoneName(viewer)})`;
}

/** yyyy-mm-dd of an instant in a zone. */
export function isoDate(at: Date, tz: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(at);
}

/**
 * "today", "tomorrow" or "in N days" by calendar date in `tz` (the zone the time is shown in), not
 * by 24-hour periods: at 18:00 on Tuesday, 09:00 on Wednesday is tomorrow.
 */
export function relativeDays(iso: string, tz: string, now: Date = new Date()): string {
  const days = Math.round(
    (Date.parse(isoDate(new Date(iso), tz)) - Date.parse(isoDate(now, tz))) / 86_400_000,
  );
  if (days <= 0) return 'today';
  if (days === 1) return 'tomorrow';
  return `in ${days} days`;
}

export const statusLabel: Record<string, string> = {
  pending: 'Pending',
  payment_pending: 'Awaiting payment',
  confirmed: 'Confirmed',
  in_progress: 'In progress',
  completed: 'Completed',
  cancelled: 'Cancelled',
  expired: 'Expired',
  no_show: 'No-show',
};
