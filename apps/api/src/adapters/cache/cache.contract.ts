import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Cache, CacheSetOptions } from '../../ports/cache';

export interface CacheHarness {
  /** A new cache that holds nothing. */
  cache: Cache;
  /** Lets at least `ms` pass for TTLs: moves a test clock, or really waits. */
  elapse(ms: number): Promise<void>;
  dispose(): Promise<void>;
}

export function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (reason: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const MINUTE: CacheSetOptions = { ttlSeconds: 60 };
const TAGGED: CacheSetOptions = { ttlSeconds: 60, tags: ['listing:1'] };

/** The one contract every Cache adapter passes. */
export function cacheContract(name: string, factory: () => Promise<CacheHarness>): void {
  describe(`Cache contract [${name}]`, () => {
    let harness: CacheHarness;
    let cache: Cache;
    beforeEach(async () => {
      harness = await factory();
      cache = harness.cache;
    });
    afterEach(() => harness.dispose());

    it('round-trips a value; a missing key is undefined and null is a value', async () => {
      expect(await cache.get('nothing')).toBeUndefined();
      await cache.set('greeting', 'hello', MINUTE);
      await cache.set('not-found', null, MINUTE);
      expect(await cache.get('greeting')).toBe('hello');
      expect(await cache.get('not-found')).toBeNull();
    });

    it('stores JSON: nested values round-trip, a Date becomes its ISO string', async () => {
      const value = { a: [1, 2.5, { b: 'c', d: [true, false, null] }], e: { f: { g: -0.001 } }, h: '' };
      await cache.set('nested', value, MINUTE);
      await cache.set('dated', { at: new Date('2026-11-24T20:00:00.000Z'), gone: undefined }, MINUTE);
      expect(await cache.get('nested')).toEqual(value);
      expect(await cache.get('dated')).toStrictEqual({ at: '2026-11-24T20:00:00.000Z' });
    });

    it('accepts any unicode text as keys and tags', async () => {
      const keys = ['listing:ü/東京 🦷', 'e:k:a', 'v', ' ', 'Zürich\n"quoted"'];
      for (const [i, key] of keys.entries())
        await cache.set(key, i, { ttlSeconds: 60, tags: [`tag ${key}`] });
      for (const [i, key] of keys.entries()) expect(await cache.get(key)).toBe(i);
      await cache.invalidateTag('tag listing:ü/東京 🦷');
      expect(await cache.get('listing:ü/東京 🦷')).toBeUndefined();
      expect(await cache.get('e:k:a')).toBe(1);
    });

    it('rejects undefined values and TTLs that are not positive', async () => {
      await expect(cache.set('u', undefined, MINUTE)).rejects.toThrow(TypeError);
      await expect(cache.set('z', 1, { ttlSeconds: 0 })).rejects.toThrow(RangeError);
      await expect(cache.set('n', 1, { ttlSeconds: Number.NaN })).rejects.toThrow(RangeError);
      expect(await cache.get('z')).toBeUndefined();
    });

    it('expires entries after their TTL', async () => {
      await cache.set('short', 'v', { ttlSeconds: 1 });
      await cache.getOrLoad('loaded', async () => 'w', { ttlSeconds: 1, tags: ['t'] });
      await cache.set('long', 'x', MINUTE);
      expect(await cache.get('short')).toBe('v');
      await harness.elapse(1000);
      await vi.waitFor(async () => expect(await cache.get('short')).toBeUndefined(), { timeout: 3000 });
      expect(await cache.get('loaded')).toBeUndefined();
      expect(await cache.get('long')).toBe('x');
    });

    it('overwrites an entry together with its tags', async () => {
      await cache.set('k', 1, { ttlSeconds: 60, tags: ['a'] });
      await cache.set('k', 2, { ttlSeconds: 60, tags: ['b'] });
      await cache.invalidateTag('a');
      expect(await cache.get('k')).toBe(2);
      await cache.invalidateTag('b');
      expect(await cache.get('k')).toBeUndefined();
    });

    it('delete removes exactly that entry; deleting a missing key is fine', async () => {
      await cache.set('one', 1, TAGGED);
      await cache.set('two', 2, TAGGED);
      await cache.delete('one');
      await cache.delete('never-set');
      expect(await cache.get('one')).toBeUndefined();
      expect(await cache.get('two')).toBe(2);
    });

    it('invalidateTag drops exactly the entries stored with that tag', async () => {
      await cache.set('l1', 'listing 1', { ttlSeconds: 60, tags: ['listing:1'] });
      await cache.set('l1-services', 's', { ttlSeconds: 60, tags: ['listing:1', 'services'] });
      await cache.set('l2', 'listing 2', { ttlSeconds: 60, tags: ['listing:2', 'services'] });
      await cache.set('plain', 'p', MINUTE);
      await cache.invalidateTag('listing:1');
      await cache.invalidateTag('never-used');
      expect(await cache.get('l1')).toBeUndefined();
      expect(await cache.get('l1-services')).toBeUndefined();
      expect(await cache.get('l2')).toBe('listing 2');
      expect(await cache.get('plain')).toBe('p');
      await cache.invalidateTag('services');
      expect(await cache.get('l2')).toBeUndefined();
    });

    it('an entry stored after its tag was invalidated is live', async () => {
      await cache.set('k', 'old', TAGGED);
      await cache.invalidateTag('listing:1');
      await cache.set('k', 'new', TAGGED);
      expect(await cache.get('k')).toBe('new');
      expect(await cache.getOrLoad('k', async () => 'loaded', TAGGED)).toBe('new');
    });

    it('invalidateAll drops every entry', async () => {
      await cache.set('a', 1, MINUTE);
      await cache.set('b', 2, TAGGED);
      await cache.invalidateAll();
      expect(await cache.get('a')).toBeUndefined();
      expect(await cache.get('b')).toBeUndefined();
      await cache.set('a', 3, MINUTE);
      expect(await cache.get('a')).toBe(3);
    });

    it('getOrLoad loads on a miss, stores the value, then serves it without loading', async () => {
      const load = vi.fn(async () => ({ id: 1, name: 'Dr Ada' }));
      expect(await cache.getOrLoad('listing:1', load, TAGGED)).toEqual({ id: 1, name: 'Dr Ada' });
      expect(await cache.getOrLoad('listing:1', load, TAGGED)).toEqual({ id: 1, name: 'Dr Ada' });
      expect(await cache.get('listing:1')).toEqual({ id: 1, name: 'Dr Ada' });
      expect(load).toHaveBeenCalledTimes(1);
    });

    it('getOrLoad returns a loaded undefined without storing it', async () => {
      expect(await cache.getOrLoad('u', async () => undefined, MINUTE)).toBeUndefined();
      expect(await cache.getOrLoad('u', async () => 'now', MINUTE)).toBe('now');
    });

    it('getOrLoad runs one load for ten concurrent calls', async () => {
      const gate = deferred<string>();
      const load = vi.fn(() => gate.promise);
      const all = Promise.all(Array.from({ length: 10 }, () => cache.getOrLoad('sf', load, TAGGED)));
      await vi.waitFor(() => expect(cache.stats().misses).toBe(10));
      gate.resolve('value');
      expect(await all).toEqual(Array(10).fill('value'));
      expect(load).toHaveBeenCalledTimes(1);
      expect(cache.stats()).toMatchObject({ loads: 1, coalesced: 9, sets: 1 });
    });

    it.each([
      ['invalidateTag', (c: Cache) => c.invalidateTag('listing:1'), undefined],
      ['delete', (c: Cache) => c.delete('k'), undefined],
      ['invalidateAll', (c: Cache) => c.invalidateAll(), undefined],
      ['set', (c: Cache) => c.set('k', 'new', MINUTE), 'new'],
    ])('a value loaded before %s is returned but not stored', async (_, write, after) => {
      const started = deferred<void>();
      const loading = deferred<string>();
      const pending = cache.getOrLoad(
        'k',
        () => {
          started.resolve();
          return loading.promise;
        },
        TAGGED,
      );
      await started.promise; // the reader has read the old row
      await write(cache); // the writer commits, then invalidates
      loading.resolve('old');
      expect(await pending).toBe('old');
      expect(await cache.get('k')).toBe(after);
      expect(cache.stats().discarded).toBe(1);
    });

    it('a caller arriving after an invalidation does not join a load that began before it', async () => {
      const started = deferred<void>();
      const first = deferred<string>();
      const early = cache.getOrLoad(
        'k',
        () => {
          started.resolve();
          return first.promise;
        },
        TAGGED,
      );
      await started.promise;
      await cache.invalidateTag('listing:1');
      expect(await cache.getOrLoad('k', async () => 'new', TAGGED)).toBe('new');
      first.resolve('old');
      expect(await early).toBe('old');
      expect(await cache.get('k')).toBe('new');
    }, 10_000);

    it('a failed load reaches every caller sharing it, stores nothing, and is retried next time', async () => {
      const gate = deferred<string>();
      const calls = Array.from({ length: 3 }, () => cache.getOrLoad('f', () => gate.promise, MINUTE));
      await vi.waitFor(() => expect(cache.stats().misses).toBe(3));
      const boom = new Error('database down');
      gate.reject(boom);
      await Promise.all(calls.map((call) => expect(call).rejects.toBe(boom)));
      expect(await cache.get('f')).toBeUndefined();
      expect(await cache.getOrLoad('f', async () => 'ok', MINUTE)).toBe('ok');
    });

    it('getOrLoadJson stores the loaded JSON text as it is and serves it without loading', async () => {
      const text = '{"id":1,"name":"Dr Ada","tags":["a"]}';
      const load = vi.fn(async () => text);
      expect(await cache.getOrLoadJson('body:1', load, TAGGED)).toBe(text);
      expect(await cache.getOrLoadJson('body:1', load, TAGGED)).toBe(text);
      expect(load).toHaveBeenCalledTimes(1);
      expect(await cache.get('body:1')).toEqual({ id: 1, name: 'Dr Ada', tags: ['a'] });
      expect(await cache.getOrLoad('body:1', async () => 'other', TAGGED)).toEqual(JSON.parse(text));
      await cache.invalidateTag('listing:1');
      expect(await cache.getOrLoadJson('body:1', async () => '"new"', TAGGED)).toBe('"new"');
      expect(await cache.get('body:1')).toBe('new');
    });

    it('getOrLoadJson refuses text that is not JSON and stores nothing', async () => {
      await expect(cache.getOrLoadJson('bad', async () => '{"id":', MINUTE)).rejects.toThrow(TypeError);
      expect(await cache.get('bad')).toBeUndefined();
      expect(await cache.getOrLoadJson('u', async () => undefined, MINUTE)).toBeUndefined();
      expect(await cache.get('u')).toBeUndefined();
      expect(await cache.getOrLoadJson('bad', async () => '[1]', MINUTE)).toBe('[1]');
    });

    it('getOrLoadJson: one load for concurrent calls, and a load that began before an invalidation is not stored', async () => {
      const gate = deferred<string>();
      const load = vi.fn(() => gate.promise);
      const all = Promise.all(Array.from({ length: 5 }, () => cache.getOrLoadJson('j', load, TAGGED)));
      await vi.waitFor(() => expect(cache.stats().misses).toBe(5));
      await cache.invalidateTag('listing:1');
      gate.resolve('"old"');
      expect(await all).toEqual(Array(5).fill('"old"'));
      expect(load).toHaveBeenCalledTimes(1);
      expect(await cache.get('j')).toBeUndefined();
      expect(cache.stats().discarded).toBe(1);
    });

    it('counts hits, misses, sets, deletes, invalidations, loads, coalesced and discarded', async () => {
      await cache.get('a');
      await cache.set('a', 1, MINUTE);
      await cache.get('a');
      await cache.getOrLoad('a', async () => 2, MINUTE);
      await cache.getOrLoad('b', async () => 3, MINUTE);
      await cache.delete('a');
      await cache.invalidateTag('t');
      await cache.invalidateAll();
      expect(cache.stats()).toEqual({
        hits: 2,
        misses: 2,
        sets: 2,
        deletes: 1,
        invalidations: 2,
        loads: 1,
        coalesced: 0,
        discarded: 0,
      });
    });
  });
}
