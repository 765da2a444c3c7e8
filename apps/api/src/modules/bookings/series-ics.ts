import type { BookingSeries } from '@carebook/contracts';
import { DateTime } from 'luxon';
import { escapeText, foldLine, icsUtc } from '../notifications/ics';

const CRLF = '\r\n';
const DAY = 86_400_000;

const localStamp = (ms: number, zone: string) =>
  DateTime.fromMillis(ms, { zone }).toFormat("yyyyLLdd'T'HHmmss");

const offsetText = (minutes: number) => {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
};

const offsetAt = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).offset;

/** The instant (to the minute) within (lo, hi] where the zone's UTC offset changes. */
function transitionBetween(lo: number, hi: number, zone: string): number {
  const before = offsetAt(lo, zone);
  let a = lo;
  let b = hi;
  while (b - a > 60_000) {
    const mid = a + Math.floor((b - a) / 2 / 60_000) * 60_000;
    if (offsetAt(mid, zone) === before) a = mid;
    else b = mid;
  }
  return b;
}

/**
 * A VTIMEZONE for `zone` covering [from, to]: one observance for the offset in force at `from`
 * and one per change after it, each a fixed date (no RRULE), computed from the IANA data the
 * runtime has. RFC 5545 requires it for every TZID a calendar object uses.
 */
export function vtimezone(zone: string, from: number, to: number): string[] {
  const lines = ['BEGIN:VTIMEZONE', `TZID:${zone}`];
  const observance = (at: number, fromOffset: number, toOffset: number) => {
    const dst = DateTime.fromMillis(at, { zone }).isInDST;
    const kind = dst ? 'DAYLIGHT' : 'STANDARD';
    lines.push(
      `BEGIN:${kind}`,
      // DTSTART of an observance is local time in the offset in force before it.
      `DTSTART:${DateTime.fromMillis(at, { zone: 'UTC' }).plus({ minutes: fromOffset }).toFormat("yyyyLLdd'T'HHmmss")}`,
      `TZOFFSETFROM:${offsetText(fromOffset)}`,
      `TZOFFSETTO:${offsetText(toOffset)}`,
      `TZNAME:${DateTime.fromMillis(at, { zone }).toFormat('ZZZZ')}`,
      `END:${kind}`,
    );
  };
  const start = from - DAY;
  const first = offsetAt(start, zone);
  observance(start, first, first);
  for (let t = start; t < to + DAY; t += DAY) {
    const next = Math.min(t + DAY, to + DAY);
    const a = offsetAt(t, zone);
    const b = offsetAt(next, zone);
    if (a !== b) observance(transitionBetween(t, next, zone), a, b);
  }
  lines.push('END:VTIMEZONE');
  return lines;
}

export interface SeriesIcsOptions {
  now: Date;
  url: string;
  location: string;
}

/**
 * A whole series as one recurring VEVENT: DTSTART in the practice's zone (so the RRULE keeps the
 * local wall-clock time across DST in every calendar), RRULE with COUNT, and an EXDATE for each
 * occurrence that was cancelled or expired. A rescheduled occurrence is an EXDATE too; its new
 * time is its own booking (and its own event, from the booking's .ics).
 */
export function seriesIcs(series: BookingSeries, o: SeriesIcsOptions): string {
  const zone = series.timeZone;
  const first = series.items[0]?.booking;
  const last = series.items.at(-1)?.booking;
  if (!first || !last) throw new RangeError('a series without occurrences');
  const start = Date.parse(first.start);
  const durationMinutes = Math.round((Date.parse(first.end) - start) / 60_000);
  const gone = series.items.filter((i) => ['cancelled', 'expired'].includes(i.booking.status));
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Carebook//Recurring series//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    ...vtimezone(zone, start, Date.parse(last.end)),
    'BEGIN:VEVENT',
    `UID:series-${series.id}@carebook`,
    `DTSTAMP:${icsUtc(o.now)}`,
    `DTSTART;TZID=${zone}:${localStamp(start, zone)}`,
    `DURATION:PT${durationMinutes}M`,
    `RRULE:${series.rrule}`,
    ...gone.map((i) => `EXDATE;TZID=${zone}:${localStamp(Date.parse(i.booking.start), zone)}`),
    `SUMMARY:${escapeText(`${series.serviceName} – ${series.providerName}`)}`,
    `DESCRIPTION:${escapeText(`Every ${series.intervalWeeks === 1 ? 'week' : `${series.intervalWeeks} weeks`}, ${series.occurrences} visits. Times are ${zone}.`)}`,
    `LOCATION:${escapeText(o.location)}`,
    `URL:${o.url.replace(/[\s"<>]/g, '')}`,
    'STATUS:CONFIRMED',
    'TRANSP:OPAQUE',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join(CRLF) + CRLF;
}
