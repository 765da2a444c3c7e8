import type { FastifyInstance } from 'fastify';
import { DependencyUnavailableError } from '../adapters/resilience/breaker';
import type { Config } from '../config/config';
import type { Adapters, Services } from '../container';
import { bookingDatabases } from '../container-bookings';
import { rebuildSearchIndex } from '../modules/search/rebuild';
import { archivalHour, BookingArchival } from './archival';
import { CACHE_WARMING_DEFAULTS, startCacheWarming } from './cache-warming';
import { startHistoryPartitions } from './history-partitions';
import { instanceHolderId, type LeasedJob, type LeasedJobOptions, LeaseStore, runLeased } from './lease';
import { startRetention } from './retention';
import { refreshPassedSlots, startSearchFreshness } from './search-freshness';

/**
 * Background work of one instance (jobs/README.md): when the app is ready it starts consuming
 * events, rebuilds the search index, starts the outbox relays and schedules the jobs (leased where
 * one runner per cluster is enough); when the app closes it stops them, jobs first.
 */
export function registerJobs(
  app: FastifyInstance,
  {
    config,
    adapters,
    services,
    jobObserver,
  }: { config: Config; adapters: Adapters; services: Services; jobObserver?: LeasedJobOptions['observe'] },
): void {
  const { clock } = adapters;
  // Scheduled jobs run under leases in the booking database: one instance at a time.
  const leases = {
    store: new LeaseStore(adapters.dbs.bookings.db, clock),
    // The configured instance id, made unique per process (two processes given one id must
    // still never share a lease).
    holder: `${config.cluster.instanceId}:${instanceHolderId()}`,
    log: app.log,
    ...(jobObserver ? { observe: jobObserver } : {}),
  };
  const leased: LeasedJob[] = [];
  // This instance's leased jobs by lease name, once the app is ready (a test ticks one).
  const byName = new Map<string, LeasedJob>();
  app.decorate('jobs', byName as ReadonlyMap<string, LeasedJob>);
  let stopFreshness = () => {};
  let warming: ReturnType<typeof startCacheWarming> | null = null;
  // PROCESS_ROLE (process-role.ts): the scheduled cluster work (lifecycle, archival, retention,
  // reminders, partitions, shared-index freshness) runs on workers, off the event loop that answers
  // requests; an `api` process keeps what is its own (relays, its embedded index, its view counts).
  // Leases make several workers safe. A worker serves no search, so it keeps no embedded index.
  const role = config.processRole;
  const clusterJobs = role !== 'api';
  const ownSearchIndex = role !== 'worker' || config.searchUrl !== '';

  app.addHook('onReady', async () => {
    // Consumers are subscribed (createServices); start consuming before the rebuild, so nothing
    // committed while the index is rebuilt is missed (index upserts are idempotent).
    await services.eventBus.start();
    if (ownSearchIndex) await rebuildIndex();
    services.relay.start();
    for (const shard of services.bookingShards) shard.relay.start();

    // An embedded index belongs to this instance, so each instance refreshes its own; a shared
    // (Elasticsearch) index needs it once per minute in the whole cluster.
    const freshness = { index: services.searchIndex, indexer: services.searchIndexer, clock, log: app.log };
    if (config.searchUrl) {
      if (clusterJobs)
        leased.push(
          runLeased(leases, 'search-freshness', 60_000, () =>
            refreshPassedSlots(freshness.index, freshness.indexer, freshness.clock),
          ),
        );
    } else if (ownSearchIndex) stopFreshness = startSearchFreshness(freshness, 60_000);

    // The simulated provider delivers through this app's webhook route, which a worker does not serve.
    const simulated = services.simulated;
    if (simulated && role !== 'worker')
      leased.push(
        runLeased(leases, 'simulated-webhook-retries', 30_000, () => simulated.retryPendingDeliveries()),
      );

    // Every instance counts its own listing views; the lease decides which one warms the cache.
    warming = startCacheWarming(
      {
        ...leases,
        db: adapters.dbs.bookings.db,
        clock,
        views: services.listingViews,
        // What anonymous readers are served (its loader fills the listing's own entry too).
        warm: (id) => services.providers.publicView(id),
      },
      {
        ...CACHE_WARMING_DEFAULTS,
        intervalMs: config.cluster.cacheWarming.intervalSeconds * 1000,
        topN: config.cluster.cacheWarming.top,
      },
    );
    if (clusterJobs) startClusterJobs();
    for (const job of leased) byName.set(job.name, job);
  });

  const rebuildIndex = async () => {
    // The database is the source of truth; the index is rebuilt from it at start-up (a shared
    // cluster index only when missing or built with another mapping).
    try {
      const rebuilt = await rebuildSearchIndex(
        (adapters.dbs.inventoryRead ?? adapters.dbs.inventory).db,
        services.searchIndex,
        services.busyTime,
        services.ratings,
        clock,
        { primary: adapters.dbs.inventory.db, bookingsDbs: bookingDatabases(adapters.dbs).map((d) => d.db) },
      );
      app.log.info(rebuilt, rebuilt.skipped ? 'search index is current' : 'search index rebuilt');
    } catch (err) {
      // A search cluster down at start-up: serve from the database fallback; the shared index
      // keeps what it had and catches up from the event stream when the cluster returns.
      if (!(err instanceof DependencyUnavailableError)) throw err;
      app.log.warn({ err }, 'search cluster unreachable at start-up; search answers from the database');
    }
  };

  const startClusterJobs = () => {
    // Jobs over booking rows run once per booking database, each under its own lease
    // (`booking-lifecycle`, `booking-lifecycle:1`, …): shards are worked on in parallel.
    const perShard = (name: string, index: number) => (index === 0 ? name : `${name}:${index}`);
    if (config.bookings.lifecycleIntervalSeconds > 0)
      for (const shard of services.bookingShards)
        leased.push(
          runLeased(
            leases,
            perShard('booking-lifecycle', shard.shard.index),
            config.bookings.lifecycleIntervalSeconds * 1000,
            () => shard.lifecycle.tick(),
          ),
        );
    // Nightly (by default) archival of old finished bookings, once per cluster. The lease holder
    // looks every 15 minutes and works only in the configured UTC hour (later passes in that hour
    // find nothing due). A short tick keeps the lease short, so if the holder dies another
    // instance takes over within the hour, not a day later.
    for (const shard of services.bookingShards) {
      const archival = new BookingArchival(
        {
          db: shard.db.db,
          archive: shard.archive,
          clock,
          cache: services.cache,
          log: app.log,
          privacy: services.privacy,
        },
        { olderThanDays: config.cluster.archiveAfterDays },
      );
      leased.push(
        runLeased(leases, perShard('booking-archival', shard.shard.index), 15 * 60_000, async () => {
          if (!archivalHour(clock.now(), config.cluster.archiveHourUtc)) return;
          const { archived } = await archival.runOnce();
          if (archived > 0)
            app.log.info({ archived, shard: shard.shard.index }, 'archived finished bookings');
        }),
      );
    }
    // SMS reminders at the configured offsets (modules/messaging), once per cluster.
    const smsReminders = services.smsReminders;
    if (smsReminders && config.messaging.reminderIntervalSeconds > 0)
      leased.push(
        runLeased(leases, 'sms-reminders', config.messaging.reminderIntervalSeconds * 1000, () =>
          smsReminders.tick(),
        ),
      );
    // Months of partitioned history added ahead and dropped whole when old (MySQL/MariaDB), on
    // every booking database.
    for (const shard of services.bookingShards)
      leased.push(
        startHistoryPartitions(
          leases,
          { db: shard.db.db, clock, log: app.log },
          { ...config.history, archiveAfterDays: config.cluster.archiveAfterDays },
          perShard('history-partitions', shard.shard.index),
        ),
      );
    // Pruning of what grows forever (delivered outbox rows, old sessions, ...), each by its age, on
    // every booking database; the inventory's tables with the first one's.
    for (const shard of services.bookingShards)
      leased.push(
        ...startRetention(
          leases,
          {
            ...(shard.shard.index === 0 ? { inventory: adapters.dbs.inventory.db } : {}),
            bookings: shard.db.db,
            clock,
            log: app.log,
          },
          config.privacy.retention,
          perShard('retention', shard.shard.index),
        ),
      );
  };

  app.addHook('onClose', async () => {
    // Jobs first (they release their leases for the next instance), then what they feed.
    await Promise.all([...leased.map((job) => job.stop()), warming?.stop()]);
    await Promise.all([services.relay.stop(), ...services.bookingShards.map((s) => s.relay.stop())]);
    await services.eventBus.close();
    stopFreshness();
    await services.searchIndex.close();
  });
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The leased jobs this instance scheduled, by lease name (filled when the app is ready). */
    jobs: ReadonlyMap<string, LeasedJob>;
  }
}
