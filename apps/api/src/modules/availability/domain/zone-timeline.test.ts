import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { at, HOUR } from '../../../../test/support/availability';
import {
  dateToDayNumber,
  dayNumberToDate,
  isValidTimeZone,
  rawOffset,
  timelineFor,
  weekdayOfDayNumber,
  ZoneTimeline,
} from './zone-timeline';

const ZONES = [
  'America/New_York',
  'Europe/Berlin',
  'Asia/Kolkata',
  'Australia/Adelaide',
  'Australia/Lord_Howe',
  'UTC',
];
const luxonOffset = (zone: string, ms: number) => DateTime.fromMillis(ms, { zone }).offset * 60_000;

describe('time zone offsets', () => {
  it('rawOffset agrees with luxon', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }),
        (zone, ms) => {
          expect(rawOffset(zone, ms)).toBe(luxonOffset(zone, ms));
        },
      ),
    );
  });

  it('a timeline agrees with luxon at every instant, including right at transitions', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ZONES),
        fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2027, 0, 1) }),
        fc.array(fc.integer({ min: -40 * 24 * HOUR, max: 40 * 24 * HOUR }), { minLength: 1, maxLength: 20 }),
        (zone, base, deltas) => {
          const timeline = new ZoneTimeline(zone);
          for (const d of deltas) expect(timeline.offsetAt(base + d)).toBe(luxonOffset(zone, base + d));
        },
      ),
      { numRuns: 50 },
    );
    const ny = new ZoneTimeline('America/New_York');
    const spring = Date.UTC(2026, 2, 8, 7);
    const fall = Date.UTC(2026, 10, 1, 6);
    ny.cover(Date.UTC(2026, 0, 1), Date.UTC(2027, 0, 1));
    expect([ny.offsetAt(spring - 1), ny.offsetAt(spring)]).toEqual([-5 * HOUR, -4 * HOUR]);
    expect([ny.offsetAt(fall - 1), ny.offsetAt(fall)]).toEqual([-4 * HOUR, -5 * HOUR]);
  });

  it('finds a transition that is not on a whole minute (Africa/Monrovia, 1972)', () => {
    const monrovia = new ZoneTimeline('Africa/Monrovia');
    const change = Date.parse('1972-01-07T00:44:30Z');
    expect(
      monrovia
        .segments(change - 40 * 24 * HOUR, change + 40 * 24 * HOUR)
        .map((s) => s.start)
        .slice(1),
    ).toEqual([change]);
    expect([monrovia.offsetAt(change - 1), monrovia.offsetAt(change)]).toEqual([
      luxonOffset('Africa/Monrovia', change - 1),
      0,
    ]);
  });

  it('shares one memoised timeline per zone', () => {
    expect(timelineFor('Asia/Kolkata')).toBe(timelineFor('Asia/Kolkata'));
    expect(timelineFor('Asia/Kolkata').offsetAt(Date.UTC(2026, 0, 1))).toBe(5.5 * HOUR);
  });

  it('maps wall-clock ranges to the instants whose clock reads inside them', () => {
    const ny = new ZoneTimeline('America/New_York');
    const wall = (date: string, hh: number, mm = 0) =>
      Date.UTC(+date.slice(0, 4), +date.slice(5, 7) - 1, +date.slice(8), hh, mm);
    // Spring forward: 02:00–03:00 does not exist.
    expect(ny.wallRangeToInstants(wall('2026-03-08', 2, 30), wall('2026-03-08', 3))).toEqual([]);
    expect(ny.wallRangeToInstants(wall('2026-03-08', 2, 30), wall('2026-03-08', 4))).toEqual([
      { start: at('America/New_York', '2026-03-08T03:00'), end: at('America/New_York', '2026-03-08T04:00') },
    ]);
    // Fall back: 00:00–04:00 is five real hours, one piece.
    const full = ny.wallRangeToInstants(wall('2026-11-01', 0), wall('2026-11-01', 4));
    expect(full).toEqual([{ start: Date.UTC(2026, 10, 1, 4), end: Date.UTC(2026, 10, 1, 9) }]);
    // 01:00–01:30 happens twice.
    expect(ny.wallRangeToInstants(wall('2026-11-01', 1), wall('2026-11-01', 1, 30))).toEqual([
      { start: Date.UTC(2026, 10, 1, 5), end: Date.UTC(2026, 10, 1, 5, 30) },
      { start: Date.UTC(2026, 10, 1, 6), end: Date.UTC(2026, 10, 1, 6, 30) },
    ]);
  });

  it('recognises IANA zones and rejects others', () => {
    for (const z of [...ZONES, 'America/Argentina/Buenos_Aires', 'Etc/GMT+5'])
      expect(isValidTimeZone(z)).toBe(true);
    for (const z of ['Mars/Olympus_Mons', '', '+05:00', 'GMT+5:30', 42, null])
      expect(isValidTimeZone(z)).toBe(false);
    expect(() => new ZoneTimeline('Mars/Olympus_Mons')).toThrow(RangeError);
  });

  it('converts day numbers, dates and weekdays', () => {
    expect(dayNumberToDate(0)).toBe('1970-01-01');
    expect(dateToDayNumber('2026-03-08')).toBe(Date.UTC(2026, 2, 8) / 86_400_000);
    expect(weekdayOfDayNumber(dateToDayNumber('2026-03-08'))).toBe('sun');
    expect(weekdayOfDayNumber(dateToDayNumber('2026-10-26'))).toBe('mon');
    expect(weekdayOfDayNumber(dateToDayNumber('1969-12-31'))).toBe('wed');
  });
});
