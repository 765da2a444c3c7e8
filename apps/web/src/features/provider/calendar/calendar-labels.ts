import type { PracticeBooking } from '@carebook/contracts';
import { statusLabel, time, zoneShort } from '../../../ui/format';
import type { CalendarDay, CalendarView } from './calendar-model';

const dateFormats = new Map<string, Intl.DateTimeFormat>();
/** A local date (yyyy-mm-dd) in words; the date is a calendar date, so it is formatted as UTC. */
export function dateLabel(date: string, style: 'long' | 'short' = 'long'): string {
  let f = dateFormats.get(style);
  if (!f) {
    f = new Intl.DateTimeFormat(undefined, {
      timeZone: 'UTC',
      weekday: style,
      day: 'numeric',
      month: style,
    });
    dateFormats.set(style, f);
  }
  return f.format(new Date(`${date}T00:00:00Z`));
}

const rangeFormat = (view: CalendarView) =>
  new Intl.DateTimeFormat(undefined, {
    timeZone: 'UTC',
    weekday: view === 'day' ? 'long' : 'short',
    day: 'numeric',
    month: view === 'day' ? 'long' : 'short',
    year: 'numeric',
  });
/** "Wednesday, 25 November 2026" or "Mon 23 – Sun 29 Nov 2026", as the viewer's locale writes them. */
export function rangeLabel(view: CalendarView, dates: readonly string[]): string {
  const first = new Date(`${dates[0]}T00:00:00Z`);
  const last = new Date(`${dates[dates.length - 1]}T00:00:00Z`);
  return view === 'day' ? rangeFormat(view).format(first) : rangeFormat(view).formatRange(first, last);
}

const clockFormat = new Intl.DateTimeFormat(undefined, {
  timeZone: 'UTC',
  hour: '2-digit',
  minute: '2-digit',
});
/** Minutes after local midnight as a wall-clock time, written the way the viewer's locale writes times. */
export const clock = (minutes: number) => clockFormat.format(Date.UTC(2000, 0, 1, 0, Math.floor(minutes)));

/** "Open 08:00–12:00 and 13:00–18:00", or "Closed". */
export function openSummary(day: CalendarDay): string {
  if (day.open.length === 0) return 'Closed';
  const ranges = day.open.map((o) => `${clock(o.fromMin)}–${clock(o.toMin)}`);
  return `Open ${ranges.length > 1 ? `${ranges.slice(0, -1).join(', ')} and ${ranges.at(-1)}` : ranges[0]}`;
}

/** Start–end in the practice's zone, labelled: "09:00–09:15 GMT+1". */
export const timeRange = (b: PracticeBooking, tz: string) =>
  `${time(b.start, tz)}–${time(b.end, tz)} ${zoneShort(tz, new Date(b.start))}`;

export const patientKind = (b: PracticeBooking) => (b.newPatient ? 'new patient' : 'returning patient');

/** What a screen reader says for a booking: patient, service, day and time with zone, status. */
export function bookingName(b: PracticeBooking, date: string, tz: string): string {
  return `${b.patient.name}, ${patientKind(b)}, ${b.serviceName}, ${dateLabel(date)} ${timeRange(b, tz)}, ${statusLabel[b.status] ?? b.status}`;
}
