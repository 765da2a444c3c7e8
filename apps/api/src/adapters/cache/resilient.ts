import type { Cache, CacheSetOptions, CacheStats } from '../../ports/cache';
import { type Clock, systemClock } from '../../ports/clock';
import { JSON_TEXT } from './base';

export interface ResilientCacheOptions {
  clock?: Clock;
  /** Least time between attempts to clear the cache after a lost invalidation. Default 1000. */
  retryIntervalMs?: number;
  onError?: (err: unknown, operation: string) => void;
}

export interface ResilientCacheStats extends CacheStats {
  /** Cache operations that failed and were turned into a miss or a no-op. */
  errors: number;
  /** Reads and writes skipped while a lost invalidation is not yet made good. */
  bypassed: number;
}

/** Marks a loader's own rejection, so it is rethrown rather than taken for a cache failure. */
class LoaderFailure {
  constructor(readonly cause: unknown) {}
}

/**
 * Keeps the API serving when the cache backend fails: a failed read is a miss, a failed write a
 * no-op, `getOrLoad` falls back to the loader. A failed `delete`/`invalidateTag`/`invalidateAll`
 * is also swallowed, but the entry it should have dropped may still be in the backend, so from
 * then on every read and write bypasses the cache until an `invalidateAll` succeeds (tried at
 * most once per `retryIntervalMs`): stale data is never served after the backend comes back.
 */
export class ResilientCache implements Cache {
  private errors = 0;
  private bypassed = 0;
  private lastOk = true;
  /** Lost invalidations so far, and how many of them a successful clear has covered. */
  private lost = 0;
  private cleared = 0;
  private nextClearAt = 0;
  private readonly clock: Clock;
  private readonly retryIntervalMs: number;

  constructor(
    private readonly inner: Cache,
    private readonly options: ResilientCacheOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.retryIntervalMs = options.retryIntervalMs ?? 1000;
  }

  /** False after a failed operation (until one succeeds) or while a lost invalidation is pending. */
  get healthy(): boolean {
    return this.lastOk && this.lost === this.cleared;
  }

  async get<T>(key: string): Promise<T | undefined> {
    if (!(await this.usable())) return undefined;
    let value: T | undefined;
    await this.succeeded('get', async () => {
      value = await this.inner.get<T>(key);
    });
    return value;
  }

  async set<T>(key: string, value: T, options: CacheSetOptions): Promise<void> {
    if (!(await this.usable())) return;
    await this.succeeded('set', () => this.inner.set(key, value, options));
  }

  delete(key: string): Promise<void> {
    return this.invalidation('delete', () => this.inner.delete(key));
  }

  invalidateTag(tag: string): Promise<void> {
    return this.invalidation('invalidateTag', () => this.inner.invalidateTag(tag));
  }

  invalidateAll(): Promise<void> {
    return this.invalidation('invalidateAll', () => this.inner.invalidateAll());
  }

  getOrLoad<T>(key: string, load: () => Promise<T>, options: CacheSetOptions): Promise<T> {
    return this.readThrough(load, (tracked) => this.inner.getOrLoad(key, tracked, options));
  }

  getOrLoadJson(
    key: string,
    load: () => Promise<string | undefined>,
    options: CacheSetOptions,
  ): Promise<string | undefined> {
    // Checked here, inside the loader: text that is not JSON is the caller's error, not a cache failure.
    const checked = async () => {
      const text = await load();
      return text === undefined ? text : JSON_TEXT.encode(text);
    };
    return this.readThrough(checked, (tracked) => this.inner.getOrLoadJson(key, tracked, options));
  }

  private async readThrough<T>(
    load: () => Promise<T>,
    through: (tracked: () => Promise<T>) => Promise<T>,
  ): Promise<T> {
    if (!(await this.usable())) return load();
    let loaded: { value: T } | undefined;
    const tracked = () =>
      Promise.resolve()
        .then(load)
        .then(
          (value) => {
            loaded = { value };
            return value;
          },
          (err: unknown) => Promise.reject(new LoaderFailure(err)),
        );
    try {
      const value = await through(tracked);
      this.lastOk = true;
      return value;
    } catch (err) {
      if (err instanceof LoaderFailure) throw err.cause;
      this.fail(err, 'getOrLoad');
      return loaded ? loaded.value : load();
    }
  }

  stats(): ResilientCacheStats {
    return { ...this.inner.stats(), errors: this.errors, bypassed: this.bypassed };
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  private async invalidation(operation: string, run: () => Promise<void>): Promise<void> {
    if (!(await this.succeeded(operation, run))) this.lost++;
  }

  /** Whether the cache may be used now; makes good lost invalidations first. */
  private async usable(): Promise<boolean> {
    if (this.lost !== this.cleared) {
      const now = this.clock.now().getTime();
      if (now >= this.nextClearAt) {
        this.nextClearAt = now + this.retryIntervalMs;
        const covering = this.lost;
        if (await this.succeeded('invalidateAll', () => this.inner.invalidateAll())) {
          this.cleared = Math.max(this.cleared, covering);
        }
      }
    }
    if (this.lost === this.cleared) return true;
    this.bypassed++;
    return false;
  }

  private async succeeded(operation: string, run: () => Promise<unknown>): Promise<boolean> {
    try {
      await run();
      this.lastOk = true;
      return true;
    } catch (err) {
      this.fail(err, operation);
      return false;
    }
  }

  private fail(err: unknown, operation: string): void {
    this.errors++;
    this.lastOk = false;
    this.options.onError?.(err, operation);
  }
}
