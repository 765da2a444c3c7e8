import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { at, DAY, everyDay, HOUR, label, makeSchedule } from '../../../../test/support/availability';
import { openingHours } from './opening-hours';
import { AvailabilityInputError } from './types';

const berlin = (overrides = {}) =>
  makeSchedule({
    timeZone: 'Europe/Berlin',
    weekly: {
      ...everyDay([
        { start: '08:00', end: '12:00' },
        { start: '13:00', end: '18:00' },
      ]),
      sat: [],
      sun: [],
    },
    ...overrides,
  });
const day = (zone: string, date: string) => {
  const start = DateTime.fromISO(date, { zone }).startOf('day');
  return [start.toMillis(), start.plus({ days: 1 }).toMillis()] as const;
};
const labels = (intervals: { start: number; end: number }[], zone: string) =>
  intervals.map((i) => `${label(i.start, zone)}–${label(i.end, zone)}`);

describe('openingHours', () => {
  it('turns a day of weekly hours into instants in the practice zone', () => {
    const [from, to] = day('Europe/Berlin', '2026-12-07'); // a Monday, CET
    expect(labels(openingHours(berlin(), from, to), 'Europe/Berlin')).toEqual([
      '08:00+01:00–12:00+01:00',
      '13:00+01:00–18:00+01:00',
    ]);
  });

  it('covers a week, closed at the weekend, and clips to the range', () => {
    const from = at('Europe/Berlin', '2026-12-07T10:00');
    const to = from + 7 * DAY;
    const open = openingHours(berlin(), from, to);
    expect(open[0]).toEqual({ start: from, end: at('Europe/Berlin', '2026-12-07T12:00') });
    expect(open.at(-1)).toEqual({ start: at('Europe/Berlin', '2026-12-14T08:00'), end: to });
    const days = new Set(open.map((i) => DateTime.fromMillis(i.start, { zone: 'Europe/Berlin' }).weekday));
    expect([...days].sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('is right across the spring-forward night: a wall time that does not exist is not open', () => {
    // 2026-03-29 in Berlin: 02:00 CET jumps to 03:00 CEST.
    const schedule = makeSchedule({
      timeZone: 'Europe/Berlin',
      weekly: everyDay([{ start: '01:00', end: '05:00' }]),
    });
    const [from, to] = day('Europe/Berlin', '2026-03-29');
    const open = openingHours(schedule, from, to);
    expect(labels(open, 'Europe/Berlin')).toEqual(['01:00+01:00–05:00+02:00']);
    expect((open[0]?.end ?? 0) - (open[0]?.start ?? 0)).toBe(3 * HOUR);
  });

  it('uses a date override (closed, or other hours) and subtracts time off', () => {
    const schedule = berlin({
      overrides: [
        { date: '2026-12-08', intervals: [] },
        { date: '2026-12-09', intervals: [{ start: '10:00', end: '14:00' }] },
      ],
      timeOff: [{ start: '2026-12-10T09:00:00+01:00', end: '2026-12-10T10:30:00+01:00' }],
    });
    const zone = 'Europe/Berlin';
    expect(openingHours(schedule, ...day(zone, '2026-12-08'))).toEqual([]);
    expect(labels(openingHours(schedule, ...day(zone, '2026-12-09')), zone)).toEqual([
      '10:00+01:00–14:00+01:00',
    ]);
    expect(labels(openingHours(schedule, ...day(zone, '2026-12-10')), zone)).toEqual([
      '08:00+01:00–09:00+01:00',
      '10:30+01:00–12:00+01:00',
      '13:00+01:00–18:00+01:00',
    ]);
  });

  it('returns nothing for an empty range and refuses an invalid schedule', () => {
    expect(openingHours(berlin(), 10, 10)).toEqual([]);
    expect(() => openingHours(berlin({ timeZone: 'Mars/Olympus' }), 0, DAY)).toThrow(AvailabilityInputError);
    expect(() => openingHours(berlin(), Number.NaN, DAY)).toThrow(AvailabilityInputError);
  });
});
