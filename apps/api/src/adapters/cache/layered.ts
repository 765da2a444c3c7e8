import type { Cache, CacheSetOptions, CacheStats } from '../../ports/cache';
import type { Clock } from '../../ports/clock';
import { type Codec, checkOptions, encode, JSON_TEXT, VALUES } from './base';
import type { Invalidation, InvalidationBus } from './invalidation-bus';
import { MemoryBackend } from './memory';
import { SingleFlight } from './single-flight';

export interface LayeredCacheOptions {
  /** The shared cache (production: `ResilientCache` over `RedisCache`). Closed with this cache. */
  l2: Cache;
  /** Carries invalidations to the other instances' L1 (production: `RedisInvalidationBus`). Closed with this cache. */
  bus: InvalidationBus;
  /** L1 size (LRU). Default 1000. */
  l1MaxEntries?: number;
  /** Longest life of an L1 entry (never longer than the entry's own TTL). Default 5000. */
  l1TtlMs?: number;
  /**
   * 0 (default): every L1 read waits for a barrier sent after it began (one PING per batch of
   * concurrent reads), so the port's guarantee holds exactly. More than 0: an L1 read may rely on
   * a barrier sent up to this many ms before it began, i.e. it may return a value another
   * instance replaced at most this long ago. See README.md.
   */
  maxStalenessMs?: number;
  /** L1 TTLs (default: system clock). */
  clock?: Clock;
  /** Monotonic milliseconds for `maxStalenessMs` (default `performance.now`). */
  elapsedMs?: () => number;
  onError?: (err: unknown, operation: string) => void;
}

export interface LayerStats {
  l1: { hits: number; misses: number; sets: number; discarded: number; skipped: number };
  l2: CacheStats;
  bus: {
    barriers: number;
    barrierFailures: number;
    published: number;
    publishFailures: number;
    received: number;
    gaps: number;
  };
}

/**
 * A small in-process L1 in front of a shared L2, kept fresh across instances: every write or
 * invalidation goes to L2, then to this L1, then out on the bus to the other instances' L1
 * before it resolves; an L1 read is served only after a barrier proves every invalidation that
 * was acknowledged before the read began has reached this instance. While the bus is down (or a
 * barrier fails) L1 is skipped entirely and every read goes to L2; when the subscription drops,
 * L1 is emptied, because messages sent meanwhile are lost.
 */
export class LayeredCache implements Cache {
  private readonly l1: MemoryBackend;
  private readonly l2: Cache;
  private readonly bus: InvalidationBus;
  private readonly l1TtlMs: number;
  private readonly maxStalenessMs: number;
  private readonly elapsedMs: () => number;
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
  private readonly layer: Omit<LayerStats, 'l2'> = {
    l1: { hits: 0, misses: 0, sets: 0, discarded: 0, skipped: 0 },
    bus: { barriers: 0, barrierFailures: 0, published: 0, publishFailures: 0, received: 0, gaps: 0 },
  };
  private readonly flights = new SingleFlight();
  /** The barrier that the next L1 reads will share, not yet sent. */
  private nextBarrier: Promise<boolean> | null = null;
  /** When the newest barrier that succeeded was sent, and the gap count then. */
  private lastBarrier = { sentAt: Number.NEGATIVE_INFINITY, gaps: -1 };
  /** A publish failed: the others may hold stale L1 entries until an "all" message gets through. */
  private publishLost = false;

  private constructor(private readonly options: LayeredCacheOptions) {
    this.l2 = options.l2;
    this.bus = options.bus;
    this.l1 = new MemoryBackend({
      maxEntries: options.l1MaxEntries ?? 1000,
      ...(options.clock ? { clock: options.clock } : {}),
    });
    this.l1TtlMs = options.l1TtlMs ?? 5000;
    this.maxStalenessMs = options.maxStalenessMs ?? 0;
    this.elapsedMs = options.elapsedMs ?? (() => performance.now());
  }

