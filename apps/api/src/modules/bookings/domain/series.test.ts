import { describe, expect, it } from 'vitest';
import { localStartOf, seriesRrule, seriesStarts } from './series';

const iso = (ms: number) => new Date(ms).toISOString();

describe('seriesStarts', () => {
  it('keeps the local wall-clock time across a DST change (New York, March 2027)', () => {
    // Wed 3 Mar 2027 09:00 EST = 14:00Z; DST starts Sun 14 Mar → 09:00 EDT = 13:00Z.
    const starts = seriesStarts(
      {
        firstStart: Date.parse('2027-03-03T14:00:00Z'),
        timeZone: 'America/New_York',
        intervalWeeks: 1,
        occurrences: 4,
      },
      52,
    ).map(iso);
    expect(starts).toEqual([
      '2027-03-03T14:00:00.000Z',
      '2027-03-10T14:00:00.000Z',
      '2027-03-17T13:00:00.000Z',
      '2027-03-24T13:00:00.000Z',
    ]);
  });

  it('keeps it in the southern hemisphere too (Sydney, April 2027, DST ends)', () => {
    // Mon 29 Mar 2027 10:00 AEDT = 23:00Z Sun; DST ends Sun 4 Apr → 10:00 AEST = 00:00Z.
    const starts = seriesStarts(
      {
        firstStart: Date.parse('2027-03-28T23:00:00Z'),
        timeZone: 'Australia/Sydney',
        intervalWeeks: 2,
        occurrences: 3,
      },
      52,
    );
    expect(starts.map((s) => localStartOf(s, 'Australia/Sydney'))).toEqual([
      '2027-03-29T10:00:00',
      '2027-04-12T10:00:00',
      '2027-04-26T10:00:00',
    ]);
    expect(iso(starts[1] as number)).toBe('2027-04-12T00:00:00.000Z');
  });

  it('runs until a local date inclusive, and reports more than the maximum', () => {
    const rule = {
      firstStart: Date.parse('2026-12-02T14:00:00Z'),
      timeZone: 'America/New_York',
      intervalWeeks: 1,
      until: '2026-12-23',
    };
    expect(seriesStarts(rule, 52)).toHaveLength(4);
    expect(seriesStarts({ ...rule, until: '2030-01-01' }, 10)).toHaveLength(11);
    expect(seriesStarts({ ...rule, until: '2026-12-01' }, 10)).toHaveLength(0);
  });

  it('writes the RRULE', () => {
    expect(seriesRrule(2, 6)).toBe('FREQ=WEEKLY;INTERVAL=2;COUNT=6');
  });
});
