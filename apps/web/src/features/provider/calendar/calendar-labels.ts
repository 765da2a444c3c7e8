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

/** "Wednesday 25 November 2026" or "Mon 23 Nov – Sun 29 Nov 2026". */
export function rangeLabel(view: CalendarView, dates: readonly string[]): string {
  const first = dates[0] as string;
  const last = dates[dates.length - 1] as string;
  const year = last.slice(0, 4);
  return view === 'day'
    ? `${dateLabel(first)} ${year}`
    : `${dateLabel(first, 'short')} – ${dateLabel(last, 'short')} ${year}`;
}

const pad = (n: number) => String(n).padStart(2, '0');
/** Minutes after midnight as a 24-hour clock time. */
export const clock = (minutes: number) =>
  `${pad(Math.floor(minutes / 60) % 24)}:${pad(Math.floor(minutes % 60))}`;

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
