import type { SearchRequest } from '@carebook/contracts';
import { MemoryCache } from '../../adapters/cache/memory';
import type { Databases } from '../../container';
import { bookingDatabases } from '../../container-bookings';
import type { Replication } from '../../db/replication/replication';
import { outboxDb } from '../../lib/outbox';
import type { Cache } from '../../ports/cache';
import { type Clock, toDbTime } from '../../ports/clock';
import type { SearchIndex } from '../../ports/search-index';
import { toIndexQuery } from '../search/search-query';
import type { MetricSources } from './metrics';

interface Mysql2PoolInternals {
  _allConnections?: { length: number };
  _freeConnections?: { length: number };
  _connectionQueue?: { length: number };
}

/**
 * A booking database's label in metrics, as the statement metrics name it (open-databases.ts):
 * `bookings` for the first, `bookings_1`, `bookings_2`, … for the shards after it.
 */
export const bookingDatabaseLabel = (index: number) => (index === 0 ? 'bookings' : `bookings_${index}`);

/** Pool sizes of the MySQL/MariaDB pools (one entry per pool; a shared pool names both databases). */
export function poolSource(dbs: Databases): MetricSources['pools'] {
  const pools = new Map<object, string[]>();
  const add = (name: string, handle: { pool?: object } | undefined) => {
    if (handle?.pool) pools.set(handle.pool, [...(pools.get(handle.pool) ?? []), name]);
  };
  for (const [name, handle] of Object.entries(dbs) as [string, Databases['inventory'] | undefined][])
    if (name !== 'bookingShards') add(name, handle);
  for (const [i, shard] of (dbs.bookingShards ?? []).entries()) add(bookingDatabaseLabel(i + 1), shard);
  for (const { name, pool } of dbs.replication?.pools() ?? []) pools.set(pool, [name]);
  if (pools.size === 0) return undefined;
  return () =>
    [...pools].map(([pool, names]) => {
      const p = pool as Mysql2PoolInternals;
      return {
        database: names.join('+'),
        total: p._allConnections?.length ?? 0,
        idle: p._freeConnections?.length ?? 0,
        waiting: p._connectionQueue?.length ?? 0,
      };
    });
}

/** The cache adapters' own counters, per layer: L1 and L2 of the layered Redis cache, or the one layer. */
export function cacheLayerSource(cache: Cache): MetricSources['cacheLayers'] {
  const layered = cache as Cache & {
    layerStats?: () => { l1: { hits: number; misses: number }; l2: { hits: number; misses: number } };
  };
  return () => {
    if (typeof layered.layerStats === 'function') {
      const { l1, l2 } = layered.layerStats();
      return [
        { layer: 'l1', hits: l1.hits, misses: l1.misses },
        { layer: 'l2', hits: l2.hits, misses: l2.misses },
      ];
    }
    const s = cache.stats();
    return [{ layer: cache instanceof MemoryCache ? 'memory' : 'shared', hits: s.hits, misses: s.misses }];
  };
}

/**
 * Unpublished outbox events and the age of the oldest, per logical database (one query each):
 * the inventory's and every booking database's own `bookings_outbox`.
 */
export function outboxSource(dbs: Databases, clock: Clock): NonNullable<MetricSources['outbox']> {
  const tables = [
    { database: 'inventory', db: outboxDb(dbs.inventory.db), table: 'inventory_outbox' as const },
    ...bookingDatabases(dbs).map((d, i) => ({
      database: bookingDatabaseLabel(i),
      db: outboxDb(d.db),
      table: 'bookings_outbox' as const,
    })),
  ];
  return () =>
    Promise.all(
      tables.map(async ({ database, db, table }) => {
        const row = await db
          .selectFrom(table)
          .select((eb) => [eb.fn.countAll<number | string>().as('n'), eb.fn.min('occurred_at').as('oldest')])
          .where('published_at', 'is', null)
          .executeTakeFirst();
        const oldest = row?.oldest ? Date.parse(String(row.oldest)) : Number.NaN;
        return {
          database,
          backlog: Number(row?.n ?? 0),
          oldestAgeSeconds: Number.isNaN(oldest) ? 0 : Math.max(0, (clock.now().getTime() - oldest) / 1000),
        };
      }),
    );
}

/**
 * Leases held now, cluster-wide: the job_leases table of the first booking database, where every
 * job's lease is taken, the per-shard jobs' (`booking-lifecycle:1`, …) included (jobs.plugin.ts).
 */
export function leaseSource(dbs: Databases, clock: Clock): NonNullable<MetricSources['leases']> {
  return async () => {
    const rows = await dbs.bookings.db
      .selectFrom('job_leases')
      .select(['name', 'holder'])
      .where('expires_at', '>', toDbTime(clock.now()))
      .execute();
    return rows.map((r) => ({ job: r.name, holder: r.holder }));
  };
}

/** Documents in the search index: the total of a match-everything query asking for one hit. */
export function searchSizeSource(
  index: SearchIndex,
  clock: Clock,
): NonNullable<MetricSources['searchIndexSize']> {
  return async () =>
    (await index.search(toIndexQuery({ page: 1, size: 1 } as SearchRequest, clock.now().getTime()))).total;
}

/** Read replicas' state and routed reads (db/replication). */
export function replicaSource(replication: Replication): NonNullable<MetricSources['replicas']> {
  return () => ({ status: replication.status(), reads: replication.reads() });
}
