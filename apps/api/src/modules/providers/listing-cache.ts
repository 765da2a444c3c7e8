import type { Cache } from '../../ports/cache';
import type { DomainEvent } from '../../ports/event-bus';

/** Listing reads are cached as raw rows (visibility is applied per request) for five minutes. */
export const LISTING_CACHE_TTL_SECONDS = 300;
export const listingCacheKey = (id: string) => `listing:${id}`;
export const listingCacheTag = (id: string) => `listing:${id}`;

/** Event consumer: any provider event drops that listing from this instance's cache. Idempotent. */
export const listingCacheInvalidator =
  (cache: Cache) =>
  async (event: DomainEvent): Promise<void> => {
    if (event.type.startsWith('provider.')) await cache.invalidateTag(listingCacheTag(event.aggregateId));
  };
