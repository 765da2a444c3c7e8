import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { quickClient, type RedisTestCache, redisTestCache, redisTestUrl } from '../../../test/support/redis';
import { cacheContract, deferred } from './cache.contract';
import { RedisCache } from './redis';
import { Script } from './redis-scripts';

const url = await redisTestUrl();

describe.skipIf(!url)('RedisCache', () => {
  cacheContract('redis', () => redisTestCache(url));

  describe('on a shared server', () => {
    let t: RedisTestCache;
    beforeEach(async () => {
      t = await redisTestCache(url);
    });
    afterEach(() => t.dispose());

    it('gives every key it writes a TTL and keeps them under its prefix', async () => {
      await t.cache.set('a', 1, { ttlSeconds: 30, tags: ['x', 'y'] });
      await t.cache.getOrLoad('b', async () => 2, { ttlSeconds: 30, tags: ['x'] });
      await t.cache.getOrLoad('c', async () => undefined, { ttlSeconds: 30 });
      await t.cache.invalidateTag('y');
      await t.cache.get('a');
      const keys = await t.keys();
      expect(keys.size).toBeGreaterThanOrEqual(4);
      for (const [key, ttl] of keys) {
        expect(key.startsWith(t.prefix)).toBe(true);
        expect(ttl, key).toBeGreaterThan(0);
      }
    });

    it('never sees or invalidates another prefix', async () => {
      const other = await redisTestCache(url);
      try {
        await t.cache.set('k', 'mine', { ttlSeconds: 30, tags: ['t'] });
        await other.cache.set('k', 'theirs', { ttlSeconds: 30, tags: ['t'] });
        await other.cache.invalidateTag('t');
        await other.cache.invalidateAll();
        expect(await t.cache.get('k')).toBe('mine');
        expect(await other.cache.get('k')).toBeUndefined();
      } finally {
        await other.dispose();
      }
    });

    it('an invalidation on one instance stops a load in flight on another from storing', async () => {
      const b = t.twin();
      const started = deferred<void>();
      const loading = deferred<string>();
      const options = { ttlSeconds: 30, tags: ['listing:7'] };
      const pending = t.cache.getOrLoad(
        'listing:7',
        () => {
          started.resolve();
          return loading.promise;
        },
        options,
      );
      await started.promise;
      await b.invalidateTag('listing:7');
      loading.resolve('old');
      expect(await pending).toBe('old');
      expect(await b.get('listing:7')).toBeUndefined();
      expect(await b.getOrLoad('listing:7', async () => 'new', options)).toBe('new');
      expect(await t.cache.get('listing:7')).toBe('new');
    });

    it('runs a script the server has not seen (NOSCRIPT falls back to EVAL)', async () => {
      const nonce = randomBytes(8).toString('hex');
      const script = new Script(`return ARGV[1] .. '${nonce}'`);
      const client = quickClient(url);
      try {
        await client.connect();
        expect(await script.run(client, [], ['x'])).toBe(`x${nonce}`);
        expect(await script.run(client, [], ['y'])).toBe(`y${nonce}`);
      } finally {
        client.disconnect();
      }
    });
  });

  it('connect rejects promptly when Redis is unreachable', async () => {
    await expect(RedisCache.connect({ url: 'redis://127.0.0.1:1', keyPrefix: 'x:' })).rejects.toThrow();
  });
});
