import { createLayeredRedisCache } from '../../src/adapters/cache/layered-redis';

/**
 * Run as its own process by tls-redis.test.ts, so NODE_EXTRA_CA_CERTS (read by Node at start-up)
 * applies: connects the production cache to the rediss:// URL given, writes and reads a value,
 * prints "ok <value>" or the error.
 */
const url = process.argv[2] ?? '';
try {
  const cache = await createLayeredRedisCache({
    url,
    keyPrefix: 'carebook-tls-test:',
    instanceId: 'tls-test',
    l1MaxEntries: 10,
    l1TtlMs: 1000,
    maxStalenessMs: 0,
  });
  await cache.set('greeting', { hello: 'tls' }, { ttlSeconds: 30 });
  const back = await cache.get<{ hello: string }>('greeting');
  console.log(`ok ${back?.hello}`);
  await cache.close();
  process.exit(0);
} catch (err) {
  console.log(`error ${(err as Error).message}`);
  process.exit(1);
}
