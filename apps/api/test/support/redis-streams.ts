import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { EventBusHarness } from '../../src/adapters/event-bus/event-bus.contract';
import {
  RedisStreamsEventBus,
  type RedisStreamsEventBusOptions,
} from '../../src/adapters/event-bus/redis-streams';

/** Short timings so leases, claims and retries happen within a test. */
export const FAST = {
  partitions: 4,
  blockMs: 200,
  leaseMs: 900,
  claimIdleMs: 600,
  retryMs: 50,
  maxRetryMs: 400,
  instanceTtlMs: 3000,
  commandTimeoutMs: 1000,
} satisfies Partial<RedisStreamsEventBusOptions>;

export interface RedisBusHarness extends EventBusHarness {
  instance(overrides?: Partial<RedisStreamsEventBusOptions>): RedisStreamsEventBus;
  prefix: string;
  admin: Redis;
  /** Every key under the prefix. */
  keys(): Promise<string[]>;
}

/**
 * Test support: buses on the test Redis under a random key prefix (so suites sharing the server
 * never meet), removed afterwards (never FLUSHDB).
 */
export async function redisBusHarness(url: string): Promise<RedisBusHarness> {
  const run = randomBytes(5).toString('hex');
  const prefix = `cbtest:bus:${run}:`;
  const admin = new Redis(url, { lazyConnect: true });
  await admin.connect();
  const buses: RedisStreamsEventBus[] = [];
  const keys = async () => {
    const found: string[] = [];
    for await (const batch of admin.scanStream({ match: `${prefix}*`, count: 500 }))
      found.push(...(batch as string[]));
    return found;
  };
  return {
    prefix,
    admin,
    keys,
    instance: (overrides = {}) => {
      const bus = new RedisStreamsEventBus({
        url,
        instanceId: `i${buses.length + 1}-${run}`,
        keyPrefix: prefix,
        ...FAST,
        ...overrides,
      });
      buses.push(bus);
      return bus;
    },
    dispose: async () => {
      await Promise.all(buses.map((bus) => bus.close()));
      const left = await keys();
      if (left.length > 0) await admin.unlink(...left);
      await admin.quit();
    },
  };
}
