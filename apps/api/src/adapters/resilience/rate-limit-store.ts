import type { FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';
import type { ResilienceConfig } from '../../config/resilience';
import type { RateCounter } from '../../ports/rate-counter';
import { MemoryRateCounter } from '../rate-limit/memory';
import { RedisRateCounter } from '../rate-limit/redis';

/**
 * Where the rate limit counts. With a Redis URL every instance counts in the same keys, so a limit
 * holds across instances (one script call per request). When Redis is down a request is let
 * through (http/rate-limit.ts) rather than failed or held: the client never queues commands while
 * offline and gives up on a command quickly, so the limiter adds at most ~`commandTimeout` to a
 * request during an outage, then nothing once ioredis knows the connection is gone.
 */
export function rateLimitCounter(config: ResilienceConfig, log: FastifyBaseLogger): RateCounter {
  if (config.rateLimitStoreUrl === 'memory') return new MemoryRateCounter();
  const redis = new Redis(config.rateLimitStoreUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: 1000,
    commandTimeout: 250,
    lazyConnect: false,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  let down = false;
  redis.on('error', (err) => {
    if (!down)
      log.warn({ err }, 'rate-limit store unreachable: requests are not rate-limited until it returns');
    down = true;
  });
  redis.on('ready', () => {
    if (down) log.info('rate-limit store reachable again');
    down = false;
  });
  return new RedisRateCounter(redis, config.rateLimitKeyPrefix);
}
