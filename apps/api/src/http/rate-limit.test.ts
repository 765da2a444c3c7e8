import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/support/app';
import { type FreshDatabases, freshDatabases } from '../../test/support/databases';
import { clientKey } from './rate-limit';

/** The API's rate limit in one process (the memory counter); shared-rate-limit.test.ts covers Redis. */
describe('rate limit', () => {
  let db: FreshDatabases;
  let t: TestApp;
  beforeAll(async () => {
    db = await freshDatabases('sqlite');
    t = await buildTestApp(db.dbs, { RATE_LIMIT_PER_MINUTE: '3', RATE_LIMIT_STORE_URL: 'memory' });
  });
  afterAll(async () => {
    await t?.app.close();
    await db?.drop();
  });
  const get = (url: string, remoteAddress: string) => t.app.inject({ method: 'GET', url, remoteAddress });

  it('answers within the limit with its three headers, then 429 TOO_MANY_REQUESTS with retry-after', async () => {
    const answers = [];
    for (let i = 0; i < 5; i++) answers.push(await get('/healthz', '203.0.113.20'));
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 429, 429]);
    expect(answers.map((a) => a.headers['x-ratelimit-remaining'])).toEqual(['2', '1', '0', '0', '0']);
    for (const a of answers) {
      expect(a.headers['x-ratelimit-limit']).toBe('3');
      const reset = Number(a.headers['x-ratelimit-reset']);
      expect(reset).toBeGreaterThanOrEqual(59);
      expect(reset).toBeLessThanOrEqual(60);
    }
    const refused = answers[3];
    expect(refused?.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(refused?.headers['retry-after']).toBe(refused?.headers['x-ratelimit-reset']);
    expect(refused?.headers['x-content-type-options']).toBe('nosniff');
    expect(refused?.headers['x-request-id']).toBeTruthy();
    expect(refused?.json()).toMatchObject({
      status: 429,
      code: 'TOO_MANY_REQUESTS',
      retryAfterSeconds: Number(refused?.headers['retry-after']),
    });
  });

  it('counts per client address, across routes', async () => {
    expect((await get('/healthz', '203.0.113.21')).statusCode).toBe(200);
    expect((await get('/readyz', '203.0.113.21')).statusCode).toBe(200);
    expect((await get('/api/v1/search?q=x', '203.0.113.21')).statusCode).toBe(200);
    expect((await get('/healthz', '203.0.113.21')).statusCode).toBe(429);
    // Another address, and an IPv6 one, have their own budget.
    expect((await get('/healthz', '203.0.113.22')).statusCode).toBe(200);
    expect((await get('/healthz', '2001:db8::22')).statusCode).toBe(200);
  });

  it('leaves /metrics out, and counts a route with its own limit apart from the global one', async () => {
    const ip = '127.0.0.1';
    for (let i = 0; i < 3; i++) expect((await get('/healthz', ip)).statusCode).toBe(200);
    expect((await get('/healthz', ip)).statusCode).toBe(429);
    const metrics = await get('/metrics', ip);
    expect(metrics.statusCode).toBe(200);
    expect(metrics.headers['x-ratelimit-limit']).toBeUndefined();
    // The availability stream has its own budget (per minute), untouched by the global one.
    const stream = await get('/api/v1/availability/stream?listings=nope', ip);
    expect(stream.statusCode).toBe(400);
    expect(Number(stream.headers['x-ratelimit-limit'])).toBeGreaterThan(3);
  });

  it('shares one budget across the addresses of an IPv6 /64', async () => {
    const statuses = [];
    for (const host of ['1', '2', 'ffff:ffff:3', 'abcd'])
      statuses.push((await get('/healthz', `2001:db8:5:6::${host}`)).statusCode);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect((await get('/healthz', '2001:db8:5:7::1')).statusCode).toBe(200);
  });

  it('never answers an unknown route with a limit: a 404 is not counted', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await get('/no/such/route', '203.0.113.23');
      expect(res.statusCode).toBe(404);
      expect(res.headers['x-ratelimit-limit']).toBeUndefined();
    }
    expect((await get('/healthz', '203.0.113.23')).statusCode).toBe(200);
  });
});

describe('clientKey', () => {
  it('counts IPv4 as it is, IPv4-mapped IPv6 as its IPv4, and IPv6 by its /64', () => {
    expect(clientKey('203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('::ffff:203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('::FFFF:203.0.113.7')).toBe('203.0.113.7');
    expect(clientKey('2001:db8:1:2:3:4:5:6')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:DB8:1:2::abcd')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
    expect(clientKey('::')).toBe('0:0:0:0::/64');
    expect(clientKey('64:ff9b::198.51.100.1')).toBe('64:ff9b::198.51.100.1');
    expect(clientKey('::198.51.100.1')).toBe('::198.51.100.1');
    expect(clientKey('::FFFF:0:198.51.100.1')).toBe('::ffff:0:198.51.100.1');
  });

  it('gives every address of one /64 the same key and the next /64 another', () => {
    const keys = new Set(
      Array.from({ length: 50 }, (_, i) => clientKey(`2001:db8:aa:bb:${i.toString(16)}::${i + 1}`)),
    );
    expect([...keys]).toEqual(['2001:db8:aa:bb::/64']);
    expect(clientKey('2001:db8:aa:bc::1')).not.toBe(clientKey('2001:db8:aa:bb::1'));
  });

  it('counts what is not an address as it is, and no address as no-ip', () => {
    expect(clientKey(undefined)).toBe('no-ip');
    expect(clientKey('')).toBe('no-ip');
    for (const odd of ['1::2::3', 'zz::1', '1:2:3:4:5:6:7:8:9', '1:2:3', 'unix:/tmp/s'])
      expect(clientKey(odd)).toBe(odd);
  });
});
