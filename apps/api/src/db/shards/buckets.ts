import { newId } from '../../lib/ids';

/**
 * Booking shards (docs/scaling.md): a provider's bookings live on one booking database, chosen by
 * a fixed number of virtual buckets. The bucket of a provider never changes; which database holds
 * a bucket is the bucket map's business (bucket-map.ts), so buckets can move between databases.
 */
export const BUCKETS = 1024;

/** The provider's bucket: FNV-1a (32 bit) of its id, modulo BUCKETS. Stable across releases. */
export function bucketOf(providerId: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < providerId.length; i++) {
    hash ^= providerId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % BUCKETS;
}

/**
 * The SQL function computing `bucketOf` inside the database, for the triggers that fence a moving
 * bucket: a stored function on MySQL/MariaDB (migration 20261209T0400-moved-buckets), registered
 * on every SQLite connection (database.ts).
 */
export const BUCKET_SQL_FUNCTION = 'carebook_bucket';

/**
 * A UUIDv7 for a row that lives in the provider's bucket (a booking, a series): its last three
 * hex digits (random bits of a UUIDv7) carry the bucket, so a command on the id finds its shard
 * without asking every database. Ids minted before sharding carry random digits there; callers
 * confirm the guess and fall back to asking every shard (booking-shards.ts).
 */
export function idInBucketOf(providerId: string): string {
  const id = newId();
  return `${id.slice(0, -3)}${bucketOf(providerId).toString(16).padStart(3, '0')}`;
}

/** The bucket an id minted by `idInBucketOf` names (a guess for older ids). */
export function bucketOfId(id: string): number {
  const n = Number.parseInt(id.slice(-3), 16);
  return Number.isNaN(n) ? 0 : n % BUCKETS;
}
