import type { Booking } from '@carebook/contracts';

/** A list's order as the repository sorts it: by start (or by last change for a catch-up), then id. */
export interface ListOrder {
  by: 'start' | 'updatedAt';
  direction: 'asc' | 'desc';
  idDirection: 'asc' | 'desc';
}

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
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const sign = order.direction === 'asc' ? 1 : -1;
  const idSign = order.idDirection === 'asc' ? 1 : -1;
  // A bucket being moved is on both databases between its copy and the source's delete: each
  // booking is listed once (its total may count it twice for those moments).
  const seen = new Set<string>();
  const all = parts.flatMap((p) => p.items).filter((b) => !seen.has(b.id) && seen.add(b.id));
  all.sort((a, b) => sign * cmp(a[order.by], b[order.by]) || idSign * cmp(a.id, b.id));
  const offset = (page - 1) * pageSize;
  return {
    items: all.slice(offset, offset + pageSize),
    total: parts.reduce((sum, p) => sum + p.total, 0),
  };
}
