import type { BucketMap } from '../../db/shards/bucket-map';
import { bucketOfId } from '../../db/shards/buckets';
import type { BookingShard, ShardedBookings } from '../bookings/booking-shards';
import { compareText, mergeSortedPages } from '../bookings/sharded-list';
import type { ReviewRow, ReviewsRepository } from './reviews.repository';

/**
 * Reviews over every booking database (docs/scaling.md, "Booking shards"). A review lives with
 * its booking, on the shard of the booking's provider: a review of a booking is read and written
 * on the booking's shard, a listing's reviews on the listing's, a review by its id on the shard of
 * the bucket its id carries (confirmed by a primary-key lookup, else found by asking every shard:
 * reviews written before sharding). Writes refused while the bucket moves are retried by the
 * bookings front's rule. The admins' list asks every shard and merges. With one database every
 * call goes straight to it: no map, no lookup.
 */
export class ReviewShards {
  constructor(
    private readonly bookings: ShardedBookings,
    private readonly repos: readonly ReviewsRepository[],
    private readonly map: BucketMap,
  ) {
    if (repos.length !== bookings.shards.length)
      throw new RangeError('one reviews repository per booking database');
  }

  /** Runs `work` on the shard of the booking (live or archived). */
  ofBooking<T>(bookingId: string, work: (repo: ReviewsRepository) => Promise<T>): Promise<T> {
    return this.bookings.routed(
      () => this.bookings.forBooking(bookingId),
      (s) => work(this.repoOf(s)),
    );
  }

  /** Runs `work` on the shard of the listing. */
  ofListing<T>(providerId: string, work: (repo: ReviewsRepository) => Promise<T>): Promise<T> {
    return this.bookings.routed(
      () => this.bookings.forProvider(providerId),
      (s) => work(this.repoOf(s)),
    );
  }

  /** Runs `work` on the shard holding the review (the id's own shard when none does). */
  ofReview<T>(reviewId: string, work: (repo: ReviewsRepository) => Promise<T>): Promise<T> {
    return this.bookings.routed(
      () => this.shardOfReview(reviewId),
      (s) => work(this.repoOf(s)),
    );
  }

  /** Every review, newest first, one page of them over every shard, with their total. */
  async all(page: number, pageSize: number): Promise<{ items: ReviewRow[]; total: number }> {
    const [only] = this.repos;
    if (this.repos.length === 1 && only) return only.all(page, pageSize);
    // Each shard's first page × pageSize, merged: the rows one OFFSET query would read, per shard.
    const parts = await Promise.all(this.repos.map((r) => r.all(1, page * pageSize)));
    return mergeSortedPages(
      parts,
      (a, b) => -compareText(a.created_at, b.created_at) || -compareText(a.id, b.id),
      page,
      pageSize,
    );
  }

  private async shardOfReview(id: string): Promise<BookingShard> {
    const shards = this.bookings.shards;
    if (shards.length === 1) return shards[0] as BookingShard;
    const guessed = await this.map.shardOf(bucketOfId(id));
    const guess = shards[guessed] ?? (shards[0] as BookingShard);
    for (const s of [guess, ...shards.filter((x) => x !== guess)])
      if (await this.repoOf(s).byId(id)) return s;
    return guess;
  }

  private repoOf(s: BookingShard): ReviewsRepository {
    return this.repos[s.index] as ReviewsRepository;
  }
}
