/**
 * Monthly range partitions of a table by an instant column (fixed-width UTC ISO strings, so
 * string order is time order), pure: names, bounds, and what to add or drop. The last partition
 * is always `p_future VALUES LESS THAN (MAXVALUE)`, so an insert never fails for want of a
 * partition; months are split off it ahead of time (REORGANIZE of an empty tail is instant).
 */
export interface RangePartition {
  name: string;
  /** The exclusive upper bound (an ISO instant), or null for MAXVALUE. */
  lessThan: string | null;
}

export const FUTURE = 'p_future';

/** The first instant of the UTC month `offset` months after the one holding `at`. */
export function monthStart(at: Date, offset = 0): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + offset, 1));
}

/** `p202612` holds December 2026. */
export const partitionName = (month: Date) =>
  `p${month.getUTCFullYear()}${String(month.getUTCMonth() + 1).padStart(2, '0')}`;

const iso = (d: Date) => d.toISOString();

/** The partition list a new table starts with: everything before `first`, months from `first` on, the future. */
export function initialPartitions(first: Date, months: number): RangePartition[] {
  const out: RangePartition[] = [{ name: 'p_old', lessThan: iso(monthStart(first)) }];
  for (let i = 0; i < months; i++)
    out.push({ name: partitionName(monthStart(first, i)), lessThan: iso(monthStart(first, i + 1)) });
  out.push({ name: FUTURE, lessThan: null });
  return out;
}

/** Reads information_schema's PARTITION_DESCRIPTION (`'2026-12-01T00:00:00.000Z'` or MAXVALUE). */
export function parseBound(description: string | null): string | null {
  if (!description || description.toUpperCase() === 'MAXVALUE') return null;
  return description.replace(/^'(.*)'$/, '$1');
}

/**
 * The months to split off `p_future` so that every month up to `monthsAhead` after `now`'s has a
 * partition of its own: consecutive months after the highest bound there is.
 */
export function monthsToAdd(
  existing: readonly RangePartition[],
  now: Date,
  monthsAhead: number,
): RangePartition[] {
  const bounds = existing.flatMap((p) => (p.lessThan ? [p.lessThan] : [])).sort();
  const highest = bounds.at(-1);
  const until = iso(monthStart(now, monthsAhead + 1));
  const out: RangePartition[] = [];
  let month = highest ? new Date(highest) : monthStart(now);
  while (iso(month) < until) {
    const next = monthStart(month, 1);
    out.push({ name: partitionName(month), lessThan: iso(next) });
    month = next;
  }
  return out;
}

/** Partitions wholly before `cutoff` (their bound at or below it); never the future one. */
export function partitionsBefore(existing: readonly RangePartition[], cutoff: string): RangePartition[] {
  return existing.filter((p) => p.lessThan !== null && p.lessThan <= cutoff);
}

/** `PARTITION p… VALUES LESS THAN (…)` clauses, for CREATE/REORGANIZE. */
export function partitionClauses(parts: readonly RangePartition[]): string {
  return parts
    .map(
      (p) => `PARTITION ${p.name} VALUES LESS THAN (${p.lessThan === null ? 'MAXVALUE' : `'${p.lessThan}'`})`,
    )
    .join(', ');
}
