import type { Rating } from '@carebook/search-engine';
import type { Kysely } from 'kysely';
import type { InventoryDatabase } from '../../db/schema';
import { coalescePerKey } from '../../lib/coalesce';
import type { BusyTimeReader } from '../../ports/busy-time';
import type { Cache } from '../../ports/cache';
import type { Clock } from '../../ports/clock';
import type { DomainEvent } from '../../ports/event-bus';
import type { RatingReader } from '../../ports/ratings';
import type { SearchDoc, SearchIndex } from '../../ports/search-index';
import { type BookingStatus, isActive } from '../bookings/domain';
import { nextAvailableAt } from './next-available';
import {
  listingToDoc,
  SEARCH_ROW_COLUMNS,
  SEARCH_SERVICE_COLUMNS,
  type SearchRow,
  type SearchServiceRow,
} from './search-doc';

type Db = Kysely<InventoryDatabase>;

export interface SearchIndexerDeps {
  db: Db;
  index: SearchIndex;
  busy: BusyTimeReader;
  /** Ratings from the visible reviews (booking database). */
  ratings: RatingReader;
  clock: Clock;
  /** When given, cached search results showing a listing are dropped once it is re-indexed. */
  cache?: Cache;
}

/** Tag of every cached search result that shows listing `id`. */
export const searchListingTag = (id: string) => `search-listing:${id}`;

/**
 * Whether a booking event changed the provider's claimed time, and so maybe its next free slot: a
 * new booking claims, one leaving an active status releases. A confirmation, a payment step or a
 * reminder does not, so it needs no re-indexing (half the events of a free booking).
 */
export function movesBusyTime(event: DomainEvent): boolean {
  if (event.type === 'booking.created') return true;
  if (event.type !== 'booking.status_changed') return false;
  const { from, to } = event.payload as { from: BookingStatus | null; to: BookingStatus };
  return from === null || isActive(from) !== isActive(to);
}

/** The listing whose rating a `review.*` event may have changed, or null for another event. */
export function reviewedListing(event: DomainEvent): string | null {
  if (!event.type.startsWith('review.')) return null;
  const providerId = (event.payload as { providerId?: unknown }).providerId;
  return typeof providerId === 'string' ? providerId : null;
}

export interface SearchIndexer {
  /**
   * Event-bus consumer: any `provider.*` event re-reads that listing, a `review.*` event the
   * listing reviewed (its rating). Idempotent.
   */
  handle(event: DomainEvent): Promise<void>;
  /** For the bookings module: claims of this provider changed, so its next slot may have. */
  onBusyTimeChanged(providerId: string): Promise<void>;
  /** Re-reads one listing: published → upsert with a fresh next slot, otherwise delete. */
  refresh(providerId: string): Promise<void>;
}

/** Builds the search document of a published row (the next slot computed now). */
export async function docOf(
  row: SearchRow,
  services: readonly SearchServiceRow[],
  busy: BusyTimeReader,
  rating: Rating | null,
  now: number,
): Promise<SearchDoc> {
  return listingToDoc(row, services, await nextAvailableAt(row, services, busy, now), rating);
}

export function createSearchIndexer(deps: SearchIndexerDeps): SearchIndexer {
  const { db, index, busy, ratings, clock, cache } = deps;
  // Refreshes of one listing are merged: a burst of bookings of one provider (each moves its next
  // slot) re-indexes it twice, not once per booking (`npm run bench -- booking`).
  const refresh = coalescePerKey(async (providerId: string) => {
    await write(providerId);
    await cache?.invalidateTag(searchListingTag(providerId));
  });
  const write = async (providerId: string) => {
    const row = await db
      .selectFrom('providers')
      .select(SEARCH_ROW_COLUMNS)
      .where('id', '=', providerId)
      .executeTakeFirst();
    if (row?.status !== 'published') {
      await index.delete(providerId);
      return;
    }
    const services = await db
      .selectFrom('provider_services')
      .select(SEARCH_SERVICE_COLUMNS)
      .where('provider_id', '=', providerId)
      .where('active', '=', 1)
      .execute();
    const rating = (await ratings.ratingsOf([providerId])).get(providerId) ?? null;
    await index.upsert(await docOf(row, services, busy, rating, clock.now().getTime()));
  };
  return {
    refresh,
    handle: async (event) => {
      if (event.type.startsWith('provider.')) await refresh(event.aggregateId);
      const reviewed = reviewedListing(event);
      if (reviewed) await refresh(reviewed);
    },
    onBusyTimeChanged: refresh,
  };
}
