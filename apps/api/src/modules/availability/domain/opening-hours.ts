import { mergeIntervals } from './intervals';
import { AvailabilityInputError, type Interval, type Schedule } from './types';
import { parseClock, parseInstant, validateSchedule } from './validate';
import { DAY, dayNumberToDate, MINUTE, timelineFor, weekdayOfDayNumber } from './zone-timeline';

/**
 * When the practice is open in `[from, to)`: each local day's weekly hours (or that date's
 * override) turned into real instants in the schedule's zone, minus time off, merged and clipped.
 * DST-safe like the slots: a wall time that does not exist is skipped, a repeated hour is open
 * twice. This is staffed time, not bookable slots (notice, horizon and bookings do not apply).
 * Throws {@link AvailabilityInputError} on an invalid schedule or range.
 */
export function openingHours(schedule: Schedule, from: number, to: number): Interval[] {
  const issues = validateSchedule(schedule).map((i) => ({ ...i, path: `schedule.${i.path}` }));
  if (!Number.isFinite(from) || !Number.isFinite(to))
    issues.push({ path: 'range', message: 'from and to must be finite epoch-ms numbers' });
  if (issues.length > 0) throw new AvailabilityInputError(issues);
  if (from >= to) return [];
  const timeline = timelineFor(schedule.timeZone);
  timeline.cover(from - 2 * DAY, to + 2 * DAY);
  const overrides = new Map(schedule.overrides.map((o) => [o.date, o.intervals]));
  const open: Interval[] = [];
  const lastDay = timeline.localDayNumber(to) + 1;
  for (let day = timeline.localDayNumber(from) - 1; day <= lastDay; day++) {
    const ranges = overrides.get(dayNumberToDate(day)) ?? schedule.weekly[weekdayOfDayNumber(day)];
    for (const r of ranges) {
      const wallStart = day * DAY + parseClock(r.start) * MINUTE;
      const wallEnd = day * DAY + parseClock(r.end) * MINUTE;
      open.push(...timeline.wallRangeToInstants(wallStart, wallEnd));
    }
  }
  const off = mergeIntervals(
    schedule.timeOff.map((t) => ({ start: parseInstant(t.start), end: parseInstant(t.end) })),
  );
  return mergeIntervals(
    open.map((i) => ({ start: Math.max(i.start, from), end: Math.min(i.end, to) })),
  ).flatMap((i) => subtract(i, off));
}

/** `interval` minus the merged, sorted `holes`. */
function subtract(interval: Interval, holes: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let start = interval.start;
  for (const h of holes) {
    if (h.end <= start) continue;
    if (h.start >= interval.end) break;
    if (h.start > start) out.push({ start, end: h.start });
    start = Math.max(start, h.end);
  }
  if (start < interval.end) out.push({ start, end: interval.end });
  return out;
}
