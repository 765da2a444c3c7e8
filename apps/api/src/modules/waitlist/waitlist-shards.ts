import type { Kysely } from 'kysely';
import type { BookingDatabase } from '../../db/schema';
import type { BucketMap } from '../../db/shards/bucket-map';
import { bucketOf, bucketOfId } from '../../db/shards/buckets';
import type { EntryRow, OfferRow, WaitlistRepository } from './waitlist.repository';

/** One booking database's waitlist tables (its index is the booking shard's). */
export interface WaitlistStore {
  index: number;
  db: Kysely<BookingDatabase>;
  repo: WaitlistRepository;
}

/** A patient's entry with its open offer, and the database both live on. */
export interface EntryWithOffer {
  store: WaitlistStore;
  entry: EntryRow;
  offer: OfferRow | null;
}

/**
 * The waitlist's tables over every booking database (docs/scaling.md, "Booking shards"): a
 * listing's entries and offers live on its provider's shard, next to the holds they offer. Entry
 * and offer ids carry the provider's bucket like booking ids, so a command on an id asks the
 * database the map names first, then the others (ids minted before sharding). A patient's list
 * asks every database and merges. With one database every call goes straight to it: no map read,
 * no extra query.
 */
export class WaitlistShards {
  constructor(
    readonly stores: WaitlistStore[],
    private readonly map: Pick<BucketMap, 'shardOf'>,
  ) {
    if (stores.length === 0) throw new RangeError('at least one booking database');
  }

  private get first(): WaitlistStore {
    return this.stores[0] as WaitlistStore;
  }

  private async atBucket(bucket: number): Promise<WaitlistStore> {
    const index = await this.map.shardOf(bucket);
    const store = this.stores[index];
    if (!store)
      throw new Error(
        `booking_buckets names booking database ${index}, but BOOKING_DATABASE_URLS lists ${this.stores.length}`,
      );
    return store;
  }

  /** The database of a provider's line. */
  forProvider(providerId: string): Promise<WaitlistStore> {
    if (this.stores.length === 1) return Promise.resolve(this.first);
    return this.atBucket(bucketOf(providerId));
  }

  /** An entry by id and its database, or null. */
  entry(id: string): Promise<{ store: WaitlistStore; entry: EntryRow } | null> {
    return this.locate(id, async (store) => {
      const entry = await store.repo.entry(id);
      return entry ? { store, entry } : null;
    });
  }

  /** An offer by id and its database, or null. */
  offer(id: string): Promise<{ store: WaitlistStore; offer: OfferRow } | null> {
    return this.locate(id, async (store) => {
      const offer = await store.repo.offer(id);
      return offer ? { store, offer } : null;
    });
  }

  /** A patient's entries still in line or booked, with their open offers, oldest first. */
  async entriesOf(patientId: string): Promise<EntryWithOffer[]> {
    const parts = await Promise.all(
      this.stores.map(async (store) => {
        const entries = await store.repo.entriesOf(patientId);
        const offers = await store.repo.openOffers(entries.map((e) => e.id));
        return entries.map((entry) => ({
          store,
          entry,
          offer: offers.find((o) => o.entry_id === entry.id) ?? null,
        }));
      }),
    );
    if (parts.length === 1) return parts[0] ?? [];
    // A bucket being moved is on both databases for a moment: each entry is listed once.
    const seen = new Set<string>();
    return parts
      .flat()
      .filter((p) => !seen.has(p.entry.id) && seen.add(p.entry.id))
      .sort((a, b) => compare(a.entry.created_at, b.entry.created_at) || compare(a.entry.id, b.entry.id));
  }

  private async locate<T>(id: string, find: (store: WaitlistStore) => Promise<T | null>): Promise<T | null> {
    if (this.stores.length === 1) return find(this.first);
    const guess = await this.atBucket(bucketOfId(id));
    for (const store of [guess, ...this.stores.filter((s) => s !== guess)]) {
      const found = await find(store);
      if (found) return found;
    }
    return null;
  }
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
