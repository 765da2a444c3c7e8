import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type RedisTestCache, redisTestCache, redisTestUrl } from '../../../test/support/redis';
import { RedisServerProcess } from '../../../test/support/redis-server';
import { cacheContract } from './cache.contract';
import { LayeredCache, type LayeredCacheOptions } from './layered';
import { createLayeredRedisCache } from './layered-redis';
import { RedisInvalidationBus } from './redis-invalidation-bus';

const url = await redisTestUrl();
const OPTIONS = { ttlSeconds: 60, tags: ['listing:1'] };

/** Layered caches over one Redis prefix and one channel: several API instances. */
async function instances(t: RedisTestCache, extra: Partial<LayeredCacheOptions>[] = [{}]) {
  const channel = `${t.prefix}invalidations`;
  return Promise.all(
    extra.map(async (options, i) =>
      LayeredCache.create({
        l2: i === 0 ? t.cache : t.twin(),
        bus: new RedisInvalidationBus({ url, channel }),
        ...options,
      }),
    ),
  );
}

describe.skipIf(!url)('LayeredCache (memory L1 + Redis L2 + Redis pub/sub)', () => {
  cacheContract('layered', async () => {
    const t = await redisTestCache(url);
    const [cache] = await instances(t);
    if (!cache) throw new Error('no cache');
    return {
      cache,
      elapse: t.elapse,
      dispose: async () => {
        await cache.close();
        await t.dispose();
      },
    };
  });

  describe('across instances', () => {
    let t: RedisTestCache;
    let a: LayeredCache;
    let b: LayeredCache;
    beforeEach(async () => {
      t = await redisTestCache(url);
      [a, b] = (await instances(t, [{}, {}])) as [LayeredCache, LayeredCache];
    });
    afterEach(async () => {
      await Promise.all([a.close(), b.close()]);
      await t.dispose();
    });

    it('B never serves what A replaced once A resolved, while B serves repeated reads from L1', async () => {
      let row = 0; // the database row both instances load
      const load = async () => row;
      expect(await b.getOrLoad('listing:1', load, OPTIONS)).toBe(0);
      for (let i = 1; i <= 150; i++) {
        // Readers on B in flight during A's write may see either version; they are not checked.
        const racing = Array.from({ length: 3 }, () => b.getOrLoad('listing:1', load, OPTIONS));
        row = i; // A commits...
        if (i % 3 === 0) await a.set('listing:1', i, OPTIONS);
        else if (i % 3 === 1) await a.invalidateTag('listing:1');
        else await a.delete('listing:1'); // ...then invalidates; from here on nobody may see i - 1
        const [first, second, plain] = await Promise.all([
          b.getOrLoad('listing:1', load, OPTIONS),
          b.getOrLoad('listing:1', load, OPTIONS),
          b.get('listing:1'),
        ]);
        expect([first, second]).toEqual([i, i]);
        expect([undefined, i]).toContain(plain);
        expect(await b.getOrLoad('listing:1', load, OPTIONS)).toBe(i);
        await Promise.all(racing);
      }
      const layers = b.layerStats();
      expect(layers.l1.hits).toBeGreaterThan(150); // the last read of every round at least
      expect(layers.bus.received).toBeGreaterThanOrEqual(150);
      expect(layers.bus.barriers).toBeLessThan(layers.l1.hits + layers.l1.misses); // reads share barriers
    }, 30_000);

    it('drops B’s L1 and skips it while B’s subscription is down; nothing A sent meanwhile is missed', async () => {
      const admin = new Redis(url);
      try {
        let row = 'v1';
        const load = async () => row;
        await b.getOrLoad('listing:1', load, OPTIONS);
        expect(await b.getOrLoad('listing:1', load, OPTIONS)).toBe('v1');
        expect(b.layerStats().l1.hits).toBe(1);
        const bus = (b as unknown as { bus: RedisInvalidationBus }).bus;
        // Kill B's subscriber connection; ioredis reconnects and we resubscribe.
        await killSubscriber(admin, bus.connectionName);
        row = 'v2';
        await a.invalidateTag('listing:1'); // B may not hear of this one
        expect(await b.getOrLoad('listing:1', load, OPTIONS)).toBe('v2');
        await vi.waitFor(() => expect(bus.live).toBe(true), { timeout: 10_000 });
        expect(b.layerStats().bus.gaps).toBeGreaterThanOrEqual(1);
        expect(await b.getOrLoad('listing:1', load, OPTIONS)).toBe('v2');
        expect(await b.get('listing:1')).toBe('v2');
      } finally {
        admin.disconnect();
      }
    }, 20_000);
  });

  it('what B stored in L1 while its subscription was down is forgotten when it is back', async () => {
    const t = await redisTestCache(url);
    const [a, b] = (await instances(t, [{}, {}])) as [LayeredCache, LayeredCache];
    const admin = new Redis(url);
    try {
      const bus = (b as unknown as { bus: RedisInvalidationBus }).bus;
      await killSubscriber(admin, bus.connectionName);
      await vi.waitFor(() => expect(bus.live).toBe(false), { timeout: 5000 });
      await b.set('k', 'from B', OPTIONS); // during the gap: B's L1 takes it
      await a.set('k', 'from A', OPTIONS); // later, and B never hears of it
      await vi.waitFor(() => expect(bus.live).toBe(true), { timeout: 10_000 });
      expect(await b.get('k')).toBe('from A');
      expect(await b.getOrLoad('k', async () => 'loaded', OPTIONS)).toBe('from A');
    } finally {
      admin.disconnect();
      await Promise.all([a.close(), b.close()]);
      await t.dispose();
    }
  });

  it('maxStalenessMs > 0: reads within the window reuse the last barrier, later ones send a new one', async () => {
    const t = await redisTestCache(url);
    let now = 0;
    const [a, b] = (await instances(t, [{}, { maxStalenessMs: 100, elapsedMs: () => now }])) as [
      LayeredCache,
      LayeredCache,
    ];
    try {
      await b.getOrLoad('k', async () => 'v', OPTIONS); // first barrier, sent at 0
      const barriers = b.layerStats().bus.barriers;
      now = 100;
      expect(await b.getOrLoad('k', async () => 'x', OPTIONS)).toBe('v'); // trusted without a barrier
      expect(b.layerStats().bus.barriers).toBe(barriers);
      await a.invalidateTag('listing:1');
      now = 101; // the window has passed: this read waits for a barrier, which the invalidation precedes
      expect(await b.getOrLoad('k', async () => 'new', OPTIONS)).toBe('new');
      expect(b.layerStats().bus.barriers).toBe(barriers + 1);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await t.dispose();
    }
  });
});

