import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import {
  dayQuery,
  everyDay,
  HOUR,
  label,
  MIN,
  makeSchedule,
  service,
} from '../../../../test/support/availability';
import { groupSlotsByDay } from './group';
import { computeSlots } from './slots';
import type { LocalInterval, Slot } from './types';

const NY = 'America/New_York';
const BERLIN = 'Europe/Berlin';

function daySlots(zone: string, date: string, intervals: LocalInterval[], duration = 30, step = 30): Slot[] {
  const schedule = makeSchedule({ timeZone: zone, weekly: everyDay(intervals), slotIntervalMinutes: step });
  return computeSlots(dayQuery(schedule, service(duration), date));
}
const labels = (slots: Slot[], zone: string) => slots.map((s) => label(s.start, zone));

function expectWellFormed(slots: Slot[], duration: number, zone: string): void {
  for (const s of slots) {
    expect(s.end - s.start).toBe(duration * MIN);
    // Every start is a real instant; its local rendering round-trips, so no nonexistent time slips in.
    const local = DateTime.fromMillis(s.start, { zone });
    expect(DateTime.fromISO(local.toISO() as string, { setZone: true }).toMillis()).toBe(s.start);
  }
  for (let i = 1; i < slots.length; i++) {
    expect((slots[i] as Slot).start).toBeGreaterThan((slots[i - 1] as Slot).start);
  }
}

describe('spring forward: a local hour that does not exist', () => {
  it('America/New_York 2026-03-08: no 02:xx slot, 00:00–06:00 is five real hours', () => {
    const slots = daySlots(NY, '2026-03-08', [{ start: '00:00', end: '06:00' }]);
    expect(labels(slots, NY)).toEqual([
      '00:00-05:00',
      '00:30-05:00',
      '01:00-05:00',
      '01:30-05:00',
      '03:00-04:00',
      '03:30-04:00',
      '04:00-04:00',
      '04:30-04:00',
      '05:00-04:00',
      '05:30-04:00',
    ]);
    expectWellFormed(slots, 30, NY);
  });

  it('America/New_York: an hour-long appointment across the gap lasts 60 real minutes', () => {
    const slots = daySlots(NY, '2026-03-08', [{ start: '01:00', end: '04:00' }], 60);
    expect(slots.map((s) => `${label(s.start, NY)}→${label(s.end, NY)}`)).toEqual([
      '01:00-05:00→03:00-04:00',
      '01:30-05:00→03:30-04:00',
      '03:00-04:00→04:00-04:00',
    ]);
    expectWellFormed(slots, 60, NY);
  });

  it('an interval ending inside the gap closes when the clock jumps past its end (no 03:00 slot)', () => {
    // Found by the oracle property test: the clock reads 01:59 then 03:00, so 00:00–02:05 is over.
    const slots = daySlots(NY, '2026-03-08', [{ start: '00:00', end: '02:05' }], 5, 5);
    expect(slots).toHaveLength(24);
    expect(labels(slots, NY).slice(-2)).toEqual(['01:50-05:00', '01:55-05:00']);
    expectWellFormed(slots, 5, NY);
  });

  it('an interval inside the gap opens nothing; one starting in the gap opens when the clock resumes', () => {
    expect(daySlots(NY, '2026-03-08', [{ start: '02:00', end: '03:00' }])).toEqual([]);
    expect(labels(daySlots(NY, '2026-03-08', [{ start: '02:30', end: '04:00' }]), NY)).toEqual([
      '03:00-04:00',
      '03:30-04:00',
    ]);
    expect(labels(daySlots(NY, '2026-03-08', [{ start: '02:30', end: '04:00' }], 20, 20), NY)).toEqual([
      '03:00-04:00',
      '03:20-04:00',
      '03:40-04:00',
    ]);
  });

  it('Europe/Berlin 2026-03-29: no 02:xx slot, 00:00–06:00 is five real hours', () => {
    const slots = daySlots(BERLIN, '2026-03-29', [{ start: '00:00', end: '06:00' }]);
    expect(labels(slots, BERLIN)).toEqual([
      '00:00+01:00',
      '00:30+01:00',
      '01:00+01:00',
      '01:30+01:00',
      '03:00+02:00',
      '03:30+02:00',
      '04:00+02:00',
      '04:30+02:00',
      '05:00+02:00',
      '05:30+02:00',
    ]);
    expectWellFormed(slots, 30, BERLIN);
  });
});

