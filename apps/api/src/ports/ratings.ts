import type { Rating } from '@carebook/search-engine';

/**
 * Listings' ratings as search shows them: average (one decimal) and count of the visible verified
 * reviews. Reviews live in the booking database, listings in the inventory one, so the indexer,
 * the rebuild and the database fallback read ratings through this port.
 */
export interface RatingReader {
  /** Ratings of these listings; a listing without visible reviews is absent. */
  ratingsOf(providerIds: readonly string[]): Promise<Map<string, Rating>>;
  /** Every listing that has visible reviews (for the database search fallback). */
  allRatings(): Promise<Map<string, Rating>>;
}
