import type { DayPart } from '@carebook/contracts';
import { dateToDayNumber, rawOffset } from '../../availability/domain/zone-timeline';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export const ALL_WEEKDAYS = 0b111_1111;

/** What an entry waits for. Dates and parts of the day are local to the listing's zone. */
export interface WaitWindow {
  fromDate: string | null;
  toDate: string | null;
  /** Bit i = weekday i (0 = Sunday). */
  weekdays: number;
  dayPart: DayPart;
  /** "Earlier than my booking": the start (epoch ms) a slot must come before. */
  earlierThan: number | null;
}

export const weekdayMask = (days: readonly string[] | undefined): number =>
  days ? days.reduce((m, d) => m | (1 << WEEKDAYS.indexOf(d as (typeof WEEKDAYS)[number])), 0) : ALL_WEEKDAYS;

export const weekdaysOf = (mask: number): (typeof WEEKDAYS)[number][] =>
  WEEKDAYS.filter((_, i) => (mask & (1 << i)) !== 0);

function partOf(hour: number): Exclude<DayPart, 'any'> {
  if (hour < 12) return 'morning';
  return hour < 17 ? 'afternoon' : 'evening';
}

/** Whether a slot starting at `start` (epoch ms) falls in the window, read in `timeZone`. */
export function slotMatches(w: WaitWindow, start: number, timeZone: string): boolean {
  if (w.earlierThan !== null) return start < w.earlierThan;
  const local = start + rawOffset(timeZone, start);
  const day = Math.floor(local / DAY);
  if (w.fromDate && day < dateToDayNumber(w.fromDate)) return false;
  if (w.toDate && day > dateToDayNumber(w.toDate)) return false;
  if ((w.weekdays & (1 << ((((day + 4) % 7) + 7) % 7))) === 0) return false;
  return w.dayPart === 'any' || partOf(Math.floor((local - day * DAY) / HOUR)) === w.dayPart;
}

/**
 * The instants to look for slots in (a superset: zones are at most ±14 h from UTC; `slotMatches`
 * decides), from `now` on; null when the window is over.
 */
export function searchRange(w: WaitWindow, now: number): { from: number; to: number } | null {
  const to = w.earlierThan ?? (w.toDate ? (dateToDayNumber(w.toDate) + 1) * DAY + 14 * HOUR : now + 62 * DAY);
  const from = Math.max(now, w.fromDate ? dateToDayNumber(w.fromDate) * DAY - 14 * HOUR : now);
  return to > from ? { from, to } : null;
}
