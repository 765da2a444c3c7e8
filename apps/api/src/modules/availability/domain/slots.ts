import { firstIntersecting, mergeIntervals } from './intervals';
import {
  AvailabilityInputError,
  type Interval,
  type Slot,
  type SlotQuery,
  type ValidationIssue,
  WEEKDAYS,
  type Weekday,
} from './types';
import { parseClock, parseInstant, validateSchedule, validateService } from './validate';
import {
  DAY,
  dateToDayNumber,
  MINUTE,
  timelineFor,
  weekdayOfDayNumber,
  type ZoneTimeline,
} from './zone-timeline';

/** Minutes after local midnight, `[start, end)`. */
type ClockRange = readonly [number, number];

/** Everything a computation needs, parsed and validated once per call. */
interface Plan {
  timeline: ZoneTimeline;
  weekly: Record<Weekday, ClockRange[]>;
  overrides: Map<number, ClockRange[]>;
  /** Time off and busy time, merged and sorted. */
  blocked: Interval[];
  step: number;
  duration: number;
  before: number;
  after: number;
  /** Earliest allowed start (now + notice), inclusive. */
  earliest: number;
  /** Horizon (now + days), exclusive. */
  latest: number;
}

const toRanges = (intervals: readonly { start: string; end: string }[]): ClockRange[] =>
  intervals.map((i) => [parseClock(i.start), parseClock(i.end)] as const).sort((a, b) => a[0] - b[0]);

function checkFinite(values: Record<string, number>): ValidationIssue[] {
  return Object.entries(values)
    .filter(([, v]) => typeof v !== 'number' || !Number.isFinite(v))
    .map(([path]) => ({ path, message: 'must be a finite epoch-ms number' }));
}

