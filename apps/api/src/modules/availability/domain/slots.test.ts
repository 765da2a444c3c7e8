import { describe, expect, it } from 'vitest';
import {
  DAY,
  dayQuery,
  everyDay,
  HOUR,
  MIN,
  makeSchedule,
  service,
} from '../../../../test/support/availability';
import { computeSlots, nextAvailableSlot } from './slots';
import { AvailabilityInputError, type Slot } from './types';

const DATE = '2026-06-10'; // a Wednesday
const t = (hhmm: string, date = DATE) => Date.parse(`${date}T${hhmm}:00Z`);
const hhmm = (slots: Slot[]) => slots.map((s) => new Date(s.start).toISOString().slice(11, 16));

describe('computeSlots — grid, duration and opening hours (UTC)', () => {
  it('puts slots on the grid from the interval start and keeps the appointment inside the interval', () => {
    const slots = computeSlots(dayQuery(makeSchedule(), service(30), DATE));
    expect(hhmm(slots)).toEqual(['09:00', '09:30', '10:00', '10:30', '11:00', '11:30']);
    for (const s of slots) expect(s.end - s.start).toBe(30 * MIN);
  });

  it('offers overlapping alternatives when the grid is finer than the duration', () => {
    const slots = computeSlots(dayQuery(makeSchedule({ slotIntervalMinutes: 15 }), service(60), DATE));
    expect(hhmm(slots)).toEqual([
      '09:00',
      '09:15',
      '09:30',
      '09:45',
      '10:00',
      '10:15',
      '10:30',
      '10:45',
      '11:00',
    ]);
  });

  it('measures the grid from each interval start, never spans two intervals, and honours 24:00', () => {
    const schedule = makeSchedule({
      slotIntervalMinutes: 20,
      weekly: everyDay([
        { start: '09:10', end: '10:00' },
        { start: '10:00', end: '11:05' },
        { start: '23:00', end: '24:00' },
      ]),
    });
    const slots = computeSlots(dayQuery(schedule, service(30), DATE));
    // 09:50 would end 10:20, across the boundary of two intervals: not offered.
    expect(hhmm(slots)).toEqual(['09:10', '09:30', '10:00', '10:20', '23:00', '23:20']);
  });

  it('keeps buffers inside opening hours and outside busy time', () => {
    const svc = service(30, 10, 10);
    const schedule = makeSchedule({ slotIntervalMinutes: 15 });
    expect(hhmm(computeSlots(dayQuery(schedule, svc, DATE)))).toEqual([
      '09:15',
      '09:30',
      '09:45',
      '10:00',
      '10:15',
      '10:30',
      '10:45',
      '11:00',
      '11:15',
    ]);
    // Busy 10:00–10:30 (already including that booking's buffers): a slot's [start-10, end+10)
    // must not touch it, so starts in (09:20, 10:40) go.
    const busy = [{ start: t('10:00'), end: t('10:30') }];
    expect(hhmm(computeSlots(dayQuery(schedule, svc, DATE, busy)))).toEqual([
      '09:15',
      '10:45',
      '11:00',
      '11:15',
    ]);
    // The buffer before counts too: busy 09:00–09:10 rules out 09:15 (its buffer starts 09:05).
    const early = [{ start: t('09:00'), end: t('09:10') }];
    expect(hhmm(computeSlots(dayQuery(schedule, svc, DATE, early)))[0]).toBe('09:30');
  });

  it('treats busy and time-off intervals as half-open', () => {
    const schedule = makeSchedule({
      timeOff: [{ start: `${DATE}T11:30:00Z`, end: `${DATE}T13:00:00+01:00` }],
    });
    const busy = [{ start: t('09:30'), end: t('10:00') }];
    expect(hhmm(computeSlots(dayQuery(schedule, service(30), DATE, busy)))).toEqual([
      '09:00',
      '10:00',
      '10:30',
      '11:00',
    ]);
  });

  it('ignores empty busy intervals and time off on other days', () => {
    const schedule = makeSchedule({
      timeOff: [{ start: '2026-06-11T00:00:00Z', end: '2026-06-12T00:00:00Z' }],
    });
    const busy = [{ start: t('10:00'), end: t('10:00') }];
    expect(computeSlots(dayQuery(schedule, service(30), DATE, busy))).toHaveLength(6);
  });

  it('uses the weekday hours of the local date', () => {
    const schedule = makeSchedule({
      weekly: {
        ...everyDay([]),
        wed: [{ start: '14:00', end: '15:00' }],
        thu: [{ start: '08:00', end: '09:00' }],
      },
    });
    const q = dayQuery(schedule, service(60), DATE);
    const slots = computeSlots({ ...q, to: q.from + 7 * DAY });
    expect(slots.map((s) => new Date(s.start).toISOString())).toEqual([
      '2026-06-10T14:00:00.000Z',
      '2026-06-11T08:00:00.000Z',
    ]);
  });
});

