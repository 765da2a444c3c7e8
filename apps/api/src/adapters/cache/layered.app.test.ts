import { randomBytes } from 'node:crypto';
import type { Listing } from '@carebook/contracts';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TestClock, testConfig } from '../../../test/support/app';
import { book, type Ctx, practice, signIn, WED_0900_NY } from '../../../test/support/bookings';
import { type FreshDatabases, freshDatabases } from '../../../test/support/databases';
import { bearer } from '../../../test/support/http';
import { listingInput } from '../../../test/support/providers';
import { RedisServerProcess } from '../../../test/support/redis-server';
import { buildApp } from '../../app';
import type { LayeredCache } from './layered';
import { createLayeredRedisCache } from './layered-redis';

/**
 * Two API instances on one database, each with the production cache (L1 + Redis L2 + pub/sub) on
 * a private redis-server that the test stops and starts: issue 7 item 9.
 */
describe.skipIf(!RedisServerProcess.available())('two API instances with the layered Redis cache', () => {
  let server: RedisServerProcess;
  let db: FreshDatabases;
  const apps: { app: FastifyInstance; cache: LayeredCache; t: Ctx }[] = [];

  beforeAll(async () => {
    server = await RedisServerProcess.start();
    db = await freshDatabases('sqlite');
    const keyPrefix = `cbtest:app:${randomBytes(4).toString('hex')}:`;
    const clock = new TestClock();
    for (const instanceId of ['a', 'b']) {
      const cache = await createLayeredRedisCache({
        url: server.url,
        keyPrefix,
        instanceId,
        onError: () => {},
      });
      // Instances of one deployment share its key-encryption key.
      const config = testConfig({ ENCRYPTION_KEYS: `shared-kek:${Buffer.alloc(32, 4).toString('base64')}` });
      const { app, services } = await buildApp(config, { dbs: db.dbs, clock, cache });
      await app.ready();
      apps.push({ app, cache, t: { app, services, clock, config, db } });
    }
  }, 30_000);

  afterAll(async () => {
    for (const { app } of apps) await app.close();
    await Promise.all(apps.map(({ cache }) => cache.close()));
    await server?.stop();
    await db?.drop();
  });

  it('serves fresh listings across instances, keeps serving and booking correctly while Redis is down, and recovers', async () => {
    const [a, b] = apps as [(typeof apps)[0], (typeof apps)[0]];
    const { cast, listing, paid } = await practice(a.t);
    const owner = bearer(cast.owner.tokens.accessToken);
    let version = listing.version;
    const rename = async (name: string) => {
      const res = await a.app.inject({
        method: 'PUT',
        url: `/api/v1/providers/${listing.id}`,
        headers: { ...owner, 'if-match': `"${version}"` },
        payload: listingInput({ name }),
      });
      expect(res.statusCode, res.body).toBe(200);
      version = (res.json() as Listing).version;
    };
    const nameOnB = async () => {
      const res = await b.app.inject({ method: 'GET', url: `/api/v1/providers/${listing.id}` });
      expect(res.statusCode, res.body).toBe(200);
      return (res.json() as Listing).name;
    };

    const servedFromL1 = async () => {
      const before = b.cache.layerStats().l1.hits;
      const name = await nameOnB();
      expect(b.cache.layerStats().l1.hits).toBe(before + 1);
      return name;
    };
    // Once the relays have delivered the set-up's events (each one invalidates), B reads from L1.
    await vi.waitFor(async () => expect(await servedFromL1()).toBe(listing.name), { timeout: 10_000 });
    await rename('Dr. Renamed Once');
    expect(await nameOnB()).toBe('Dr. Renamed Once'); // A invalidated before answering

    await server.stop();
    await vi.waitFor(() => expect([a.cache.healthy, b.cache.healthy]).toEqual([false, false]), {
      timeout: 10_000,
    });
    await rename('Dr. Renamed During The Outage');
    expect(await nameOnB()).toBe('Dr. Renamed During The Outage');
    const patient = await signIn(a.app, cast.patient);
    const first = await book(b.app, patient, { providerId: listing.id, serviceId: paid, start: WED_0900_NY });
    expect(first.statusCode, first.body).toBe(201);
    const second = await book(a.app, patient, {
      providerId: listing.id,
      serviceId: paid,
      start: WED_0900_NY,
    });
    expect(second.statusCode).toBe(409);
    expect(second.json().code).toBe('SLOT_TAKEN');

    await server.resume();
    await vi.waitFor(
      async () => {
        expect(await nameOnB()).toBe('Dr. Renamed During The Outage');
        await a.cache.get('probe');
        expect([a.cache.healthy, b.cache.healthy]).toEqual([true, true]);
      },
      { timeout: 15_000, interval: 200 },
    );
    await rename('Dr. Renamed After');
    expect(await nameOnB()).toBe('Dr. Renamed After');
    await vi.waitFor(async () => expect(await servedFromL1()).toBe('Dr. Renamed After'), { timeout: 10_000 });
  }, 60_000);
});