function checkBusy(busy: readonly Interval[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  busy.forEach((b, i) => {
    if (!Number.isFinite(b.start) || !Number.isFinite(b.end)) {
      issues.push(...checkFinite({ [`busy[${i}].start`]: b.start, [`busy[${i}].end`]: b.end }));
    }
  });
  return issues;
}

function plan(query: Omit<SlotQuery, 'from' | 'to'>): Plan {
  const { schedule, service, busy, now } = query;
  const issues = [
    ...validateSchedule(schedule).map((i) => ({ ...i, path: `schedule.${i.path}` })),
    ...validateService(service).map((i) => ({ ...i, path: `service.${i.path}` })),
    ...checkFinite({ now }),
    ...checkBusy(busy),
  ];
  if (issues.length > 0) throw new AvailabilityInputError(issues);
  const weekly = {} as Record<Weekday, ClockRange[]>;
  for (const day of WEEKDAYS) weekly[day] = toRanges(schedule.weekly[day]);
  const overrides = new Map<number, ClockRange[]>();
  for (const o of schedule.overrides) overrides.set(dateToDayNumber(o.date), toRanges(o.intervals));
  const timeOff = schedule.timeOff.map((t) => ({ start: parseInstant(t.start), end: parseInstant(t.end) }));
  return {
    timeline: timelineFor(schedule.timeZone),
    weekly,
    overrides,
    blocked: mergeIntervals([...timeOff, ...busy]),
    step: schedule.slotIntervalMinutes * MINUTE,
    duration: service.durationMinutes * MINUTE,
    before: service.bufferBeforeMinutes * MINUTE,
    after: service.bufferAfterMinutes * MINUTE,
    earliest: now + schedule.minimumNoticeMinutes * MINUTE,
    latest: now + schedule.bookingHorizonDays * DAY,
  };
}

/** Smallest `anchor + k·step` (k ≥ 0) that is ≥ `min`. */
function gridAtOrAfter(anchor: number, step: number, min: number): number {
  return min <= anchor ? anchor : anchor + Math.ceil((min - anchor) / step) * step;
}

/**
 * Appends to `out` the slots of local date `day` whose start lies in `[lo, hi)`. Each opening
 * interval becomes the set of instants whose wall clock reads inside it (one piece, or two when a
 * boundary falls inside a repeated hour); the grid runs in real minutes from its first instant.
 */
function slotsOfDay(p: Plan, day: number, lo: number, hi: number, out: Slot[]): void {
  const ranges = p.overrides.get(day) ?? p.weekly[weekdayOfDayNumber(day)];
  const midnight = day * DAY;
  for (const [startMin, endMin] of ranges) {
    const pieces = p.timeline.wallRangeToInstants(midnight + startMin * MINUTE, midnight + endMin * MINUTE);
    const anchor = pieces[0]?.start;
    if (anchor === undefined) continue;
    for (const piece of pieces) {
      let start = gridAtOrAfter(anchor, p.step, Math.max(piece.start + p.before, lo));
      while (start < hi && start + p.duration + p.after <= piece.end) {
        const conflict = firstIntersecting(p.blocked, start - p.before, start + p.duration + p.after);
        if (conflict) {
          start = gridAtOrAfter(anchor, p.step, conflict.end + p.before);
          continue;
        }
        out.push({ start, end: start + p.duration });
        start += p.step;
      }
    }
  }
}

function sortIfNeeded(slots: Slot[]): Slot[] {
  for (let i = 1; i < slots.length; i++) {
    if ((slots[i] as Slot).start < (slots[i - 1] as Slot).start)
      return slots.sort((a, b) => a.start - b.start);
  }
  return slots;
}

/**
 * Bookable slots whose start lies in `[from, to)`, sorted by start. A slot qualifies when:
 * - its appointment plus buffers lies entirely inside one opening interval (buffers may not reach
 *   outside opening hours);
 * - appointment plus buffers intersect no time off and no busy interval;
 * - its start is on the slot grid of its opening interval, counted in real minutes from the interval's
 *   first instant;
 * - `now + minimumNotice ≤ start < now + bookingHorizonDays·24h` and `from ≤ start < to`.
 * Slots are alternatives: with `slotIntervalMinutes < durationMinutes` neighbouring slots overlap.
 * Throws {@link AvailabilityInputError} on an invalid schedule, service or non-finite times.
 */
export function computeSlots(query: SlotQuery): Slot[] {
  const issues = checkFinite({ from: query.from, to: query.to });
  if (issues.length > 0) throw new AvailabilityInputError(issues);
  const p = plan(query);
  const lo = Math.max(query.from, p.earliest);
  const hi = Math.min(query.to, p.latest);
  if (lo >= hi) return [];
  p.timeline.cover(lo - 2 * DAY, hi + 2 * DAY);
  const out: Slot[] = [];
  const lastDay = p.timeline.localDayNumber(hi) + 1;
  for (let day = p.timeline.localDayNumber(lo) - 1; day <= lastDay; day++) slotsOfDay(p, day, lo, hi, out);
  return sortIfNeeded(out);
}

/**
 * The earliest bookable slot starting at or after `from` (default `now`), within notice and horizon,
 * or null. Scans one local day at a time and stops at the first day with a slot, so the cost is
 * proportional to the distance to that slot, not to the horizon.
 */
export function nextAvailableSlot(query: Omit<SlotQuery, 'from' | 'to'> & { from?: number }): Slot | null {
  const p = plan(query);
  const lo = Math.max(query.from ?? query.now, p.earliest);
  const hi = p.latest;
  if (lo >= hi) return null;
  const lastDay = p.timeline.localDayNumber(hi) + 1;
  for (let day = p.timeline.localDayNumber(lo) - 1; day <= lastDay; day++) {
    const found: Slot[] = [];
    slotsOfDay(p, day, lo, hi, found);
    if (found.length === 0) continue;
    // A zone whose clock falls back across midnight can interleave two local dates; look one further.
    slotsOfDay(p, day + 1, lo, hi, found);
    return found.reduce((a, b) => (b.start < a.start ? b : a));
  }
  return null;
}
