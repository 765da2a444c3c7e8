import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { CacheHarness } from '../../src/adapters/cache/cache.contract';
import { RedisCache } from '../../src/adapters/cache/redis';

/**
 * Test support: finds the test Redis and makes caches on it under a random key prefix, removing
 * their keys afterwards (never FLUSHDB: other suites share the server).
 */
const DEFAULT_URL = 'redis://127.0.0.1:6379';
let probe: Promise<string> | undefined;

/**
 * The URL of a reachable Redis (`CAREBOOK_TEST_REDIS_URL`, default 127.0.0.1:6379), or '' when it
 * is unreachable, after a loud banner. With CI set an unreachable Redis throws instead.
 */
export function redisTestUrl(): Promise<string> {
  probe ??= findRedis(process.env.CAREBOOK_TEST_REDIS_URL ?? DEFAULT_URL);
  return probe;
}

async function findRedis(url: string): Promise<string> {
  const client = quickClient(url);
  let cause: Error | undefined;
  client.on('error', (err: Error) => {
    cause ??= err;
  });
  try {
    await client.connect();
    await client.ping();
    return url;
  } catch (err) {
    const reason = (cause ?? (err instanceof Error ? err : new Error(String(err)))).message;
    if (process.env.CI) {
      throw new Error(`Redis is required when CI is set but ${url} is unreachable: ${reason}`);
    }
    const bar = '='.repeat(78);
    console.warn(
      `\n${bar}\n  REDIS IS NOT REACHABLE — THE REDIS CACHE SUITES ARE SKIPPED\n  tried ${url}: ${reason}\n` +
        `  start it (../shared/SERVICES.md) or set CAREBOOK_TEST_REDIS_URL; CI makes this fatal\n${bar}\n`,
    );
    return '';
  } finally {
    client.disconnect();
  }
}

/** A client that never queues or retries, for probes and for pointing at dead ports. */
export function quickClient(url: string): Redis {
  const client = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 1000,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  return client;
}

export interface RedisTestCache extends CacheHarness {
  cache: RedisCache;
  prefix: string;
  /** Another RedisCache on the same prefix and server: a second API instance. */
  twin(): RedisCache;
  /** Every key under the prefix with its remaining TTL in ms (-1: none). */
  keys(): Promise<Map<string, number>>;
}

export async function redisTestCache(url: string): Promise<RedisTestCache> {
  const prefix = `cbtest:cache:${randomBytes(6).toString('hex')}:`;
  const admin = new Redis(url, { lazyConnect: true });
  await admin.connect();
  const cache = await RedisCache.connect({ url, keyPrefix: prefix });
  const caches = [cache];
  const keys = async () => {
    const found = new Map<string, number>();
    for await (const batch of admin.scanStream({ match: `${prefix}*`, count: 500 })) {
      for (const key of batch as string[]) found.set(key, await admin.pttl(key));
    }
    return found;
  };
  return {
    cache,
    prefix,
    twin: () => {
      const twin = new RedisCache({ client: admin.duplicate(), keyPrefix: prefix, ownsClient: true });
      caches.push(twin);
      return twin;
    },
    keys,
    elapse: (ms) => new Promise((resolve) => setTimeout(resolve, ms + 200)),
    dispose: async () => {
      await Promise.all(caches.map((cache) => cache.close()));
      const left = [...(await keys()).keys()];
      if (left.length > 0) await admin.unlink(...left);
      await admin.quit();
    },
  };
}
