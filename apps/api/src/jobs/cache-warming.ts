import type { FastifyBaseLogger } from 'fastify';
import { type Kysely, MysqlAdapter, sql } from 'kysely';
import type { BookingDatabase } from '../db/schema';
import { type Clock, toDbTime } from '../ports/clock';
import { type LeasedJob, type LeaseStore, runLeased } from './lease';

const HOUR = 3_600_000;

/** The UTC hour an instant falls in, as stored in `listing_views.hour`. */
export const hourOf = (d: Date): string => toDbTime(new Date(Math.floor(d.getTime() / HOUR) * HOUR));

/**
 * Counts listing reads in this process and adds them to `listing_views` (per listing and hour)
 * on `flush()`, so every instance's views end up in one table: one upsert per listing per flush,
 * never a write per read. A failed flush keeps its counts for the next one.
 */
export class ListingViews {
  private counts = new Map<string, number>();
  dropped = 0;

  constructor(
    private readonly db: Kysely<BookingDatabase>,
    private readonly clock: Clock,
    /** Distinct listings remembered between flushes; further ones are dropped (counted). */
    private readonly maxListings = 20_000,
  ) {}

  viewed(listingId: string): void {
    const n = this.counts.get(listingId);
    if (n !== undefined) this.counts.set(listingId, n + 1);
    else if (this.counts.size < this.maxListings) this.counts.set(listingId, 1);
    else this.dropped++;
  }

  /** Writes the counts gathered since the last flush; returns how many listings it wrote. */
  async flush(): Promise<number> {
    if (this.counts.size === 0) return 0;
    const batch = this.counts;
    this.counts = new Map();
    const hour = hourOf(this.clock.now());
    const mysql = this.db.getExecutor().adapter instanceof MysqlAdapter;
    const rows = [...batch].map(([listing_id, views]) => ({ listing_id, hour, views }));
    let written = 0;
    try {
      for (let i = 0; i < rows.length; i += 500) {
        const insert = this.db.insertInto('listing_views').values(rows.slice(i, i + 500));
        await (mysql
          ? insert.onDuplicateKeyUpdate({ views: sql`views + values(views)` })
          : insert.onConflict((oc) =>
              oc
                .columns(['listing_id', 'hour'])
                .doUpdateSet({ views: sql`listing_views.views + excluded.views` }),
            )
        ).execute();
        written = Math.min(rows.length, i + 500);
      }
      return rows.length;
    } catch (err) {
      for (const row of rows.slice(written))
        this.counts.set(row.listing_id, (this.counts.get(row.listing_id) ?? 0) + row.views);
      throw err;
    }
  }
}

export interface PopularityOptions {
  /** How far back views and bookings count. Default 24 h. */
  windowHours?: number;
  /** How many listings to return. */
  limit: number;
  /** A booking weighs this many views. Default 10. */
  bookingWeight?: number;
}

export interface PopularListing {
  id: string;
  views: number;
  bookings: number;
  score: number;
}

/** The most popular listings of the window: views (all instances) plus weighted bookings made. */
export async function popularListings(
  db: Kysely<BookingDatabase>,
  clock: Clock,
  options: PopularityOptions,
): Promise<PopularListing[]> {
  const now = clock.now().getTime();
  const windowMs = (options.windowHours ?? 24) * HOUR;
  const weight = options.bookingWeight ?? 10;
  // Candidates: the top 5N of each signal. A listing just outside both could in theory outrank
  // one inside; for warming, being approximately right is enough.
  const candidates = options.limit * 5;
  const views = await db
    .selectFrom('listing_views')
    .select(['listing_id as id', (eb) => eb.fn.sum<number | string>('views').as('n')])
    .where('hour', '>=', hourOf(new Date(now - windowMs)))
    .groupBy('listing_id')
    .orderBy('n', 'desc')
    .limit(candidates)
    .execute();
  const bookings = await db
    .selectFrom('bookings')
    .select(['provider_id as id', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('created_at', '>=', toDbTime(new Date(now - windowMs)))
    .groupBy('provider_id')
    .orderBy('n', 'desc')
    .limit(candidates)
    .execute();
  const byId = new Map<string, PopularListing>();
  const entry = (id: string) => {
    let found = byId.get(id);
    if (!found) {
      found = { id, views: 0, bookings: 0, score: 0 };
      byId.set(id, found);
    }
    return found;
  };
  for (const row of views) entry(row.id).views = Number(row.n);
  for (const row of bookings) entry(row.id).bookings = Number(row.n);
  for (const p of byId.values()) p.score = p.views + weight * p.bookings;
  return [...byId.values()]
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id))
    .slice(0, options.limit);
}

