import type { Kysely } from 'kysely';
import type { BookingDatabase, InventoryDatabase } from '../../db/schema';
import type { BusyTimeReader } from '../../ports/busy-time';
import type { Clock } from '../../ports/clock';
import type { RatingReader } from '../../ports/ratings';
import type { SearchDoc, SearchIndex } from '../../ports/search-index';
import { createSearchIndexer, docOf } from './indexer';
import { SEARCH_ROW_COLUMNS, SEARCH_SERVICE_COLUMNS, type SearchServiceRow } from './search-doc';

type Db = Kysely<InventoryDatabase>;

/** Published listings per page: one listings query, one services query and one ratings query each. */
export const REBUILD_PAGE_SIZE = 1000;

/** Streams the search documents of every published listing, keyset-paged by id. */
export async function* publishedDocs(
  db: Db,
  busy: BusyTimeReader,
  ratings: RatingReader,
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
    const [services, rated] =
      published.length === 0
        ? [[], new Map()]
        : await Promise.all([
            db
              .selectFrom('provider_services')
              .select(SEARCH_SERVICE_COLUMNS)
              .where(
                'provider_id',
                'in',
                published.map((r) => r.id),
              )
              .where('active', '=', 1)
              .execute(),
            ratings.ratingsOf(published.map((r) => r.id)),
          ]);
    const byProvider = new Map<string, SearchServiceRow[]>();
    for (const s of services) {
      const list = byProvider.get(s.provider_id);
      if (list) list.push(s);
      else byProvider.set(s.provider_id, [s]);
    }
    for (const row of published)
      yield await docOf(row, byProvider.get(row.id) ?? [], busy, rated.get(row.id) ?? null, now);
    if (rows.length < pageSize) return;
    after = last.id;
  }
}

/**
 * Events committed this long before a rebuild began may still have been invisible to it (a
 * transaction's event time is taken before it commits), so the replay looks back this far too.
 */
export const REPLAY_MARGIN_MS = 60_000;

/**
 * Listings whose search document may have changed since `since` (ISO): the outboxes say
 * (listing events; booking events move the next slot, review events the rating) — the
 * inventory's and every booking database's.
 */
export async function providersChangedSince(
  inventory: Db,
  bookings: readonly Kysely<BookingDatabase>[],
  since: string,
): Promise<string[]> {
  const ids = new Set<string>();
  const listings = await inventory
    .selectFrom('inventory_outbox')
    .select('aggregate_id')
    .where('occurred_at', '>=', since)
    .where('event_type', 'like', 'provider.%')
    .execute();
  for (const r of listings) ids.add(r.aggregate_id);
  for (const db of bookings) {
    const booked = await db
      .selectFrom('bookings_outbox')
      .select('payload')
      .where('occurred_at', '>=', since)
      .where((eb) => eb.or([eb('event_type', 'like', 'booking.%'), eb('event_type', 'like', 'review.%')]))
      .execute();
    for (const r of booked) {
      const providerId = (JSON.parse(r.payload) as { providerId?: unknown }).providerId;
      if (typeof providerId === 'string') ids.add(providerId);
    }
  }
  return [...ids];
}

export interface RebuildOptions {
  /** Rebuild even when the index says it is current (`npm run reindex`). */
  force?: boolean;
  /**
   * Every booking database (the first first), so listings whose bookings or reviews changed
   * during the rebuild are replayed.
   */
  bookingsDbs?: readonly Kysely<BookingDatabase>[];
  /** Where the replay reads listings (the primary; `db` may be a replica). Defaults to `db`. */
  primary?: Db;
}

/**
 * Replaces the index content with every published listing (the database is the source of truth),
 * unless the index says it is current (a shared index built with this mapping). Then replays
 * every listing changed since the rebuild began: writes the indexer made meanwhile may have gone
 * to the index the alias swap retired, so they are re-read from the database and written again.
 */
export async function rebuildSearchIndex(
  db: Db,
  index: SearchIndex,
  busy: BusyTimeReader,
  ratings: RatingReader,
  clock: Clock,
  options: RebuildOptions = {},
): Promise<{ count: number; ms: number; skipped: boolean; replayed: number }> {
  const started = performance.now();
  if (!options.force && index.needsRebuild && !(await index.needsRebuild()))
    return { count: 0, ms: performance.now() - started, skipped: true, replayed: 0 };
  const since = new Date(clock.now().getTime() - REPLAY_MARGIN_MS).toISOString();
  const { count } = await index.rebuild(publishedDocs(db, busy, ratings, clock));
  const primary = options.primary ?? db;
  const changed = await providersChangedSince(primary, options.bookingsDbs ?? [], since);
  const indexer = createSearchIndexer({ db: primary, index, busy, ratings, clock });
  for (const id of changed) await indexer.refresh(id);
  return { count, ms: performance.now() - started, skipped: false, replayed: changed.length };
}
