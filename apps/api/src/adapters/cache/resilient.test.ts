import { describe, expect, it, vi } from 'vitest';
import { quickClient } from '../../../test/support/redis';
import type { Cache } from '../../ports/cache';
import type { Clock } from '../../ports/clock';
import { MemoryCache } from './memory';
import { RedisCache } from './redis';
import { ResilientCache } from './resilient';

const MINUTE = { ttlSeconds: 60, tags: ['listing:1'] };

/** A memory cache whose every operation fails while `down` is set. */
function flaky(): { cache: Cache; state: { down: boolean } } {
  const inner = new MemoryCache();
  const state = { down: false };
  const cache = new Proxy(inner, {
    get(target, prop) {
      const member = Reflect.get(target, prop, target);
      if (typeof member !== 'function' || prop === 'stats') return member;
      return (...args: unknown[]) =>
        state.down ? Promise.reject(new Error('cache down')) : member.apply(target, args);
    },
  });
  return { cache, state };
}

function manualClock() {
  let ms = 0;
  const clock: Clock = { now: () => new Date(ms) };
  return { clock, advance: (by: number) => (ms += by) };
}

describe('ResilientCache', () => {
  it('turns a dead Redis into misses and no-ops, counting the errors', async () => {
    const client = quickClient('redis://127.0.0.1:1');
    const onError = vi.fn();
    const cache = new ResilientCache(new RedisCache({ client, keyPrefix: 'dead:', ownsClient: true }), {
      onError,
    });
    try {
      expect(cache.healthy).toBe(true);
      expect(await cache.get('k')).toBeUndefined();
      await cache.set('k', 1, MINUTE);
      expect(await cache.getOrLoad('k', async () => 'from db', MINUTE)).toBe('from db');
      expect(cache.healthy).toBe(false);
      expect(cache.stats().errors).toBe(3);
      expect(onError).toHaveBeenCalledWith(expect.any(Error), 'get');
    } finally {
      await cache.close();
    }
    expect(client.status).toBe('end');
  });

  it('rethrows a failing loader unchanged and does not count it as a cache error', async () => {
    const cache = new ResilientCache(new MemoryCache());
    const boom = new Error('database down');
    await expect(cache.getOrLoad('k', () => Promise.reject(boom), MINUTE)).rejects.toBe(boom);
    expect(cache.stats().errors).toBe(0);
    expect(cache.healthy).toBe(true);
  });

  it('getOrLoadJson: a failing backend serves the loaded text; text that is not JSON is refused, not a cache error', async () => {
    const { cache: inner, state } = flaky();
    const cache = new ResilientCache(inner);
    expect(await cache.getOrLoadJson('k', async () => '{"a":1}', MINUTE)).toBe('{"a":1}');
    expect(await cache.getOrLoadJson('k', async () => '{"a":2}', MINUTE)).toBe('{"a":1}');
    await expect(cache.getOrLoadJson('bad', async () => 'not json', MINUTE)).rejects.toThrow(TypeError);
    expect(cache.stats().errors).toBe(0);
    state.down = true;
    expect(await cache.getOrLoadJson('k', async () => '{"a":3}', MINUTE)).toBe('{"a":3}');
    expect(cache.stats().errors).toBe(1);
    expect(cache.healthy).toBe(false);
  });

  it('returns the loaded value when only storing it fails', async () => {
    const memory = new MemoryCache();
    const storeFails = new Proxy(memory, {
      get: (target, prop) =>
        prop === 'getOrLoad'
          ? async (_key: string, load: () => Promise<unknown>) => {
              await load();
              throw new Error('store failed');
            }
          : Reflect.get(target, prop, target),
    });
    const cache = new ResilientCache(storeFails);
    const load = vi.fn(async () => 'fresh');
    expect(await cache.getOrLoad('k', load, MINUTE)).toBe('fresh');
    expect(load).toHaveBeenCalledTimes(1);
    expect(cache.stats().errors).toBe(1);
    expect(cache.healthy).toBe(false);
  });

  it('after a lost invalidation, bypasses the cache until it has cleared it', async () => {
    const { cache: inner, state } = flaky();
    const { clock, advance } = manualClock();
    const cache = new ResilientCache(inner, { clock, retryIntervalMs: 1000 });
    await cache.set('listing:1', 'old', MINUTE);
    state.down = true;
    await cache.invalidateTag('listing:1'); // lost: the old entry is still in the backend
    expect(cache.healthy).toBe(false);
    expect(await cache.get('listing:1')).toBeUndefined(); // tries to clear, fails, bypasses
    const errors = cache.stats().errors;
    state.down = false;
    expect(await cache.get('listing:1')).toBeUndefined(); // within the interval: no attempt
    await cache.set('listing:1', 'skipped', MINUTE);
    expect(await cache.getOrLoad('listing:1', async () => 'db', MINUTE)).toBe('db');
    expect(cache.stats()).toMatchObject({ errors, bypassed: 4 });
    expect(await inner.get('listing:1')).toBe('old'); // the backend still holds the stale entry
    advance(1000);
    expect(await cache.get('listing:1')).toBeUndefined(); // cleared first, never served stale
    expect(cache.healthy).toBe(true);
    await cache.set('listing:1', 'new', MINUTE);
    expect(await cache.get('listing:1')).toBe('new');
  });
});