describe.skipIf(!RedisServerProcess.available())('LayeredCache when Redis stops and comes back', () => {
  it('keeps serving from the loader, reports unhealthy, never serves stale data, and recovers', async () => {
    const server = await RedisServerProcess.start();
    const keyPrefix = `cbtest:layered:${randomBytes(4).toString('hex')}:`;
    const make = (instanceId: string) =>
      createLayeredRedisCache({ url: server.url, keyPrefix, instanceId, onError: () => {} });
    const a = await make('a');
    const b = await make('b');
    try {
      let row = 'v1';
      let loads = 0;
      const load = async () => {
        loads++;
        return row;
      };
      expect(await b.getOrLoad('listing:1', load, OPTIONS)).toBe('v1');
      expect(await b.getOrLoad('listing:1', load, OPTIONS)).toBe('v1');
      expect(b.layerStats().l1.hits).toBe(1);
      expect([a.healthy, b.healthy]).toEqual([true, true]);

      await server.stop();
      await vi.waitFor(() => expect([a.healthy, b.healthy]).toEqual([false, false]), { timeout: 10_000 });
      expect(b.health()).toEqual({
        ok: false,
        detail: expect.stringContaining('invalidation subscription down'),
      });
      row = 'v2';
      await a.invalidateTag('listing:1'); // lost everywhere but in A's L1
      const before = loads;
      expect(await b.getOrLoad('listing:1', load, OPTIONS)).toBe('v2'); // L1 skipped, L2 down: loader
      expect(await a.getOrLoad('listing:1', load, OPTIONS)).toBe('v2');
      expect(loads).toBe(before + 2);

      await server.resume();
      await vi.waitFor(
        async () => {
          await a.get('probe');
          await b.get('probe');
          expect([a.healthy, b.healthy]).toEqual([true, true]);
        },
        { timeout: 15_000, interval: 200 },
      );
      expect(b.health()).toEqual({ ok: true });
      row = 'v3';
      await a.invalidateTag('listing:1');
      expect(await b.getOrLoad('listing:1', load, OPTIONS)).toBe('v3');
      const hits = b.layerStats().l1.hits;
      expect(await b.getOrLoad('listing:1', load, OPTIONS)).toBe('v3');
      expect(b.layerStats().l1.hits).toBe(hits + 1); // L1 is in use again
    } finally {
      await Promise.all([a.close(), b.close()]);
      await server.stop();
    }
  }, 40_000);
});

