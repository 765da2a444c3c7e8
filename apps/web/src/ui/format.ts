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

export const zoneLabel = (tz: string) => `${tz.replace(/_/g, ' ')} (${zoneShort(tz)})`;

export const localZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

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
