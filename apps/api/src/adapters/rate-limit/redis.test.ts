import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { redisTestUrl } from '../../../test/support/redis';
import { rateCounterContract } from './rate-counter.contract';
import { RedisRateCounter } from './redis';

const url = await redisTestUrl();

describe.skipIf(!url)('RedisRateCounter', () => {
  const fresh = () => {
    const prefix = `cbtest:rate:${randomBytes(6).toString('hex')}:`;
    const redis = new Redis(url);
    return { prefix, redis, counter: new RedisRateCounter(redis, prefix) };
  };
  rateCounterContract('redis', async () => {
    const { counter } = fresh();
    return {
      counter,
      elapse: (ms) => new Promise((r) => setTimeout(r, ms)),
      windowMs: 400,
      dispose: () => counter.close(),
    };
  });

  it('keeps its counts under its prefix, each with an expiry no longer than the window', async () => {
    const { prefix, redis, counter } = fresh();
    const admin = new Redis(url);
    try {
      await counter.hit('203.0.113.7', 60_000);
      await counter.hit('203.0.113.7', 60_000);
      expect(await admin.get(`${prefix}203.0.113.7`)).toBe('2');
      const ttl = await admin.pttl(`${prefix}203.0.113.7`);
      expect(ttl).toBeGreaterThan(50_000);
      expect(ttl).toBeLessThanOrEqual(60_000);
      // A count left without an expiry (written by hand) gets one at its next hit.
      await admin.set(`${prefix}stuck`, '5');
      expect((await counter.hit('stuck', 60_000)).count).toBe(6);
      expect(await admin.pttl(`${prefix}stuck`)).toBeGreaterThan(0);
      // Two counters on one prefix (two instances) share the count.
      const twin = new RedisRateCounter(redis, prefix);
      expect((await twin.hit('203.0.113.7', 60_000)).count).toBe(3);
    } finally {
      await admin.del(...(await admin.keys(`${prefix}*`)));
      admin.disconnect();
      await counter.close();
    }
  });

  it('rejects, without waiting long, while its server cannot be reached', async () => {
    const dead = new Redis('redis://127.0.0.1:1', {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      lazyConnect: true,
      retryStrategy: () => null,
    });
    dead.on('error', () => {});
    const counter = new RedisRateCounter(dead, 'x:');
    await counter.ready(100);
    await expect(Promise.resolve(counter.hit('a', 1000))).rejects.toThrow();
    await counter.close();
  });
});
