import { describe, expect, it } from 'vitest';
import {
  initialPartitions,
  monthsToAdd,
  parseBound,
  partitionClauses,
  partitionsBefore,
  type RangePartition,
} from './monthly';

describe('monthly partitions', () => {
  const start = initialPartitions(new Date('2026-12-15T10:00:00.000Z'), 2);

  it('starts with the past, a partition per month and the future', () => {
    expect(start).toEqual([
      { name: 'p_old', lessThan: '2026-12-01T00:00:00.000Z' },
      { name: 'p202612', lessThan: '2027-01-01T00:00:00.000Z' },
      { name: 'p202701', lessThan: '2027-02-01T00:00:00.000Z' },
      { name: 'p_future', lessThan: null },
    ]);
    expect(partitionClauses(start.slice(2))).toBe(
      "PARTITION p202701 VALUES LESS THAN ('2027-02-01T00:00:00.000Z'), PARTITION p_future VALUES LESS THAN (MAXVALUE)",
    );
  });

  it('adds the missing months up to the horizon, across a year end, and nothing when current', () => {
    expect(monthsToAdd(start, new Date('2027-01-31T23:59:59.999Z'), 2).map((p) => p.name)).toEqual([
      'p202702',
      'p202703',
    ]);
    expect(monthsToAdd(start, new Date('2026-12-01T00:00:00.000Z'), 1)).toEqual([]);
    // A table that fell behind by months gets them all, in order.
    const behind: RangePartition[] = [
      { name: 'p_old', lessThan: '2026-11-01T00:00:00.000Z' },
      { name: 'p_future', lessThan: null },
    ];
    expect(monthsToAdd(behind, new Date('2027-01-10T00:00:00.000Z'), 0).map((p) => p.lessThan)).toEqual([
      '2026-12-01T00:00:00.000Z',
      '2027-01-01T00:00:00.000Z',
      '2027-02-01T00:00:00.000Z',
    ]);
  });

  it('drops only partitions wholly before the cutoff, never the future', () => {
    expect(partitionsBefore(start, '2027-01-01T00:00:00.000Z').map((p) => p.name)).toEqual([
      'p_old',
      'p202612',
    ]);
    expect(partitionsBefore(start, '2026-12-31T23:59:59.999Z').map((p) => p.name)).toEqual(['p_old']);
    expect(partitionsBefore(start, '9999-12-31T00:00:00.000Z').map((p) => p.name)).not.toContain('p_future');
  });

  it('reads the bounds information_schema reports', () => {
    expect(parseBound("'2027-01-01T00:00:00.000Z'")).toBe('2027-01-01T00:00:00.000Z');
    expect(parseBound('MAXVALUE')).toBeNull();
  });
});
