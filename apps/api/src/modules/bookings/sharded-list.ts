import type { Booking } from '@carebook/contracts';

/** A list's order as the repository sorts it: by start (or by last change for a catch-up), then id. */
export interface ListOrder {
  by: 'start' | 'updatedAt';
  direction: 'asc' | 'desc';
  idDirection: 'asc' | 'desc';
}

/** Compares two strings the way the repositories' ORDER BY does on ISO times and ids. */
export const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * One page of a list read from several shards. Each part is that shard's list from its start
 * (offset 0) through at least `page × pageSize` items in the list's order; the merge walks them
 * like one sorted list and cuts out the page. Totals add up: a booking lives on one shard.
 * Pure: no I/O.
 */
export function mergePages(
  parts: { items: Booking[]; total: number }[],
  order: ListOrder,
  page: number,
  pageSize: number,
): { items: Booking[]; total: number } {
  const sign = order.direction === 'asc' ? 1 : -1;
  const idSign = order.idDirection === 'asc' ? 1 : -1;
  return mergeSortedPages(
    parts,
    (a, b) => sign * compareText(a[order.by], b[order.by]) || idSign * compareText(a.id, b.id),
    page,
    pageSize,
  );
}

/** `mergePages` for any rows with an id, in the order `compare` gives. Pure: no I/O. */
export function mergeSortedPages<T extends { id: string }>(
  parts: { items: T[]; total: number }[],
  compare: (a: T, b: T) => number,
  page: number,
  pageSize: number,
): { items: T[]; total: number } {
  // A bucket being moved is on both databases between its copy and the source's delete: each
  // row is listed once (its total may count it twice for those moments).
  const seen = new Set<string>();
  const all = parts.flatMap((p) => p.items).filter((x) => !seen.has(x.id) && seen.add(x.id));
  all.sort(compare);
  const offset = (page - 1) * pageSize;
  return {
    items: all.slice(offset, offset + pageSize),
    total: parts.reduce((sum, p) => sum + p.total, 0),
  };
}
