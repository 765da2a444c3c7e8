import fc from 'fast-check';
import { DateTime, IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { DAY, MIN } from '../../../../test/support/availability';
import { computeSlots, nextAvailableSlot } from './slots';
import {
  type Interval,
  type LocalInterval,
  type Schedule,
  type Slot,
  type SlotQuery,
  WEEKDAYS,
} from './types';

/**
 * Property tests. The oracle is a brute force written independently of the engine: it walks real
 * time minute by minute, asks luxon for the local wall clock, and labels each minute with the
 * opening interval (local date + interval index) its wall time falls in. Offsets are looked up once
 * per quarter hour; every zone used changes offset on a quarter-hour boundary.
 */

const ZONES = [
  'America/New_York',
  'Europe/Berlin',
  'Asia/Kolkata',
  'Asia/Kathmandu',
  'Australia/Adelaide',
  'Australia/Lord_Howe',
  'Pacific/Chatham',
  'America/St_Johns',
  'UTC',
];
const DST_DATES = [
  '2026-03-08',
  '2026-11-01',
  '2026-03-29',
  '2026-10-25',
  '2026-04-05',
  '2026-10-04',
  '2026-09-27',
];

const clock = (minutes: number) =>
  minutes === 1440
    ? '24:00'
    : `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** 0–3 non-overlapping intervals on a 5-minute grid (touching allowed). */
const dayIntervals: fc.Arbitrary<LocalInterval[]> = fc
  .uniqueArray(fc.integer({ min: 0, max: 288 }), { maxLength: 6 })
  .map((points) => {
    const sorted = [...points].sort((a, b) => a - b);
    const out: LocalInterval[] = [];
    for (let i = 0; i + 1 < sorted.length; i += 2) {
      out.push({ start: clock((sorted[i] as number) * 5), end: clock((sorted[i + 1] as number) * 5) });
    }
    return out;
  });

const minuteIntervals = (base: number, span: number): fc.Arbitrary<Interval[]> =>
  fc.array(
    fc
      .tuple(fc.integer({ min: 0, max: span }), fc.integer({ min: 1, max: 8 * 60 }))
      .map(([offset, length]) => ({
        start: base + offset * MIN,
        end: base + (offset + length) * MIN,
      })),
    { maxLength: 6 },
  );

const queryArb: fc.Arbitrary<SlotQuery> = fc
  .record({
    zone: fc.constantFrom(...ZONES),
    center: fc.oneof(
      fc.constantFrom(...DST_DATES),
      fc
        .integer({ min: 0, max: 364 })
        .map((d) => new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10)),
    ),
    startShiftMin: fc.integer({ min: -36 * 60, max: 12 * 60 }),
    lengthMin: fc.integer({ min: 60, max: 3 * 24 * 60 }),
  })
  .chain(({ zone, center, startShiftMin, lengthMin }) => {
    const from = Date.parse(`${center}T00:00:00Z`) + startShiftMin * MIN;
    const to = from + lengthMin * MIN;
    const firstDate = new Date(from - DAY).toISOString().slice(0, 10);
    return fc.record({
      schedule: fc.record({
        timeZone: fc.constant(zone),
        weekly: fc.record(
          Object.fromEntries(WEEKDAYS.map((d) => [d, dayIntervals])) as Record<
            (typeof WEEKDAYS)[number],
            fc.Arbitrary<LocalInterval[]>
          >,
        ),
        overrides: fc.uniqueArray(
          fc.record({
            date: fc
              .integer({ min: 0, max: 5 })
              .map((d) => DateTime.fromISO(firstDate).plus({ days: d }).toISODate() as string),
            intervals: dayIntervals,
          }),
          { maxLength: 2, selector: (o) => o.date },
        ),
        timeOff: minuteIntervals(from - DAY, 5 * 24 * 60).map((list) =>
          list.map((i) => ({ start: new Date(i.start).toISOString(), end: new Date(i.end).toISOString() })),
        ),
        slotIntervalMinutes: fc.constantFrom(5, 10, 15, 20, 30, 45, 60, 90),
        minimumNoticeMinutes: fc.integer({ min: 0, max: 48 * 60 }),
        bookingHorizonDays: fc.integer({ min: 1, max: 6 }),
      }) as fc.Arbitrary<Schedule>,
      service: fc.record({
        durationMinutes: fc.integer({ min: 1, max: 36 }).map((n) => n * 5),
        bufferBeforeMinutes: fc.integer({ min: 0, max: 6 }).map((n) => n * 5),
        bufferAfterMinutes: fc.integer({ min: 0, max: 6 }).map((n) => n * 5),
      }),
      busy: minuteIntervals(from - DAY, 5 * 24 * 60),
      now: fc.integer({ min: -3 * 24 * 60, max: 24 * 60 }).map((m) => from + m * MIN),
      from: fc.constant(from),
      to: fc.constant(to),
    });
  });

/** Minute instant → `localDayNumber#index` of the opening interval its local wall time falls in. */
function openingMinutes(schedule: Schedule, lo: number, hi: number): Map<number, string> {
  const overrides = new Map(schedule.overrides.map((o) => [o.date, o.intervals]));
  const toMin = (hhmm: string) =>
    hhmm === '24:00' ? 1440 : Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));
  const map = new Map<number, string>();
  const byDate = new Map<string, (readonly [number, number])[]>();
  const zone = IANAZone.create(schedule.timeZone);
  // Offsets come from the zone for every minute; to keep the oracle quick, a quarter hour whose
  // first and last minute agree (no transition inside it) reuses one lookup. Sampling every 15
  // minutes from an arbitrary start instead missed transitions between samples (it once saw
  // 02:00-02:05 on a spring-forward day as a wall time that exists).
  const QUARTER = 15 * MIN;
  let quarter = Number.NaN;
  let quarterOffset = 0;
  let uniform = true;
  for (let t = lo; t < hi; t += MIN) {
    const q = Math.floor(t / QUARTER) * QUARTER;
    if (q !== quarter) {
      quarter = q;
      quarterOffset = zone.offset(q) * MIN;
      uniform = zone.offset(q + QUARTER - MIN) * MIN === quarterOffset;
    }
    const offset = uniform ? quarterOffset : zone.offset(t) * MIN;
    const wall = t + offset;
    const dayNumber = Math.floor(wall / DAY);
    const date = `${dayNumber}`;
    const minute = (wall - dayNumber * DAY) / MIN;
    let intervals = byDate.get(date);
    if (!intervals) {
      const day = new Date(dayNumber * DAY);
      const weekday = WEEKDAYS[(day.getUTCDay() + 6) % 7] as (typeof WEEKDAYS)[number];
      intervals = [...(overrides.get(day.toISOString().slice(0, 10)) ?? schedule.weekly[weekday])]
        .map((i) => [toMin(i.start), toMin(i.end)] as const)
        .sort((a, b) => a[0] - b[0]);
      byDate.set(date, intervals);
    }
    const index = intervals.findIndex(([start, end]) => start <= minute && minute < end);
    if (index >= 0) map.set(t, `${date}#${index}`);
  }
  return map;
}

