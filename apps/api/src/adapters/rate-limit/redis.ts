import type { Redis } from 'ioredis';
import type { RateCounter, RateWindow } from '../../ports/rate-counter';

/**
 * One atomic step per request: INCR, and PEXPIRE when the key is new (or has lost its expiry),
 * then the count and the window's remaining milliseconds. The same script and key layout as
 * @fastify/rate-limit's Redis store, which it replaces, so counters carry over a rolling upgrade.
 */
const HIT = `
local current = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if current == 1 or ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {current, ttl}
`;

type WithHit = Redis & { carebookRateHit(key: string, windowMs: number): Promise<[number, number]> };

/**
 * Counts in Redis under `prefix`, shared by every instance that uses the same server and prefix.
 * A hit is one script call; it rejects when Redis cannot answer (no offline queue here: the
 * client is built by `rateLimitCounter` with `enableOfflineQueue: false` and a short timeout).
 */
export class RedisRateCounter implements RateCounter {
  private readonly redis: WithHit;

  constructor(
    redis: Redis,
    private readonly prefix: string,
  ) {
    if (!('carebookRateHit' in redis)) redis.defineCommand('carebookRateHit', { numberOfKeys: 1, lua: HIT });
    this.redis = redis as unknown as WithHit;
  }

  async hit(key: string, windowMs: number): Promise<RateWindow> {
    const [count, ttl] = await this.redis.carebookRateHit(this.prefix + key, windowMs);
    return { count, resetInMs: Math.min(Math.max(ttl, 1), windowMs) };
  }

  ready(waitMs = 2000): Promise<void> {
    const redis = this.redis;
    if (redis.status === 'ready') return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, waitMs);
      function done() {
        clearTimeout(timer);
        redis.off('ready', done);
        resolve();
      }
      redis.once('ready', done);
    });
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}
