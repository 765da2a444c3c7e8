import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { everyDay, MIN, makeSchedule, service } from '../../../../test/support/availability';
import { formatInstant, groupSlotsByDay } from './group';
import { computeSlots } from './slots';

const slot = (iso: string, minutes = 30) => ({
  start: Date.parse(iso),
  end: Date.parse(iso) + minutes * MIN,
});

describe('groupSlotsByDay', () => {
  it('puts a slot near midnight on the local day of the patient zone', () => {
    // 00:30 in Berlin (CEST) on 2026-06-10 is 22:30Z on 2026-06-09.
    const schedule = makeSchedule({
      timeZone: 'Europe/Berlin',
      weekly: everyDay([{ start: '00:30', end: '01:00' }]),
    });
    const from = Date.parse('2026-06-09T12:00:00Z');
    const slots = computeSlots({
      schedule,
      service: service(30),
      busy: [],
      now: from,
      from,
      to: from + 24 * 60 * MIN,
    });
    expect(slots).toEqual([slot('2026-06-09T22:30:00Z')]);
    expect(groupSlotsByDay(slots, 'America/New_York')).toEqual([
      {
        date: '2026-06-09',
        slots: [{ start: '2026-06-09T18:30:00-04:00', end: '2026-06-09T19:00:00-04:00' }],
      },
    ]);
    expect(groupSlotsByDay(slots, 'Europe/Berlin')).toEqual([
      {
        date: '2026-06-10',
        slots: [{ start: '2026-06-10T00:30:00+02:00', end: '2026-06-10T01:00:00+02:00' }],
      },
    ]);
    expect(groupSlotsByDay(slots, 'Asia/Kolkata')).toEqual([
      {
        date: '2026-06-10',
        slots: [{ start: '2026-06-10T04:00:00+05:30', end: '2026-06-10T04:30:00+05:30' }],
      },
    ]);
  });

  it('splits slots of one provider day across two patient days and sorts everything', () => {
    const slots = [slot('2026-06-10T00:00:00Z'), slot('2026-06-09T14:00:00Z'), slot('2026-06-09T14:30:00Z')];
    const days = groupSlotsByDay(slots, 'Australia/Adelaide'); // +09:30 in June
    expect(days).toEqual([
      {
        date: '2026-06-09',
        slots: [{ start: '2026-06-09T23:30:00+09:30', end: '2026-06-10T00:00:00+09:30' }],
      },
      {
        date: '2026-06-10',
        slots: [
          { start: '2026-06-10T00:00:00+09:30', end: '2026-06-10T00:30:00+09:30' },
          { start: '2026-06-10T09:30:00+09:30', end: '2026-06-10T10:00:00+09:30' },
        ],
      },
    ]);
  });

  it('shows each end of a slot with the offset in force at that instant', () => {
    expect(groupSlotsByDay([slot('2026-11-01T05:30:00Z', 60)], 'America/New_York')).toEqual([
      {
        date: '2026-11-01',
        slots: [{ start: '2026-11-01T01:30:00-04:00', end: '2026-11-01T01:30:00-05:00' }],
      },
    ]);
    expect(groupSlotsByDay([slot('2026-06-09T12:00:00Z')], 'UTC')[0]?.slots[0]?.start).toBe(
      '2026-06-09T12:00:00+00:00',
    );
  });

  it('returns nothing for no slots and rejects unknown zones', () => {
    expect(groupSlotsByDay([], 'Europe/Berlin')).toEqual([]);
    expect(() => groupSlotsByDay([], 'Nowhere/Land')).toThrow(RangeError);
  });

  it('agrees with luxon on date and local rendering for any instant and zone', () => {
    const zones = [
      'America/New_York',
      'Europe/Berlin',
      'Asia/Kolkata',
      'Australia/Adelaide',
      'Pacific/Chatham',
      'UTC',
    ];
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.array(fc.integer({ min: Date.UTC(2025, 0, 1) / MIN, max: Date.UTC(2028, 0, 1) / MIN }), {
          maxLength: 30,
        }),
        (zone, minutes) => {
          const slots = minutes.map((m) => ({ start: m * MIN, end: m * MIN + 45 * MIN }));
          const days = groupSlotsByDay(slots, zone);
          const flat = days.flatMap((d) => d.slots.map((s) => ({ date: d.date, ...s })));
          const expected = [...slots]
            .sort((a, b) => a.start - b.start)
            .map((s) => {
              const start = DateTime.fromMillis(s.start, { zone });
              const end = DateTime.fromMillis(s.end, { zone });
              const fmt = "yyyy-MM-dd'T'HH:mm:ssZZ";
              return { date: start.toISODate(), start: start.toFormat(fmt), end: end.toFormat(fmt) };
            });
          expect(flat).toEqual(expected);
          expect(new Set(days.map((d) => d.date)).size).toBe(days.length);
        },
      ),
    );
  });

  it('formats sub-second instants with milliseconds', () => {
    expect(formatInstant(Date.parse('2026-01-01T00:00:00.250Z'), -90 * MIN)).toBe(
      '2025-12-31T22:30:00.250-01:30',
    );
  });
});
