import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app';
import { type FreshDatabases, freshDatabases } from '../../../test/support/databases';
import { RedisServer } from '../../../test/support/processes';
import { redisTestUrl } from '../../../test/support/redis';

/**
 * The rate limit is shared by instances through Redis (adapters/rate-limit/redis.ts), and
 * when Redis is down requests go through instead of failing or hanging. Not a database suite: one
 * SQLite database serves both instances.
 */
const redisUrl = await redisTestUrl();

describe.skipIf(!redisUrl)('rate limits shared through Redis', () => {
  const prefix = `carebook-test:rate-limit:${randomBytes(6).toString('hex')}:`;
  let db: FreshDatabases;
  let a: TestApp;
  let b: TestApp;
  let own: RedisServer;
  let c: TestApp;

  beforeAll(async () => {
    db = await freshDatabases('sqlite');
    const env = { RATE_LIMIT_PER_MINUTE: '6', RATE_LIMIT_STORE_URL: redisUrl, RATE_LIMIT_KEY_PREFIX: prefix };
    a = await buildTestApp(db.dbs, env);
    b = await buildTestApp(db.dbs, env);
    own = await RedisServer.start();
    c = await buildTestApp(db.dbs, { ...env, RATE_LIMIT_STORE_URL: own.url });
  });
  afterAll(async () => {
    await Promise.all([a?.app.close(), b?.app.close(), c?.app.close()]);
    await own?.halt();
    const cleanup = new Redis(redisUrl);
    const keys = await cleanup.keys(`${prefix}*`);
    if (keys.length > 0) await cleanup.del(...keys);
    cleanup.disconnect();
    await db?.drop();
  });

  const hit = (t: TestApp) => t.app.inject({ method: 'GET', url: '/healthz', remoteAddress: '203.0.113.7' });

  it('one client gets the limit once across two instances, not once per instance', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await hit(i % 2 === 0 ? a : b)).statusCode);
    expect(statuses.slice(0, 6)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(statuses.slice(6)).toEqual([429, 429]);
    const refused = await hit(b);
    expect(refused.headers['retry-after']).toBeDefined();
    expect(refused.json()).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    // Another client has its own budget.
    const other = await a.app.inject({ method: 'GET', url: '/healthz', remoteAddress: '203.0.113.8' });
    expect(other.statusCode).toBe(200);
  });

  it('counts in Redis under the configured prefix', async () => {
    const client = new Redis(redisUrl);
    const keys = await client.keys(`${prefix}*`);
    client.disconnect();
    expect(keys.length).toBeGreaterThanOrEqual(2);
  });

  it('lets requests through, without errors, while Redis is down, and limits again once it is back', async () => {
    for (let i = 0; i < 6; i++) expect((await hit(c)).statusCode).toBe(200);
    expect((await hit(c)).statusCode).toBe(429);
    await own.halt();
    const during: number[] = [];
    for (let i = 0; i < 10; i++) during.push((await hit(c)).statusCode);
    expect(during.every((s) => s === 200)).toBe(true);
    await own.resume(); // empty: the window starts over
    let statuses: number[] = [];
    for (let attempt = 0; attempt < 100 && !statuses.includes(429); attempt++) {
      statuses = [];
      for (let i = 0; i < 7; i++) statuses.push((await hit(c)).statusCode);
      if (!statuses.includes(429)) await new Promise((r) => setTimeout(r, 100));
    }
    expect(statuses).toContain(429);
  });
});