describe('computeSlots — overrides, notice, horizon and range', () => {
  it('closes a date or replaces its hours with an override', () => {
    const schedule = makeSchedule({
      overrides: [
        { date: DATE, intervals: [] },
        { date: '2026-06-11', intervals: [{ start: '15:00', end: '16:00' }] },
      ],
    });
    expect(computeSlots(dayQuery(schedule, service(30), DATE))).toEqual([]);
    expect(hhmm(computeSlots(dayQuery(schedule, service(30), '2026-06-11')))).toEqual(['15:00', '15:30']);
    expect(hhmm(computeSlots(dayQuery(schedule, service(30), '2026-06-12')))).toHaveLength(6);
  });

  it('applies overrides to the local date in the provider zone', () => {
    const schedule = makeSchedule({
      timeZone: 'Pacific/Auckland',
      weekly: everyDay([{ start: '08:00', end: '09:00' }]),
      overrides: [{ date: DATE, intervals: [] }],
    });
    // 2026-06-10 08:00 in Auckland (+12:00) is 2026-06-09T20:00Z.
    const from = Date.parse('2026-06-09T00:00:00Z');
    const slots = computeSlots({
      schedule,
      service: service(60),
      busy: [],
      now: from,
      from,
      to: from + 3 * DAY,
    });
    // Local 06-09 08:00 is before `from`; local 06-10 (= 06-09T20:00Z) is closed.
    expect(slots.map((s) => new Date(s.start).toISOString())).toEqual([
      '2026-06-10T20:00:00.000Z',
      '2026-06-11T20:00:00.000Z',
    ]);
  });

  it('starts no earlier than now + minimum notice', () => {
    const schedule = makeSchedule({ minimumNoticeMinutes: 75 });
    const q = dayQuery(schedule, service(30), DATE);
    expect(hhmm(computeSlots({ ...q, now: t('08:45') }))).toEqual(['10:00', '10:30', '11:00', '11:30']);
    expect(hhmm(computeSlots({ ...q, now: t('08:44') }))).toEqual(['10:00', '10:30', '11:00', '11:30']);
    expect(hhmm(computeSlots({ ...q, now: t('08:46') }))).toEqual(['10:30', '11:00', '11:30']);
  });

  it('starts strictly before now + horizon', () => {
    const schedule = makeSchedule({ bookingHorizonDays: 2 });
    const now = t('10:00');
    const slots = computeSlots({
      schedule,
      service: service(30),
      busy: [],
      now,
      from: now,
      to: now + 10 * DAY,
    });
    expect(slots[0]?.start).toBe(t('10:00'));
    expect(slots[slots.length - 1]?.start).toBe(t('09:30', '2026-06-12'));
    expect(slots).toHaveLength(4 + 6 + 2);
  });

  it('returns slots whose start is in [from, to)', () => {
    const q = dayQuery(makeSchedule(), service(30), DATE);
    expect(hhmm(computeSlots({ ...q, from: t('09:30'), to: t('11:00') }))).toEqual([
      '09:30',
      '10:00',
      '10:30',
    ]);
    expect(computeSlots({ ...q, from: t('11:00'), to: t('11:00') })).toEqual([]);
  });

  it('rejects invalid input with field paths', () => {
    const q = dayQuery(makeSchedule({ slotIntervalMinutes: 0 }), service(0), DATE, [
      { start: Number.NaN, end: 1 },
    ]);
    try {
      computeSlots(q);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AvailabilityInputError);
      expect((e as AvailabilityInputError).issues.map((i) => i.path)).toEqual([
        'schedule.slotIntervalMinutes',
        'service.durationMinutes',
        'busy[0].start',
      ]);
    }
    expect(() =>
      computeSlots({ ...dayQuery(makeSchedule(), service(30), DATE), to: Number.POSITIVE_INFINITY }),
    ).toThrow(AvailabilityInputError);
  });
});

describe('nextAvailableSlot', () => {
  const schedule = makeSchedule({ weekly: { ...everyDay([]), mon: [{ start: '09:00', end: '10:00' }] } });

  it('finds the first slot from now, skipping closed and fully busy days', () => {
    const now = t('12:00'); // Wednesday
    const firstMonday = t('09:00', '2026-06-15');
    expect(nextAvailableSlot({ schedule, service: service(30), busy: [], now })).toEqual({
      start: firstMonday,
      end: firstMonday + 30 * MIN,
    });
    const busy = [{ start: firstMonday, end: firstMonday + HOUR }];
    expect(nextAvailableSlot({ schedule, service: service(30), busy, now })?.start).toBe(
      t('09:00', '2026-06-22'),
    );
    expect(
      nextAvailableSlot({ schedule, service: service(30), busy, now, from: t('09:10', '2026-06-22') })?.start,
    ).toBe(t('09:30', '2026-06-22'));
  });

  it('matches the first computed slot and returns null beyond the horizon', () => {
    const now = t('12:00');
    const short = { ...schedule, bookingHorizonDays: 4 }; // Monday 09:00 is 4 days 21 hours away
    expect(nextAvailableSlot({ schedule: short, service: service(30), busy: [], now })).toBeNull();
    const all = computeSlots({
      schedule,
      service: service(30),
      busy: [],
      now,
      from: now,
      to: now + 400 * DAY,
    });
    expect(nextAvailableSlot({ schedule, service: service(30), busy: [], now })).toEqual(all[0]);
  });
});