  /** Subscribes to the bus (rejects if it cannot) and returns the cache. */
  static async create(options: LayeredCacheOptions): Promise<LayeredCache> {
    const cache = new LayeredCache(options);
    await options.bus.start({
      // MemoryBackend's methods take effect synchronously, which the bus contract requires.
      onMessage: (message) => {
        cache.layer.bus.received++;
        void cache.applyToL1(message);
      },
      onGap: () => {
        cache.layer.bus.gaps++;
        void cache.l1.rotateAll();
      },
    });
    return cache;
  }

  /** Degraded when the bus is down, an invalidation could not be broadcast, or L2 says so. */
  get healthy(): boolean {
    return this.problems().length === 0;
  }

  /** For /readyz: `ok` false means degraded (reads bypass what is down), never unavailable. */
  health(): { ok: boolean; detail?: string } {
    const problems = this.problems();
    return problems.length === 0 ? { ok: true } : { ok: false, detail: problems.join('; ') };
  }

  private problems(): string[] {
    const problems: string[] = [];
    if ((this.l2 as Partial<{ healthy: boolean }>).healthy === false)
      problems.push('shared cache failing: reads go to the database');
    if (!this.bus.live) problems.push('invalidation subscription down: in-process cache bypassed');
    if (this.publishLost) problems.push('an invalidation broadcast is pending');
    return problems;
  }

  async get<T>(key: string): Promise<T | undefined> {
    await this.repairBroadcast();
    if (await this.l1Trusted()) {
      const json = await this.l1.read(key);
      if (json !== undefined) {
        this.layer.l1.hits++;
        this.counters.hits++;
        return JSON.parse(json) as T;
      }
      this.layer.l1.misses++;
    }
    const value = await this.l2.get<T>(key);
    if (value === undefined) this.counters.misses++;
    else this.counters.hits++;
    return value;
  }

  async set<T>(key: string, value: T, options: CacheSetOptions): Promise<void> {
    const { ttlMs, tags } = checkOptions(options);
    const json = encode(value);
    await this.repairBroadcast();
    try {
      await this.l2.set(key, value, options);
    } catch (err) {
      // No instance may keep serving the old value: drop it here and everywhere else.
      await this.l1.remove(key);
      await this.broadcast({ kind: 'key', key });
      throw err;
    }
    await this.l1.store(key, json, Math.min(ttlMs, this.l1TtlMs), tags);
    this.layer.l1.sets++;
    this.counters.sets++;
    await this.broadcast({ kind: 'key', key });
  }

  async delete(key: string): Promise<void> {
    await this.invalidate({ kind: 'key', key }, () => this.l2.delete(key));
    this.counters.deletes++;
  }

  async invalidateTag(tag: string): Promise<void> {
    await this.invalidate({ kind: 'tag', tag }, () => this.l2.invalidateTag(tag));
    this.counters.invalidations++;
  }