export interface WarmingReport {
  warmed: number;
  failed: number;
  pruned: number;
}

/**
 * Loads the top listings through `warm` (the API's own read-through path, so a listing already
 * cached costs one cache hit) and deletes view counts older than the window.
 */
export async function warmPopularListings(d: {
  db: Kysely<BookingDatabase>;
  clock: Clock;
  warm: (listingId: string) => Promise<unknown>;
  options: PopularityOptions;
  signal?: AbortSignal;
  log?: Pick<FastifyBaseLogger, 'warn'>;
}): Promise<WarmingReport> {
  const top = await popularListings(d.db, d.clock, d.options);
  let warmed = 0;
  let failed = 0;
  for (const { id } of top) {
    if (d.signal?.aborted) break;
    try {
      await d.warm(id);
      warmed++;
    } catch (err) {
      // A listing unpublished since (404) or a passing database error: skip it this round.
      failed++;
      d.log?.warn({ err, listingId: id }, 'cache warming: listing not loaded');
    }
  }
  const windowMs = (d.options.windowHours ?? 24) * HOUR;
  const cutoff = hourOf(new Date(d.clock.now().getTime() - windowMs - HOUR));
  const pruned = await d.db.deleteFrom('listing_views').where('hour', '<', cutoff).executeTakeFirst();
  return { warmed, failed, pruned: Number(pruned.numDeletedRows) };
}

export interface CacheWarmingSettings {
  /** How often the lease holder warms the cache. */
  intervalMs: number;
  /** How many listings it loads each time. */
  topN: number;
  windowHours: number;
  /** How often every instance adds its view counts to the table. */
  flushMs: number;
}

export const CACHE_WARMING_DEFAULTS: CacheWarmingSettings = {
  intervalMs: 60_000,
  topN: 100,
  windowHours: 24,
  flushMs: 10_000,
};

export interface CacheWarming {
  job: LeasedJob;
  /** Stops both timers, releases the lease and writes the last view counts. */
  stop(): Promise<void>;
}

/**
 * Every instance counts views and flushes them every `flushMs`; the instance holding the
 * `cache-warming` lease loads the top N every `intervalMs` (after flushing its own counts).
 */
export function startCacheWarming(
  d: {
    db: Kysely<BookingDatabase>;
    clock: Clock;
    store: LeaseStore;
    holder: string;
    /** This instance's view counter (the one the listing route reports to). */
    views: ListingViews;
    warm: (listingId: string) => Promise<unknown>;
    log: Pick<FastifyBaseLogger, 'error' | 'warn'>;
  },
  settings: CacheWarmingSettings = CACHE_WARMING_DEFAULTS,
): CacheWarming {
  const { views } = d;
  const flush = () =>
    views.flush().catch((err) => {
      d.log.warn({ err }, 'listing view counts not written; kept for the next flush');
      return 0;
    });
  const timer = setInterval(() => void flush(), settings.flushMs);
  timer.unref();
  const job = runLeased(d, 'cache-warming', settings.intervalMs, async (signal) => {
    await flush();
    return warmPopularListings({
      db: d.db,
      clock: d.clock,
      warm: d.warm,
      options: { limit: settings.topN, windowHours: settings.windowHours },
      signal,
      log: d.log,
    });
  });
  return {
    job,
    stop: async () => {
      clearInterval(timer);
      await job.stop();
      await flush();
    },
  };
}
