import type { Cache, CacheSetOptions, CacheStats } from '../../ports/cache';
import { SingleFlight } from './single-flight';

/**
 * What a backend must provide; `BaseCache` adds JSON, validation, stats and single-flight.
 *
 * Freshness rests on tokens. Each tag, each key and the cache as a whole have a token: an opaque
 * string that is never reused. Invalidating rotates (removes) the token. An entry is stamped with
 * the tokens of its tags and of the whole cache, and is live only while all of them are unchanged.
 * `getOrLoad` snapshots the tokens of its key, the whole cache and its tags before loading, and
 * stores the loaded value only if they are all still the same (`expected`).
 */
export type Lookup = { hit: true; json: string } | { hit: false; snapshot: readonly string[] };

export interface CacheBackend {
  /** The entry's JSON if it is live. */
  read(key: string): Promise<string | undefined>;
  /** The entry's JSON if live, otherwise the current tokens of [key, whole cache, ...tags]. */
  lookup(key: string, tags: readonly string[]): Promise<Lookup>;
  /**
   * Without `expected`: stores and rotates the key's token. With `expected` (a snapshot from
   * `lookup` for the same tags): stores only if every token is unchanged; says whether it stored.
   */
  store(
    key: string,
    json: string,
    ttlMs: number,
    tags: readonly string[],
    expected?: readonly string[],
  ): Promise<boolean>;
  /** Removes the entry and rotates the key's token. */
  remove(key: string): Promise<void>;
  rotateTag(tag: string): Promise<void>;
  rotateAll(): Promise<void>;
  close(): Promise<void>;
}

const MAX_TAGS = 64;

export class BaseCache implements Cache {
  private readonly counters: CacheStats = {
    hits: 0,
    misses: 0,
    sets: 0,
    deletes: 0,
    invalidations: 0,
    loads: 0,
    coalesced: 0,
    discarded: 0,
  };
  private readonly flights = new SingleFlight();

  constructor(private readonly backend: CacheBackend) {}

  async get<T>(key: string): Promise<T | undefined> {
    const json = await this.backend.read(key);
    this.count(json !== undefined);
    return json === undefined ? undefined : (JSON.parse(json) as T);
  }

  async set<T>(key: string, value: T, options: CacheSetOptions): Promise<void> {
    const { ttlMs, tags } = checkOptions(options);
    await this.backend.store(key, encode(value), ttlMs, tags);
    this.counters.sets++;
  }

  async delete(key: string): Promise<void> {
    await this.backend.remove(key);
    this.counters.deletes++;
  }

  async invalidateTag(tag: string): Promise<void> {
    await this.backend.rotateTag(tag);
    this.counters.invalidations++;
  }

  async invalidateAll(): Promise<void> {
    await this.backend.rotateAll();
    this.counters.invalidations++;
  }

  getOrLoad<T>(key: string, load: () => Promise<T>, options: CacheSetOptions): Promise<T> {
    return this.readThrough(key, load, options, VALUES as Codec<T>);
  }

  getOrLoadJson(
    key: string,
    load: () => Promise<string | undefined>,
    options: CacheSetOptions,
  ): Promise<string | undefined> {
    return this.readThrough(key, load, options, JSON_TEXT);
  }

  stats(): CacheStats {
    return { ...this.counters };
  }

  close(): Promise<void> {
    return this.backend.close();
  }

  private async readThrough<T>(
    key: string,
    load: () => Promise<T>,
    options: CacheSetOptions,
    codec: Codec<T>,
  ): Promise<T> {
    const { ttlMs, tags } = checkOptions(options);
    const found = await this.backend.lookup(key, tags);
    this.count(found.hit);
    if (found.hit) return codec.decode(found.json);
    return this.flights.run(
      codec.flight + key,
      found.snapshot,
      () => this.loadAndStore(key, load, ttlMs, tags, found.snapshot, codec),
      () => this.counters.coalesced++,
    );
  }

  private async loadAndStore<T>(
    key: string,
    load: () => Promise<T>,
    ttlMs: number,
    tags: readonly string[],
    snapshot: readonly string[],
    codec: Codec<T>,
  ): Promise<T> {
    this.counters.loads++;
    const value = await load();
    if (value === undefined) return value;
    const stored = await this.backend.store(key, codec.encode(value), ttlMs, tags, snapshot);
    if (stored) this.counters.sets++;
    else this.counters.discarded++;
    return value;
  }

  private count(hit: boolean): void {
    if (hit) this.counters.hits++;
    else this.counters.misses++;
  }
}

/**
 * How a read-through call turns its value into the stored JSON and back. `flight` keeps the
 * single-flight loads of the two kinds apart (they return different things for one key).
 */
export interface Codec<T> {
  encode(value: T): string;
  decode(json: string): T;
  flight: string;
}

/** `getOrLoad`: any JSON-serialisable value, parsed again on every hit. */
export const VALUES: Codec<unknown> = {
  encode: (v) => encode(v),
  decode: (json) => JSON.parse(json),
  flight: '',
};

/** `getOrLoadJson`: JSON text stored and returned as it is (checked to be JSON before storing). */
export const JSON_TEXT: Codec<string | undefined> = {
  encode: (text) => {
    if (typeof text !== 'string') throw new TypeError('getOrLoadJson loaders must return JSON text');
    try {
      JSON.parse(text);
    } catch {
      throw new TypeError(
        `getOrLoadJson loaders must return JSON text, got ${JSON.stringify(text.slice(0, 40))}`,
      );
    }
    return text;
  },
  decode: (json) => json,
  flight: 'json\u0000',
};

export function encode(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) throw new TypeError('cache values must be JSON-serialisable (not undefined)');
  return json;
}

export function checkOptions(options: CacheSetOptions): { ttlMs: number; tags: string[] } {
  const ttlMs = Math.ceil(options.ttlSeconds * 1000);
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
    throw new RangeError(`ttlSeconds must be a positive number, got ${options.ttlSeconds}`);
  }
  const tags = [...new Set(options.tags ?? [])];
  if (tags.length > MAX_TAGS) throw new RangeError(`at most ${MAX_TAGS} tags per entry`);
  return { ttlMs, tags };
}
