import type { FastifyBaseLogger } from 'fastify';
import { Redis } from 'ioredis';
import type { ResilienceConfig } from '../../config/resilience';

export interface RateLimitStore {
  /** Spread into @fastify/rate-limit's options. */
  options: { redis?: Redis; nameSpace?: string; skipOnError: boolean };
  /** Resolves once connected, or after `waitMs` if Redis is not there (start-up never blocks on it). */
  ready(waitMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Where @fastify/rate-limit keeps its counters. With a Redis URL every instance counts in the same
 * keys, so a limit holds across instances (its Redis store: one Lua INCR+PEXPIRE per request).
 * When Redis is down a request is let through (`skipOnError`) rather than failed or held: the
 * client never queues commands while offline and gives up on a command quickly, so the limiter
 * adds at most ~`commandTimeout` to a request during an outage, then nothing once ioredis knows
 * the connection is gone.
 */
export function rateLimitStore(config: ResilienceConfig, log: FastifyBaseLogger): RateLimitStore {
  if (config.rateLimitStoreUrl === 'memory')
    return { options: { skipOnError: true }, ready: async () => undefined, close: async () => undefined };
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
  return {
    options: { redis, nameSpace: config.rateLimitKeyPrefix, skipOnError: true },
    // Without this the first requests after start-up would pass unlimited while connecting.
    ready: (waitMs = 2000) =>
      redis.status === 'ready'
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, waitMs);
            redis.once('ready', () => {
              clearTimeout(timer);
              resolve();
            });
          }),
    close: async () => {
      redis.disconnect();
    },
  };
}
