import { LayeredCache } from './layered';
import { RedisCache } from './redis';
import { RedisInvalidationBus } from './redis-invalidation-bus';
import { ResilientCache } from './resilient';

export interface LayeredRedisCacheOptions {
  /** CACHE_URL (redis:// or rediss://). */
  url: string;
  /** Key prefix of the shared cache; the invalidation channel is `<prefix>invalidations`. */
  keyPrefix: string;
  /** This instance's id (the same one that holds job leases is fine). */
  instanceId: string;
  /** L1 entries, default 1000. */
  l1MaxEntries?: number;
  /** L1 lifetime cap in ms, default 5000. */
  l1TtlMs?: number;
  /** 0 (default) keeps the port's guarantee exactly; see LayeredCacheOptions. */
  maxStalenessMs?: number;
  /**
   * A Redis command unanswered this long fails (and `ResilientCache` turns it into a miss), so a
   * hung Redis, not only a refused one, degrades instead of stalling requests. Default 1000.
   */
  commandTimeoutMs?: number;
  onError?: (err: unknown, operation: string) => void;
}

/**
 * The production cache: an in-process L1 in front of Redis (wrapped in `ResilientCache`, so an
 * outage degrades to the loader), with invalidations broadcast over Redis pub/sub. Rejects at
 * start-up if Redis is unreachable, like `RedisCache.connect`.
 */
export async function createLayeredRedisCache(options: LayeredRedisCacheOptions): Promise<LayeredCache> {
  const { url, keyPrefix, instanceId, onError } = options;
  const commandTimeout = options.commandTimeoutMs ?? 1000;
  const redis = await RedisCache.connect({ url, keyPrefix, redis: { commandTimeout } });
  const l2 = new ResilientCache(redis, onError ? { onError } : {});
  const bus = new RedisInvalidationBus({
    url,
    channel: `${keyPrefix}invalidations`,
    origin: instanceId,
    barrierTimeoutMs: Math.min(500, commandTimeout),
    redis: { commandTimeout },
  });
  try {
    return await LayeredCache.create({
      l2,
      bus,
      ...(options.l1MaxEntries === undefined ? {} : { l1MaxEntries: options.l1MaxEntries }),
      ...(options.l1TtlMs === undefined ? {} : { l1TtlMs: options.l1TtlMs }),
      ...(options.maxStalenessMs === undefined ? {} : { maxStalenessMs: options.maxStalenessMs }),
      ...(onError ? { onError } : {}),
    });
  } catch (err) {
    await Promise.all([bus.close(), l2.close()]);
    throw err;
  }
}