const blockOf = (q: SlotQuery, s: Slot): Interval => ({
  start: s.start - q.service.bufferBeforeMinutes * MIN,
  end: s.end + q.service.bufferAfterMinutes * MIN,
});
const intersects = (a: Interval, b: Interval) => a.start < b.end && b.start < a.end;
const blockedOf = (q: SlotQuery): Interval[] => [
  ...q.busy,
  ...q.schedule.timeOff.map((t) => ({ start: Date.parse(t.start), end: Date.parse(t.end) })),
];
/** The opening a block lies in, or undefined when any minute of it is outside hours or in another one. */
function openingOf(block: Interval, openings: Map<number, string>): string | undefined {
  const key = openings.get(block.start);
  for (let m = block.start; m < block.end; m += MIN) if (openings.get(m) !== key) return undefined;
  return key;
}

function bruteForce(q: SlotQuery): Slot[] {
  const openings = openingMinutes(q.schedule, q.from - 2 * DAY, q.to + 2 * DAY);
  const anchors = new Map<string, number>();
  for (const [t, key] of openings) if (!anchors.has(key)) anchors.set(key, t);
  const step = q.schedule.slotIntervalMinutes * MIN;
  const duration = q.service.durationMinutes * MIN;
  const lo = Math.max(q.from, q.now + q.schedule.minimumNoticeMinutes * MIN);
  const hi = Math.min(q.to, q.now + q.schedule.bookingHorizonDays * DAY);
  const blocked = blockedOf(q);
  const out: Slot[] = [];
  for (const [key, anchor] of anchors) {
    for (let start = anchor; start < hi; start += step) {
      const slot = { start, end: start + duration };
      const block = blockOf(q, slot);
      if (start < lo || openingOf(block, openings) !== key) continue;
      if (blocked.some((b) => intersects(b, block))) continue;
      out.push(slot);
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

describe('slot properties over random schedules, zones and busy sets', () => {
  it('slots are sorted, the right length, inside notice/horizon/range, inside one opening with their buffers, and clear of busy time and time off', () => {
    fc.assert(
      fc.property(queryArb, (q) => {
        const slots = computeSlots(q);
        const openings = openingMinutes(q.schedule, q.from - 2 * DAY, q.to + 2 * DAY);
        const step = q.schedule.slotIntervalMinutes * MIN;
        const duration = q.service.durationMinutes * MIN;
        const blocked = blockedOf(q);
        const problems: string[] = [];
        const keys: (string | undefined)[] = [];
        const firstOfKey = new Map<string, number>();
        slots.forEach((s, i) => {
          const at = new Date(s.start).toISOString();
          const prev = slots[i - 1];
          if (prev && s.start <= prev.start) problems.push(`${at} not after previous`);
          if (s.end - s.start !== duration) problems.push(`${at} wrong length`);
          if (s.start < q.from || s.start >= q.to) problems.push(`${at} outside [from, to)`);
          if (s.start < q.now + q.schedule.minimumNoticeMinutes * MIN) problems.push(`${at} inside notice`);
          if (s.start >= q.now + q.schedule.bookingHorizonDays * DAY) problems.push(`${at} beyond horizon`);
          const block = blockOf(q, s);
          const key = openingOf(block, openings);
          keys.push(key);
          if (key === undefined) problems.push(`${at} with buffers leaves opening hours`);
          else {
            const first = firstOfKey.get(key) ?? s.start;
            firstOfKey.set(key, first);
            if ((s.start - first) % step !== 0) problems.push(`${at} off the grid of ${key}`);
          }
          if (blocked.some((b) => intersects(b, block)))
            problems.push(`${at} with buffers hits busy/time off`);
          // Appointments overlap only as alternatives on one opening's grid, closer than one duration.
          for (let j = i + 1; j < slots.length && (slots[j] as Slot).start < s.end; j++) {
            if (step >= duration) problems.push(`${at} overlaps a later slot although step >= duration`);
            const other = blockOf(q, slots[j] as Slot);
            if (openingOf(other, openings) !== key) problems.push(`${at} overlaps a slot of another opening`);
          }
        });
        expect(problems).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('equals the brute-force oracle exactly (nothing missing, nothing extra)', () => {
    fc.assert(
      fc.property(queryArb, (q) => {
        expect(computeSlots(q)).toEqual(bruteForce(q));
      }),
      { numRuns: 100 },
    );
  });

  it('busy time only removes slots, and only those it touches', () => {
    fc.assert(
      fc.property(queryArb, (q) => {
        const free = computeSlots({ ...q, busy: [], schedule: { ...q.schedule, timeOff: [] } });
        const slots = computeSlots(q);
        const kept = new Set(slots.map((s) => s.start));
        const blocked = blockedOf(q);
        for (const s of slots) expect(free.some((f) => f.start === s.start)).toBe(true);
        for (const f of free) {
          expect(kept.has(f.start)).toBe(!blocked.some((b) => intersects(b, blockOf(q, f))));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('nextAvailableSlot is the first slot between now and the horizon', () => {
    fc.assert(
      fc.property(queryArb, (q) => {
        const horizonEnd = q.now + q.schedule.bookingHorizonDays * DAY;
        const first = computeSlots({ ...q, from: q.now, to: horizonEnd })[0] ?? null;
        expect(
          nextAvailableSlot({ schedule: q.schedule, service: q.service, busy: q.busy, now: q.now }),
        ).toEqual(first);
      }),
      { numRuns: 150 },
    );
  });
});
