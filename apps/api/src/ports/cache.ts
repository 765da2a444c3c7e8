/**
 * A JSON cache with TTLs and tag invalidation, shared by every API instance (Redis) or local to
 * one process (memory). It holds derived data only: the database stays the source of truth.
 *
 * Values are stored as JSON: a `Date` comes back as its ISO string, `undefined` properties vanish,
 * `Map`/`Set`/class instances lose their type. `null` is a value (a cached "not found"); `undefined`
 * means "no entry" and cannot be stored. Every adapter passes `adapters/cache/cache.contract.ts`.
 *
 * Freshness guarantee: once `delete`, `set`, `invalidateTag` or `invalidateAll` has resolved, no
 * read from any instance returns what they replaced, and no `getOrLoad` whose loader started
 * before that point can store its (possibly old) result. Writers therefore commit first, then
 * invalidate, then acknowledge. A plain `set` writes unconditionally: use it for values computed
 * after the commit; read-through caching goes through `getOrLoad`.
 */
export interface CacheSetOptions {
  /** Positive; fractions are honoured to the millisecond. */
  ttlSeconds: number;
  /** The entry is dropped by `invalidateTag` of any of these (e.g. `listing:<id>`). */
  tags?: readonly string[];
}

export interface CacheStats {
  /** Reads (`get` and the lookup of `getOrLoad`) that found a live entry. */
  hits: number;
  misses: number;
  /** Values stored: `set` calls plus loads that `getOrLoad` was allowed to store. */
  sets: number;
  deletes: number;
  /** `invalidateTag` and `invalidateAll` calls. */
  invalidations: number;
  /** Loader runs started by `getOrLoad`. */
  loads: number;
  /** `getOrLoad` calls that joined a load already running in this process for the same key. */
  coalesced: number;
  /** Loaded values not stored because an invalidation or write happened while they loaded. */
  discarded: number;
}

export interface Cache {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, options: CacheSetOptions): Promise<void>;
  /** Removes the entry; removing a missing entry is not an error. */
  delete(key: string): Promise<void>;
  /** Drops every entry stored with `tag`, in O(1) whatever their number. */
  invalidateTag(tag: string): Promise<void>;
  /** Drops every entry of this cache (its key prefix), never anything else on a shared server. */
  invalidateAll(): Promise<void>;
  /**
   * The cached value, or the loader's value, stored unless the key, one of the tags or the whole
   * cache was invalidated or written after the load began. Concurrent calls in one process for the
   * same key and the same cache state share one load; a caller arriving after an invalidation
   * never joins a load that began before it. A loader's rejection reaches every caller sharing it
   * and nothing is stored; a loader result of `undefined` is returned but not stored.
   */
  getOrLoad<T>(key: string, load: () => Promise<T>, options: CacheSetOptions): Promise<T>;
  /**
   * `getOrLoad` for a value the caller already holds as JSON text (a response body serialised
   * once): the loader returns the text, which is stored as it is, and a hit returns the stored
   * text without parsing it (`get` of the key gives the parsed value). The same freshness,
   * single-flight and failure rules as `getOrLoad`. Text that is not JSON is refused with a
   * `TypeError` and nothing is stored; a loader result of `undefined` is returned, not stored.
   */
  getOrLoadJson(
    key: string,
    load: () => Promise<string | undefined>,
    options: CacheSetOptions,
  ): Promise<string | undefined>;
  /** Counters of this instance since it was created. */
  stats(): CacheStats;
  /** Releases connections the cache owns. */
  close(): Promise<void>;
}