describe('fall back: a local hour that happens twice', () => {
  it('America/New_York 2026-11-01: 00:00–04:00 is five real hours, the repeated hour neither lost nor doubled', () => {
    const slots = daySlots(NY, '2026-11-01', [{ start: '00:00', end: '04:00' }]);
    expect(labels(slots, NY)).toEqual([
      '00:00-04:00',
      '00:30-04:00',
      '01:00-04:00',
      '01:30-04:00',
      '01:00-05:00',
      '01:30-05:00',
      '02:00-05:00',
      '02:30-05:00',
      '03:00-05:00',
      '03:30-05:00',
    ]);
    expectWellFormed(slots, 30, NY);
    expect((slots[slots.length - 1] as Slot).end - (slots[0] as Slot).start).toBe(5 * HOUR);
    // 30-minute grid, 30-minute appointments: they tile the five hours without overlap.
    for (let i = 1; i < slots.length; i++) expect((slots[i] as Slot).start).toBe((slots[i - 1] as Slot).end);
  });

  it('America/New_York: an interval inside the repeated hour is open on both passes', () => {
    expect(labels(daySlots(NY, '2026-11-01', [{ start: '01:00', end: '01:30' }]), NY)).toEqual([
      '01:00-04:00',
      '01:00-05:00',
    ]);
    const hourLong = daySlots(NY, '2026-11-01', [{ start: '01:00', end: '02:00' }], 60);
    expect(hourLong.map((s) => `${label(s.start, NY)}→${label(s.end, NY)}`)).toEqual([
      '01:00-04:00→01:00-05:00',
      '01:30-04:00→01:30-05:00',
      '01:00-05:00→02:00-05:00',
    ]);
    expectWellFormed(hourLong, 60, NY);
  });

  it('America/New_York: intervals split inside the repeated hour stay disjoint', () => {
    const slots = daySlots(NY, '2026-11-01', [
      { start: '00:00', end: '01:30' },
      { start: '01:30', end: '03:00' },
    ]);
    // Each slot's local time lies in its own interval; all starts are distinct, sorted instants.
    expect(labels(slots, NY)).toEqual([
      '00:00-04:00',
      '00:30-04:00',
      '01:00-04:00',
      '01:30-04:00',
      '01:00-05:00',
      '01:30-05:00',
      '02:00-05:00',
      '02:30-05:00',
    ]);
    expectWellFormed(slots, 30, NY);
  });

  it('America/New_York: a busy interval across the change blocks by real time', () => {
    const schedule = makeSchedule({ timeZone: NY, weekly: everyDay([{ start: '00:00', end: '04:00' }]) });
    const busy = [{ start: Date.UTC(2026, 10, 1, 5, 30), end: Date.UTC(2026, 10, 1, 6, 30) }]; // 01:30 EDT–01:30 EST
    const slots = computeSlots(dayQuery(schedule, service(30), '2026-11-01', busy));
    expect(labels(slots, NY)).toEqual([
      '00:00-04:00',
      '00:30-04:00',
      '01:00-04:00',
      '01:30-05:00',
      '02:00-05:00',
      '02:30-05:00',
      '03:00-05:00',
      '03:30-05:00',
    ]);
  });

  it('Europe/Berlin 2026-10-25: 00:00–06:00 is seven real hours, 02:xx appears once per offset', () => {
    const slots = daySlots(BERLIN, '2026-10-25', [{ start: '00:00', end: '06:00' }], 60, 60);
    expect(labels(slots, BERLIN)).toEqual([
      '00:00+02:00',
      '01:00+02:00',
      '02:00+02:00',
      '02:00+01:00',
      '03:00+01:00',
      '04:00+01:00',
      '05:00+01:00',
    ]);
    expectWellFormed(slots, 60, BERLIN);
  });
});

describe('across a DST change, weekly hours keep their wall-clock times', () => {
  for (const [zone, date] of [
    [NY, '2026-03-08'],
    [NY, '2026-11-01'],
    [BERLIN, '2026-03-29'],
    [BERLIN, '2026-10-25'],
  ] as const) {
    it(`${zone} around ${date}`, () => {
      const schedule = makeSchedule({
        timeZone: zone,
        weekly: everyDay([{ start: '09:00', end: '17:00' }]),
        slotIntervalMinutes: 60,
      });
      const center = DateTime.fromISO(date, { zone });
      const from = center.minus({ days: 3 }).toMillis();
      const to = center.plus({ days: 4 }).toMillis();
      const slots = computeSlots({ schedule, service: service(60), busy: [], now: from - 1, from, to });
      const days = groupSlotsByDay(slots, zone);
      expect(days).toHaveLength(7);
      for (const day of days) {
        expect(day.slots.map((s) => s.start.slice(11, 16))).toEqual(
          ['09', '10', '11', '12', '13', '14', '15', '16'].map((h) => `${h}:00`),
        );
      }
      expectWellFormed(slots, 60, zone);
    });
  }
});
