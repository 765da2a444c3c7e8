import { type SelectQueryBuilder, sql } from 'kysely';

/** One page of a list, with the total over all pages. */
export interface Paged<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}

/**
 * Page `page` (from 1) of a filtered query plus the number of rows the filter matches: `select`
 * adds the columns and the order to `filtered`; the count runs on `filtered` itself.
 */
export async function paginate<DB, TB extends keyof DB, F, O>(
  filtered: SelectQueryBuilder<DB, TB, F>,
  select: (query: SelectQueryBuilder<DB, TB, F>) => SelectQueryBuilder<DB, TB, O>,
  page: number,
  pageSize: number,
): Promise<{ rows: O[]; total: number }> {
  const [rows, count] = await Promise.all([
    select(filtered)
      .limit(pageSize)
      .offset((page - 1) * pageSize)
      .execute(),
    filtered.select(sql<number | string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number((count as { n: number | string }).n) };
}
