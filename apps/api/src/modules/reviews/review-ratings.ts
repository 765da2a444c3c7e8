import type { Rating } from '@carebook/search-engine';
import type { Kysely } from 'kysely';
import type { BookingDatabase } from '../../db/schema';
import type { RatingReader } from '../../ports/ratings';
import { averageRating } from './domain/review-rules';

/** Listings per query (the rebuild asks for a page of listings at once). */
const CHUNK = 1000;

/** Ratings computed from the visible reviews in the booking database, as the profile shows them. */
export class ReviewRatingReader implements RatingReader {
  constructor(private readonly db: Kysely<BookingDatabase>) {}

  async ratingsOf(providerIds: readonly string[]): Promise<Map<string, Rating>> {
    const out = new Map<string, Rating>();
    const ids = [...new Set(providerIds)];
    for (let i = 0; i < ids.length; i += CHUNK) await this.collect(out, ids.slice(i, i + CHUNK));
    return out;
  }

  async allRatings(): Promise<Map<string, Rating>> {
    const out = new Map<string, Rating>();
    await this.collect(out, null);
    return out;
  }

  private async collect(out: Map<string, Rating>, ids: string[] | null): Promise<void> {
    if (ids?.length === 0) return;
    let q = this.db
      .selectFrom('reviews')
      .select((eb) => [
        'provider_id',
        eb.fn.countAll<number | string>().as('n'),
        eb.fn.sum<number | string>('rating').as('total'),
      ])
      .where('hidden_at', 'is', null);
    if (ids) q = q.where('provider_id', 'in', ids);
    for (const r of await q.groupBy('provider_id').execute()) {
      const count = Number(r.n);
      const average = averageRating(Number(r.total), count);
      if (average !== null) out.set(r.provider_id, { average, count });
    }
  }
}
