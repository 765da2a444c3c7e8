import type { OpenInterval, PracticeBooking } from '@carebook/contracts';
import { addDays, mondayOf, wallClock, zonedRange } from './zoned-days';

export type CalendarView = 'day' | 'week';

/** A piece of something on one local day, in minutes after local midnight (wall clock). */
export interface Placed {
  fromMin: number;
  toMin: number;
}

export interface CalendarDay {
  date: string;
  open: Placed[];
  bookings: (Placed & { booking: PracticeBooking })[];
}

/** The local dates a view shows around `date`: that day, or its Monday-to-Sunday week. */
export function viewDates(view: CalendarView, date: string): string[] {
  if (view === 'day') return [date];
  const monday = mondayOf(date);
  return Array.from({ length: 7 }, (_, i) => addDays(monday, i));
}

/** Where prev/next move to: a day or a week away. */
export const step = (view: CalendarView, date: string, direction: -1 | 1) =>
  addDays(date, direction * (view === 'day' ? 1 : 7));

/** The instants a view covers, for the API query. */
export function viewRange(view: CalendarView, date: string, tz: string): { from: string; to: string } {
  const dates = viewDates(view, date);
  const { from, to } = zonedRange(dates[0] as string, dates[dates.length - 1] as string, tz);
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

/** Splits `[start, end)` into its pieces on each local date it touches. */
function piecesByDate(start: number, end: number, tz: string): Map<string, Placed> {
  const out = new Map<string, Placed>();
  const a = wallClock(start, tz);
  const b = wallClock(end, tz);
  if (a.date === b.date || (b.minutes === 0 && addDays(a.date, 1) === b.date)) {
    out.set(a.date, { fromMin: a.minutes, toMin: a.date === b.date ? b.minutes : 1440 });
    return out;
  }
  out.set(a.date, { fromMin: a.minutes, toMin: 1440 });
  for (let d = addDays(a.date, 1); d < b.date; d = addDays(d, 1)) out.set(d, { fromMin: 0, toMin: 1440 });
  if (b.minutes > 0) out.set(b.date, { fromMin: 0, toMin: b.minutes });
  return out;
}

/** The days of a view with their opening hours and bookings placed on the practice's wall clock. */
export function buildDays(
  dates: readonly string[],
  tz: string,
  bookings: readonly PracticeBooking[],
  open: readonly OpenInterval[],
): CalendarDay[] {
  const days = new Map<string, CalendarDay>(dates.map((date) => [date, { date, open: [], bookings: [] }]));
  for (const o of open) {
    for (const [date, piece] of piecesByDate(Date.parse(o.start), Date.parse(o.end), tz))
      days.get(date)?.open.push(piece);
  }
  for (const b of bookings) {
    const start = wallClock(Date.parse(b.start), tz);
    const day = days.get(start.date);
    if (!day) continue;
    const end = wallClock(Date.parse(b.end), tz);
    day.bookings.push({
      booking: b,
      fromMin: start.minutes,
      toMin: end.date === start.date ? end.minutes : 1440,
    });
  }
  for (const day of days.values()) day.bookings.sort((x, y) => x.fromMin - y.fromMin);
  return [...days.values()];
}

/** The hours a time grid shows: from the earliest opening or booking to the latest, at least 08–18. */
export function hourWindow(days: readonly CalendarDay[]): { from: number; to: number } {
  let from = 8 * 60;
  let to = 18 * 60;
  for (const d of days) {
    for (const p of [...d.open, ...d.bookings]) {
      from = Math.min(from, p.fromMin);
      to = Math.max(to, p.toMin);
    }
  }
  return { from: Math.floor(from / 60), to: Math.min(24, Math.ceil(to / 60)) };
}

export type NavKey = 'ArrowUp' | 'ArrowDown' | 'ArrowLeft' | 'ArrowRight' | 'Home' | 'End';
export const NAV_KEYS: readonly string[] = ['ArrowUp', 'ArrowDown', 'ArrowLeft', 'ArrowRight', 'Home', 'End'];

/**
 * Roving focus over the bookings of a view: Up/Down to the previous/next booking (on to the
 * neighbouring days), Left/Right to the booking nearest in time on the previous/next day that has
 * any, Home/End to the first/last booking of the day. Null when there is nowhere to go.
 */
export function moveFocus(days: readonly CalendarDay[], currentId: string, key: NavKey): string | null {
  const withBookings = days.filter((d) => d.bookings.length > 0);
  const dayIndex = withBookings.findIndex((d) => d.bookings.some((b) => b.booking.id === currentId));
  const day = withBookings[dayIndex];
  if (!day) return null;
  const i = day.bookings.findIndex((b) => b.booking.id === currentId);
  const current = day.bookings[i] as CalendarDay['bookings'][number];
  const flat = withBookings.flatMap((d) => d.bookings);
  const at = flat.findIndex((b) => b.booking.id === currentId);
  switch (key) {
    case 'ArrowDown':
      return flat[at + 1]?.booking.id ?? null;
    case 'ArrowUp':
      return at > 0 ? (flat[at - 1]?.booking.id ?? null) : null;
    case 'Home':
      return day.bookings[0]?.booking.id ?? null;
    case 'End':
      return day.bookings[day.bookings.length - 1]?.booking.id ?? null;
    case 'ArrowLeft':
    case 'ArrowRight': {
      const other = withBookings[dayIndex + (key === 'ArrowRight' ? 1 : -1)];
      if (!other) return null;
      const nearest = other.bookings.reduce((best, b) =>
        Math.abs(b.fromMin - current.fromMin) < Math.abs(best.fromMin - current.fromMin) ? b : best,
      );
      return nearest.booking.id;
    }
  }
}
