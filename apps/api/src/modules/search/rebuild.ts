import type { Kysely } from 'kysely';
import type { InventoryDatabase } from '../../db/schema';
import type { BusyTimeReader } from '../../ports/busy-time';
import type { Clock } from '../../ports/clock';
import type { SearchDoc, SearchIndex } from '../../ports/search-index';
import { docOf } from './indexer';
import { SEARCH_ROW_COLUMNS, SEARCH_SERVICE_COLUMNS, type SearchServiceRow } from './search-doc';

type Db = Kysely<InventoryDatabase>;

/** Published listings per page: one listings query plus one services query each. */
export const REBUILD_PAGE_SIZE = 1000;

/** Streams the search documents of every published listing, keyset-paged by id. */
export async function* publishedDocs(
  db: Db,
  busy: BusyTimeReader,
  clock: Clock,
  pageSize = REBUILD_PAGE_SIZE,
): AsyncGenerator<SearchDoc> {
  const now = clock.now().getTime();
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('providers')
      .select(SEARCH_ROW_COLUMNS)
      // Status is checked below, not here: a status filter makes planners pick the status index
      // and sort every published row per page; walking the primary key stays linear.
      .where('id', '>', after)
      .orderBy('id')
      .limit(pageSize)
      .execute();
    const last = rows.at(-1);
    if (!last) return;
    const published = rows.filter((r) => r.status === 'published');
    const services =
      published.length === 0
        ? []
        : await db
            .selectFrom('provider_services')
            .select(SEARCH_SERVICE_COLUMNS)
            .where(
              'provider_id',
              'in',
              published.map((r) => r.id),
            )
            .where('active', '=', 1)
            .execute();
    const byProvider = new Map<string, SearchServiceRow[]>();
    for (const s of services) {
      const list = byProvider.get(s.provider_id);
      if (list) list.push(s);
      else byProvider.set(s.provider_id, [s]);
    }
    for (const row of published) yield await docOf(row, byProvider.get(row.id) ?? [], busy, now);
    if (rows.length < pageSize) return;
    after = last.id;
  }
}

/** Replaces the index content with every published listing; the database is the source of truth. */
export async function rebuildSearchIndex(
  db: Db,
  index: SearchIndex,
  busy: BusyTimeReader,
  clock: Clock,
): Promise<{ count: number; ms: number }> {
  const started = performance.now();
  const { count } = await index.rebuild(publishedDocs(db, busy, clock));
  return { count, ms: performance.now() - started };
}
