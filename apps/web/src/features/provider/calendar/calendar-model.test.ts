import { describe, expect, it } from 'vitest';
import { practiceBooking } from '../../../test/practice-fixtures';
import { bookingName, openSummary } from './calendar-labels';
import { buildDays, hourWindow, moveFocus, step, viewDates, viewRange } from './calendar-model';
import { dayStart, mondayOf, wallClock } from './zoned-days';

const B = 'Europe/Berlin';

describe('zoned days', () => {
  it('finds where a local day starts, also when DST changes that night or midnight is skipped', () => {
    expect(new Date(dayStart('2026-12-07', B)).toISOString()).toBe('2026-12-06T23:00:00.000Z');
    expect(new Date(dayStart('2026-03-29', B)).toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(new Date(dayStart('2026-03-30', B)).toISOString()).toBe('2026-03-29T22:00:00.000Z');
    // Santiago skips 00:00–01:00 on 6 September 2026: that day starts at 01:00 (−03:00).
    expect(new Date(dayStart('2026-09-06', 'America/Santiago')).toISOString()).toBe(
      '2026-09-06T04:00:00.000Z',
    );
    expect(wallClock(Date.parse('2026-12-07T07:45:00Z'), B)).toEqual({
      date: '2026-12-07',
      minutes: 8 * 60 + 45,
    });
    expect(mondayOf('2026-12-13')).toBe('2026-12-07');
    expect(mondayOf('2026-12-07')).toBe('2026-12-07');
  });
});

describe('calendar model', () => {
  it('a week runs Monday to Sunday in the practice zone; prev/next move by a day or a week', () => {
    expect(viewDates('week', '2026-12-10')).toEqual([
      '2026-12-07',
      '2026-12-08',
      '2026-12-09',
      '2026-12-10',
      '2026-12-11',
      '2026-12-12',
      '2026-12-13',
    ]);
    expect(viewRange('week', '2026-12-10', B)).toEqual({
      from: '2026-12-06T23:00:00.000Z',
      to: '2026-12-13T23:00:00.000Z',
    });
    // The week the clocks go forward is an hour short.
    const spring = viewRange('week', '2026-03-25', B);
    expect(Date.parse(spring.to) - Date.parse(spring.from)).toBe((7 * 24 - 1) * 3_600_000);
    expect(viewRange('day', '2026-12-10', 'America/New_York')).toEqual({
      from: '2026-12-10T05:00:00.000Z',
      to: '2026-12-11T05:00:00.000Z',
    });
    expect(step('week', '2026-12-10', 1)).toBe('2026-12-17');
    expect(step('day', '2026-12-01', -1)).toBe('2026-11-30');
  });

  it('places bookings and opening hours on the local wall clock of their day', () => {
    const early = practiceBooking('2026-12-07T07:00:00.000Z', 30);
    const late = practiceBooking('2026-12-07T07:45:00.000Z', 30, {
      patient: { ...early.patient, name: 'Marta Nowak' },
    });
    const friday = practiceBooking('2026-12-11T11:10:00.000Z', 30);
    const elsewhere = practiceBooking('2026-12-20T09:00:00.000Z', 30);
    const days = buildDays(
      viewDates('week', '2026-12-07'),
      B,
      [late, friday, early, elsewhere],
      [
        { start: '2026-12-07T07:00:00.000Z', end: '2026-12-07T11:30:00.000Z' },
        { start: '2026-12-07T14:00:00.000Z', end: '2026-12-07T16:00:00.000Z' },
      ],
    );
    expect(days).toHaveLength(7);
    expect(days[0]?.open).toEqual([
      { fromMin: 480, toMin: 750 },
      { fromMin: 900, toMin: 1020 },
    ]);
    expect(days[0]?.bookings.map((b) => [b.booking.id, b.fromMin, b.toMin])).toEqual([
      [early.id, 480, 510],
      [late.id, 525, 555],
    ]);
    expect(days[4]?.bookings.map((b) => b.booking.id)).toEqual([friday.id]);
    expect(days.flatMap((d) => d.bookings).some((b) => b.booking.id === elsewhere.id)).toBe(false);
    expect(hourWindow(days)).toEqual({ from: 8, to: 18 });
    expect(openSummary(days[0] as (typeof days)[number])).toMatch(
      /^Open 08:00( AM)?–12:30( PM)? and (15:00|03:00 PM)–(17:00|05:00 PM)$/,
    );
    expect(openSummary(days[5] as (typeof days)[number])).toBe('Closed');
  });

  it('names a booking by patient, new or returning, service, day and time with the zone, status', () => {
    const b = practiceBooking('2026-12-07T07:00:00.000Z', 30);
    const name = bookingName(b, '2026-12-07', B);
    expect(name).toMatch(/^Jonas Weber, new patient, Eye test, /);
    expect(name).toMatch(/08:00( AM)?–08:30( AM)? (GMT\+1|CET|MEZ)/);
    expect(name).toMatch(/Confirmed$/);
  });

  it('moves focus with the arrow keys, Home and End', () => {
    const mon1 = practiceBooking('2026-12-07T07:00:00.000Z', 30);
    const mon2 = practiceBooking('2026-12-07T12:00:00.000Z', 30);
    const wed1 = practiceBooking('2026-12-09T08:00:00.000Z', 30);
    const wed2 = practiceBooking('2026-12-09T13:00:00.000Z', 30);
    const days = buildDays(viewDates('week', '2026-12-07'), B, [mon1, mon2, wed1, wed2], []);
    expect(moveFocus(days, mon1.id, 'ArrowDown')).toBe(mon2.id);
    // Down from a day's last booking goes on to the next day that has bookings.
    expect(moveFocus(days, mon2.id, 'ArrowDown')).toBe(wed1.id);
    expect(moveFocus(days, wed1.id, 'ArrowUp')).toBe(mon2.id);
    expect(moveFocus(days, mon1.id, 'ArrowUp')).toBeNull();
    // Right skips the empty Tuesday, to the booking nearest in time.
    expect(moveFocus(days, mon2.id, 'ArrowRight')).toBe(wed2.id);
    expect(moveFocus(days, wed1.id, 'ArrowLeft')).toBe(mon1.id);
    expect(moveFocus(days, wed1.id, 'ArrowRight')).toBeNull();
    expect(moveFocus(days, wed1.id, 'End')).toBe(wed2.id);
    expect(moveFocus(days, wed2.id, 'Home')).toBe(wed1.id);
    expect(moveFocus(days, 'gone', 'ArrowDown')).toBeNull();
  });
});
