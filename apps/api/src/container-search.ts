import type { FastifyBaseLogger } from 'fastify';
import type { BreakerRegistry } from './adapters/resilience/breaker';
import { GuardedSearchIndex } from './adapters/resilience/guarded-search-index';
import { ElasticsearchSearchIndex } from './adapters/search/elasticsearch';
import { EmbeddedSearchIndex } from './adapters/search/embedded';
import type { Config } from './config/config';
import type { Adapters } from './container';
import { checkedEvents } from './lib/events';
import { DatabaseSearchFallback } from './modules/search/database-fallback';
import { createSearchIndexer, movesBusyTime } from './modules/search/indexer';
import { SearchService } from './modules/search/search.service';
import type { BusyTimeReader } from './ports/busy-time';
import type { Cache } from './ports/cache';
import type { EventBus } from './ports/event-bus';
import type { RatingReader } from './ports/ratings';

/**
 * Search: the index (OpenSearch/Elasticsearch behind a breaker with the database as its fallback,
 * or the embedded engine), the indexer fed by the event bus, and the search service.
 */
export function createSearch(
  config: Config,
  adapters: Adapters,
  d: {
    breakers: BreakerRegistry;
    busyTime: BusyTimeReader;
    ratings: RatingReader;
    cache: Cache;
    eventBus: EventBus;
    log: FastifyBaseLogger;
  },
) {
  const { dbs, clock } = adapters;
  const searchIndex =
    adapters.searchIndex ??
    (config.searchUrl
      ? new GuardedSearchIndex(
          new ElasticsearchSearchIndex({ node: config.searchUrl }),
          d.breakers.get('search'),
          new DatabaseSearchFallback({
            db: (dbs.inventoryRead ?? dbs.inventory).db,
            busy: d.busyTime,
            ratings: d.ratings,
            retryAfterSeconds: d.breakers.get('search').retryAfterSeconds,
          }),
        )
      : new EmbeddedSearchIndex());
  const searchIndexer = createSearchIndexer({
    db: dbs.inventory.db,
    index: searchIndex,
    busy: d.busyTime,
    ratings: d.ratings,
    clock,
    cache: d.cache,
  });
  // An in-process index is fed on every instance; a shared cluster index once per cluster.
  d.eventBus.subscribe(
    'search-indexer',
    config.searchUrl ? 'once' : 'broadcast',
    checkedEvents(async (e) => {
      await searchIndexer.handle(e);
      // Booked or freed time moves a provider's next available slot.
      if (movesBusyTime(e) && 'providerId' in e.payload)
        await searchIndexer.onBusyTimeChanged(e.payload.providerId);
    }, d.log),
  );
  const search = new SearchService({ index: searchIndex, cache: d.cache, clock });
  return { searchIndex, searchIndexer, search };
}
