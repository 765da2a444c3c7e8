import { LRUCache } from 'lru-cache';
import { type Clock, systemClock } from '../../ports/clock';
import { BaseCache, type CacheBackend, type Lookup } from './base';

export interface MemoryCacheOptions {
  /** Least recently used entries are evicted beyond this many. Default 10,000. */
  maxEntries?: number;
  /** Time source for TTLs; tests pass a clock they move. */
  clock?: Clock;
}

interface Entry {
  json: string;
  expiresAt: number;
  /** [token name, token] of the whole cache and of each tag at the time of storing. */
  stamp: [string, string][];
}

const ALL = 'a';
const keyToken = (key: string) => `k:${key}`;
const tagToken = (tag: string) => `t:${tag}`;

/**
 * The embedded profile's cache: one process, LRU-bounded. Values are kept as JSON strings, so
 * callers get fresh copies and the same JSON semantics as Redis. Tokens live in their own LRU;
 * losing one only turns entries into misses and refuses loads in flight, never serves stale data.
 */
export class MemoryBackend implements CacheBackend {
  private readonly entries: LRUCache<string, Entry>;
  private readonly tokens: LRUCache<string, string>;
  private readonly clock: Clock;
  private sequence = 0;

  constructor(options: MemoryCacheOptions) {
    const max = options.maxEntries ?? 10_000;
    this.entries = new LRUCache({ max });
    this.tokens = new LRUCache({ max: max * 4 + 16 });
    this.clock = options.clock ?? systemClock;
  }

  async read(key: string): Promise<string | undefined> {
    return this.live(key);
  }

  async lookup(key: string, tags: readonly string[]): Promise<Lookup> {
    const json = this.live(key);
    if (json !== undefined) return { hit: true, json };
    return { hit: false, snapshot: names(key, tags).map((name) => this.token(name)) };
  }

  async store(
    key: string,
    json: string,
    ttlMs: number,
    tags: readonly string[],
    expected?: readonly string[],
  ): Promise<boolean> {
    const all = names(key, tags);
    if (expected) {
      if (all.some((name, i) => this.tokens.get(name) !== expected[i])) return false;
    } else {
      this.tokens.delete(keyToken(key));
    }
    const stamp = all.slice(1).map((name): [string, string] => [name, this.token(name)]);
    this.entries.set(key, { json, expiresAt: this.now() + ttlMs, stamp });
    return true;
  }

  async remove(key: string): Promise<void> {
    this.entries.delete(key);
    this.tokens.delete(keyToken(key));
  }

  async rotateTag(tag: string): Promise<void> {
    this.tokens.delete(tagToken(tag));
  }

  async rotateAll(): Promise<void> {
    this.tokens.delete(ALL);
    this.entries.clear();
  }

  async close(): Promise<void> {}

  private live(key: string): string | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const stale =
      this.now() >= entry.expiresAt || entry.stamp.some(([name, token]) => this.tokens.get(name) !== token);
    if (!stale) return entry.json;
    this.entries.delete(key);
    return undefined;
  }

  /** The current token, created if there is none. */
  private token(name: string): string {
    let token = this.tokens.get(name);
    if (token === undefined) {
      token = String(++this.sequence);
      this.tokens.set(name, token);
    }
    return token;
  }

  private now(): number {
    return this.clock.now().getTime();
  }
}

/** [key, whole cache, ...tags]: the order of `Lookup.snapshot`. */
function names(key: string, tags: readonly string[]): string[] {
  return [keyToken(key), ALL, ...tags.map(tagToken)];
}

export class MemoryCache extends BaseCache {
  constructor(options: MemoryCacheOptions = {}) {
    super(new MemoryBackend(options));
  }
}
