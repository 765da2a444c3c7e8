import { describe, expect, it } from 'vitest';
import { makeSchedule } from '../../../../test/support/availability';
import { validateSchedule, validateService } from './validate';

const paths = (input: unknown) => validateSchedule(input).map((i) => i.path);

describe('validateSchedule', () => {
  it('accepts a well-formed schedule, including touching intervals and a 24:00 end', () => {
    const schedule = makeSchedule({
      timeZone: 'Asia/Kolkata',
      weekly: {
        ...makeSchedule().weekly,
        mon: [
          { start: '13:00', end: '17:00' },
          { start: '08:00', end: '13:00' },
        ],
        sat: [{ start: '20:00', end: '24:00' }],
        sun: [],
      },
      overrides: [{ date: '2026-12-25', intervals: [] }],
      timeOff: [{ start: '2026-08-01T00:00:00+05:30', end: '2026-08-15T00:00:00Z' }],
    });
    expect(validateSchedule(schedule)).toEqual([]);
  });

  it('reports malformed times, reversed and overlapping intervals with their paths', () => {
    const schedule = makeSchedule({
      weekly: {
        ...makeSchedule().weekly,
        mon: [
          { start: '9:00', end: '12:00' },
          { start: '13:00', end: '24:30' },
        ],
        tue: [{ start: '22:00', end: '02:00' }],
        wed: [
          { start: '08:00', end: '12:00' },
          { start: '11:00', end: '14:00' },
          { start: '13:59', end: '15:00' },
        ],
        thu: [{ start: '24:00', end: '24:00' }],
      },
    });
    expect(validateSchedule(schedule)).toEqual([
      { path: 'weekly.mon[0].start', message: expect.stringContaining('HH:mm') },
      { path: 'weekly.mon[1].end', message: expect.stringContaining('HH:mm') },
      { path: 'weekly.tue[0].end', message: expect.stringContaining('cross midnight') },
      { path: 'weekly.wed[1]', message: 'overlaps weekly.wed[0]' },
      { path: 'weekly.wed[2]', message: 'overlaps weekly.wed[1]' },
      { path: 'weekly.thu[0].start', message: expect.stringContaining('HH:mm') },
    ]);
  });

  it('reports zone, weekday keys, overrides, time off and numbers', () => {
    const base = makeSchedule();
    const schedule = {
      ...base,
      timeZone: 'Europe/Atlantis',
      weekly: { ...base.weekly, fri: undefined, funday: [] },
      overrides: [
        { date: '2026-02-30', intervals: [] },
        { date: '2026-05-01', intervals: [{ start: '10:00', end: '09:00' }] },
        { date: '2026-05-01', intervals: [] },
      ],
      timeOff: [
        { start: '2026-05-01T10:00:00', end: '2026-05-01T12:00:00Z' },
        { start: '2026-05-01T12:00:00Z', end: '2026-05-01T10:00:00Z' },
      ],
      slotIntervalMinutes: 0,
      minimumNoticeMinutes: -5,
      bookingHorizonDays: 1.5,
    };
    expect(paths(schedule)).toEqual([
      'timeZone',
      'weekly.fri',
      'weekly.funday',
      'overrides[0].date',
      'overrides[1].intervals[0].end',
      'overrides[2].date',
      'timeOff[0].start',
      'timeOff[1].end',
      'slotIntervalMinutes',
      'minimumNoticeMinutes',
      'bookingHorizonDays',
    ]);
  });

  it('rejects non-objects and missing lists', () => {
    expect(paths(null)).toEqual(['']);
    expect(paths({ timeZone: 'UTC' })).toEqual([
      'weekly',
      'overrides',
      'timeOff',
      'slotIntervalMinutes',
      'minimumNoticeMinutes',
      'bookingHorizonDays',
    ]);
  });
});

describe('validateService', () => {
  it('requires a positive whole duration and non-negative whole buffers', () => {
    expect(validateService({ durationMinutes: 30, bufferBeforeMinutes: 0, bufferAfterMinutes: 10 })).toEqual(
      [],
    );
    expect(
      validateService({ durationMinutes: 0, bufferBeforeMinutes: -1, bufferAfterMinutes: 2.5 }).map(
        (i) => i.path,
      ),
    ).toEqual(['durationMinutes', 'bufferBeforeMinutes', 'bufferAfterMinutes']);
  });
});