  async invalidateAll(): Promise<void> {
    await this.invalidate({ kind: 'all' }, () => this.l2.invalidateAll());
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

  private async readThrough<T>(
    key: string,
    load: () => Promise<T>,
    options: CacheSetOptions,
    codec: Codec<T>,
  ): Promise<T> {
    const { ttlMs, tags } = checkOptions(options);
    await this.repairBroadcast();
    if (!(await this.l1Trusted())) return this.fromL2(key, load, options, codec, undefined);
    const found = await this.l1.lookup(key, tags);
    if (found.hit) {
      this.layer.l1.hits++;
      this.counters.hits++;
      return codec.decode(found.json);
    }
    this.layer.l1.misses++;
    // Same L1 snapshot ⇒ nothing was invalidated here between that flight's start and now.
    return this.flights.run(
      codec.flight + key,
      found.snapshot,
      () => this.fromL2(key, load, options, codec, { ttlMs, tags, snapshot: found.snapshot }),
      () => {
        this.counters.misses++;
        this.counters.coalesced++;
      },
    );
  }

  stats(): CacheStats {
    return { ...this.counters };
  }

  /** Hit and miss counters of each layer, and of the bus. */
  layerStats(): LayerStats {
    return {
      l1: { ...this.layer.l1 },
      l2: this.l2.stats(),
      bus: { ...this.layer.bus },
    };
  }

  async close(): Promise<void> {
    await Promise.all([this.bus.close(), this.l2.close()]);
  }

  /** Reads through L2; stores the value in L1 unless L1 was invalidated since `fill.snapshot`. */
  private async fromL2<T>(
    key: string,
    load: () => Promise<T>,
    options: CacheSetOptions,
    codec: Codec<T>,
    fill: { ttlMs: number; tags: string[]; snapshot: readonly string[] } | undefined,
  ): Promise<T> {
    let loaded = false;
    const counted = () => {
      loaded = true;
      this.counters.misses++;
      this.counters.loads++;
      return load();
    };
    const value =
      codec === JSON_TEXT
        ? ((await this.l2.getOrLoadJson(key, counted as () => Promise<string | undefined>, options)) as T)
        : await this.l2.getOrLoad(key, counted, options);
    // (While L1 is skipped, a caller that joined another caller's load inside L2 counts as a hit.)
    if (!loaded) this.counters.hits++;
    if (value === undefined || !fill) return value;
    const stored = await this.l1.store(
      key,
      codec.encode(value),
      Math.min(fill.ttlMs, this.l1TtlMs),
      fill.tags,
      fill.snapshot,
    );
    if (stored) this.layer.l1.sets++;
    else this.layer.l1.discarded++;
    if (loaded) {
      if (stored) this.counters.sets++;
      else this.counters.discarded++;
    }
    return value;
  }

  /** L2 first, then L1 (a load that read L2 before is refused by L1's rotated token), then the others. */
  private async invalidate(message: Invalidation, inL2: () => Promise<void>): Promise<void> {
    await this.repairBroadcast();
    try {
      await inL2();
    } finally {
      await this.applyToL1(message);
      await this.broadcast(message); // never throws
    }
  }

  private applyToL1(message: Invalidation): Promise<void> {
    if (message.kind === 'key') return this.l1.remove(message.key);
    if (message.kind === 'tag') return this.l1.rotateTag(message.tag);
    return this.l1.rotateAll();
  }

  private async broadcast(message: Invalidation): Promise<void> {
    try {
      await this.bus.publish(message);
      this.layer.bus.published++;
    } catch (err) {
      // Not thrown (the change itself is done): the others' L1 entries live at most l1TtlMs, and
      // an "all" message is re-sent before the next operation until one gets through.
      this.publishLost = true;
      this.layer.bus.publishFailures++;
      this.options.onError?.(err, 'publish');
    }
  }

  private async repairBroadcast(): Promise<void> {
    if (!this.publishLost) return;
    try {
      await this.bus.publish({ kind: 'all' });
      this.publishLost = false;
      this.layer.bus.published++;
    } catch (err) {
      this.layer.bus.publishFailures++;
      this.options.onError?.(err, 'publish');
    }
  }

  /** Whether L1 may answer a read that begins now (waits for a barrier when needed). */
  private async l1Trusted(): Promise<boolean> {
    if (!this.bus.live) {
      this.layer.l1.skipped++;
      return false;
    }
    const gaps = this.layer.bus.gaps;
    const recent = this.lastBarrier;
    if (
      this.maxStalenessMs > 0 &&
      recent.gaps === gaps &&
      recent.sentAt >= this.elapsedMs() - this.maxStalenessMs
    ) {
      return true;
    }
    // Every read that arrives before the barrier is sent shares it (it is sent after them all).
    this.nextBarrier ??= Promise.resolve().then(() => this.sendBarrier());
    const ok = (await this.nextBarrier) && this.layer.bus.gaps === gaps;
    if (!ok) this.layer.l1.skipped++;
    return ok;
  }

  private async sendBarrier(): Promise<boolean> {
    this.nextBarrier = null;
    const sentAt = this.elapsedMs();
    const gaps = this.layer.bus.gaps;
    this.layer.bus.barriers++;
    try {
      await this.bus.barrier();
      if (sentAt > this.lastBarrier.sentAt) this.lastBarrier = { sentAt, gaps };
      return true;
    } catch (err) {
      this.layer.bus.barrierFailures++;
      this.options.onError?.(err, 'barrier');
      return false;
    }
  }
}
