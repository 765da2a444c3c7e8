import type { Kysely } from 'kysely';
import { type Clock, toDbTime } from '../../ports/clock';
import type { InventoryDatabase } from '../schema';
import { BUCKETS } from './buckets';

/** How long an instance keeps the map it read; a move waits this long after its switch. */
export const BUCKET_MAP_TTL_MS = 2000;

/**
 * The bucket → booking database map, kept in the inventory database (`booking_buckets`) so every
 * instance sees a change; read whole (at most BUCKETS small rows) and kept for `ttlMs`. A bucket
 * without a row is on database 0. With one booking database the map is never read.
 */
export class BucketMap {
  private snapshot: { at: number; shards: Map<number, number> } | null = null;
  private loading: Promise<Map<number, number>> | null = null;
  /**
   * Bumped by `forget` and `assign`: a read begun before either may have read the old table, so
   * its result is handed to the callers already waiting for it but never kept as the snapshot,
   * and later lookups do not join it.
   */
  private generation = 0;

  constructor(
    private readonly db: Kysely<InventoryDatabase>,
    private readonly clock: Clock,
    readonly shardCount: number,
    private readonly ttlMs = BUCKET_MAP_TTL_MS,
  ) {}

  async shardOf(bucket: number): Promise<number> {
    if (this.shardCount === 1) return 0;
    const shards = await this.current();
    return shards.get(bucket) ?? 0;
  }

  /** Drops the cached map: the next lookup reads the table (after a write found its bucket moved). */
  forget(): void {
    this.generation++;
    this.snapshot = null;
    this.loading = null;
  }

  /** Bucket counts per database, for `npm run shards -- status`. */
  async counts(): Promise<number[]> {
    const shards = await this.load();
    const counts = Array.from({ length: this.shardCount }, () => 0);
    for (let b = 0; b < BUCKETS; b++) {
      const s = shards.get(b) ?? 0;
      counts[s] = (counts[s] ?? 0) + 1;
    }
    return counts;
  }

  /** Puts buckets on a database (a new deployment spreading empty buckets, or the end of a move). */
  async assign(buckets: number[], shard: number): Promise<void> {
    if (!Number.isInteger(shard) || shard < 0 || shard >= this.shardCount)
      throw new RangeError(`shard must be 0..${this.shardCount - 1}`);
    const at = toDbTime(this.clock.now());
    await this.db.transaction().execute(async (trx) => {
      for (const bucket of buckets) {
        if (!Number.isInteger(bucket) || bucket < 0 || bucket >= BUCKETS)
          throw new RangeError(`bucket must be 0..${BUCKETS - 1}`);
        const updated = await trx
          .updateTable('booking_buckets')
          .set({ shard, updated_at: at })
          .where('bucket', '=', bucket)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) === 0)
          await trx.insertInto('booking_buckets').values({ bucket, shard, updated_at: at }).execute();
      }
    });
    this.forget();
  }

  private async current(): Promise<Map<number, number>> {
    const now = this.clock.now().getTime();
    if (this.snapshot && now - this.snapshot.at < this.ttlMs) return this.snapshot.shards;
    return this.load();
  }

  private load(): Promise<Map<number, number>> {
    if (this.loading) return this.loading;
    const generation = this.generation;
    this.loading = (async () => {
      try {
        const rows = await this.db.selectFrom('booking_buckets').select(['bucket', 'shard']).execute();
        const shards = new Map(rows.map((r) => [Number(r.bucket), Number(r.shard)]));
        if (generation === this.generation) this.snapshot = { at: this.clock.now().getTime(), shards };
        return shards;
      } finally {
        // After a forget the loading slot belongs to a newer read.
        if (generation === this.generation) this.loading = null;
      }
    })();
    return this.loading;
  }
}