describe.skipIf(!RedisServerProcess.available())('LayeredCache when Redis hangs', () => {
  it('times out instead of stalling, serves from the loader, and is consistent once Redis answers again', async () => {
    const server = await RedisServerProcess.start();
    const keyPrefix = `cbtest:layered:${randomBytes(4).toString('hex')}:`;
    const make = (instanceId: string) =>
      createLayeredRedisCache({
        url: server.url,
        keyPrefix,
        instanceId,
        commandTimeoutMs: 300,
        onError: () => {},
      });
    const a = await make('a');
    const b = await make('b');
    try {
      let row = 'v1';
      const load = async () => row;
      expect(await b.getOrLoad('listing:1', load, OPTIONS)).toBe('v1');
      expect(await b.getOrLoad('listing:1', load, OPTIONS)).toBe('v1');
      expect(b.layerStats().l1.hits).toBe(1);

      server.pause(); // connections stay open; nothing is answered
      row = 'v2';
      await a.invalidateTag('listing:1'); // resolves after its timeouts, unhealthy
      expect(a.healthy).toBe(false);
      expect(await b.getOrLoad('listing:1', load, OPTIONS)).toBe('v2'); // barrier fails: not from L1
      expect(b.layerStats().bus.barrierFailures).toBeGreaterThanOrEqual(1);

      server.unpause(); // Redis now runs what was queued, A's invalidation and broadcast first
      await vi.waitFor(
        async () => {
          expect(await b.getOrLoad('listing:1', load, OPTIONS)).toBe('v2');
          await a.get('probe');
          expect([a.healthy, b.healthy]).toEqual([true, true]);
        },
        { timeout: 15_000, interval: 200 },
      );
      row = 'v3';
      await a.invalidateTag('listing:1');
      expect(await b.getOrLoad('listing:1', load, OPTIONS)).toBe('v3');
      const hits = b.layerStats().l1.hits;
      expect(await b.getOrLoad('listing:1', load, OPTIONS)).toBe('v3');
      expect(b.layerStats().l1.hits).toBe(hits + 1);
    } finally {
      server.unpause();
      await Promise.all([a.close(), b.close()]);
      await server.stop();
    }
  }, 40_000);
});

async function killSubscriber(admin: Redis, name: string): Promise<void> {
  const list = (await admin.client('LIST')) as string;
  const line = list.split('\n').find((l) => l.includes(` name=${name} `));
  const id = line?.match(/\bid=(\d+)/)?.[1];
  if (!id) throw new Error(`no connection named ${name}`);
  await admin.client('KILL', 'ID', id);
}
