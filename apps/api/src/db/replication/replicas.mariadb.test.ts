import type { Listing } from '@carebook/contracts';
import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import { buildTestApp, type TestApp, TestClock, testConfig } from '../../../test/support/app';
import { book, practice, signIn, WED_0900_NY } from '../../../test/support/bookings';
import type { FreshDatabases } from '../../../test/support/databases';
import { bearer } from '../../../test/support/http';
import { MariadbReplication } from '../../../test/support/mariadb-replication';
import { until } from '../../../test/support/processes';
import { type Cast, castOf, listingRequests } from '../../../test/support/providers';
import type { Databases } from '../../container';
import { closeDatabases, migrateAll, openDatabases } from '../open-databases';
import type { Replication } from './replication';

/**
 * Replica reads on real MariaDB replication (the run's own primary and GTID replica,
 * test/support/mariadb-replication.ts): lag is induced by stopping the replica's SQL thread, a
 * replica outage by shutting the server down. Checks are triggered by the test (the interval is
 * an hour) so what each read sees is decided by the test, not by a timer — except where the
 * point is that the periodic check brings a replica back by itself.
 */
const info = inject('replication');

describe.skipIf(!info)('read replicas with read-your-writes [mariadb replication]', () => {
  let pair: MariadbReplication;
  let name: string;
  let dbs: Databases;
  let replication: Replication;
  let t: TestApp;
  let env: Record<string, string>;
  const lagClock = new TestClock();
  const reqs = listingRequests(
    () => t,
    () => cast,
  );
  let cast: Cast;
  let release: (() => void) | undefined;

  beforeAll(async () => {
    if (!info) return;
    pair = new MariadbReplication(info);
    // The other replica suites stop and restart the same replica: one file at a time.
    release = await pair.exclusive();
    name = `cb_repl_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
    const admin = await createConnection({ uri: info.primaryUrl });
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await admin.end();
    env = {
      DATABASE_URL: pair.url('primary', name),
      INVENTORY_REPLICA_URLS: pair.url('replica', name),
      REPLICA_CHECK_INTERVAL_SECONDS: '3600',
      REPLICA_MAX_LAG_SECONDS: '5',
      REPLICA_WAIT_MS: '300',
      REPLICA_READ_TIMEOUT_MS: '1500',
      DB_REPLICA_POOL_SIZE: '3',
    };
    dbs = openDatabases(testConfig(env), { clock: lagClock });
    replication = dbs.replication as Replication;
    await migrateAll(dbs);
    await pair.waitCaughtUp();
    await replication.check();
    t = await buildTestApp(dbs, env);
    cast = await castOf({ ...t, db: { dbs } as FreshDatabases });
    await pair.waitCaughtUp();
    await replication.check();
  }, 720_000);

  afterAll(async () => {
    await t?.app.close();
    if (dbs) await closeDatabases(dbs);
    if (info && name) {
      const admin = await createConnection({ uri: info.primaryUrl });
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.end();
    }
    release?.();
  });

  /** Where the reads of `fn` went: counts per `target:reason` that changed. */
  const routedDuring = async <T>(
    fn: () => Promise<T>,
    on: Replication = replication,
  ): Promise<[T, Record<string, number>]> => {
    const snapshot = () =>
      new Map(
        on
          .reads()
          .filter((r) => r.database === 'inventory')
          .map((r) => [`${r.target}:${r.reason}`, r.count]),
      );
    const before = snapshot();
    const result = await fn();
    const changed: Record<string, number> = {};
    for (const [key, n] of snapshot())
      if (n !== (before.get(key) ?? 0)) changed[key] = n - (before.get(key) ?? 0);
    return [result, changed];
  };
  const publicIds = async (token?: string) => {
    const res = await t.app.inject({
      url: '/api/v1/providers?pageSize=100',
      headers: token ? { 'carebook-consistency': token } : {},
    });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json().items as { id: string }[]).map((i) => i.id);
  };
  const publish = async () => {
    const listing = await reqs.publishable();
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/providers/${listing.id}/publish`,
      headers: { ...bearer(cast.owner.tokens.accessToken), 'if-match': `"${listing.version}"` },
    });
    expect(res.statusCode, res.body).toBe(200);
    const token = res.headers['carebook-consistency'];
    expect(typeof token).toBe('string');
    return { listing: res.json() as Listing, token: token as string };
  };

  it('both databases have the replica in rotation, and the config gave bookings the same replica', async () => {
    // A read writes nothing: no token comes back.
    const read = await t.app.inject({ url: '/api/v1/providers' });
    expect(read.headers['carebook-consistency']).toBeUndefined();
    expect(replication.status().map((s) => [s.database, s.inRotation])).toEqual([
      ['inventory', true],
      ['bookings', true],
    ]);
  });

  it('reads its own write while the replica lags (SQL thread stopped); others may read stale', async () => {
    await pair.stopSqlThread();
    try {
      const { listing, token } = await publish();
      // Only the inventory database was written: the token names its primary position alone.
      expect(token).toMatch(/^inventory=0-1-\d+$/);
      // Someone without the token reads the lagging replica: the listing is not there yet.
      const [stale, staleRoute] = await routedDuring(() => publicIds());
      expect(stale).not.toContain(listing.id);
      expect(Object.keys(staleRoute)).toEqual(['replica:replica']);
      // The writer echoes its token: the replica cannot reach it in time, the primary answers
      // (the page and its total are read in parallel, so both waited).
      const [own, ownRoute] = await routedDuring(() => publicIds(token));
      expect(own).toContain(listing.id);
      expect(Object.keys(ownRoute)).toEqual(['primary:wait_timeout']);
      // Later reads in the same request would not wait again ('pinned'); a new request does.
    } finally {
      await pair.startSqlThread();
    }
    // Caught up, the replica serves the token holder again (the wait returns at once).
    await pair.waitCaughtUp();
    const { listing, token } = await publish();
    await pair.waitCaughtUp();
    const [own, ownRoute] = await routedDuring(() => publicIds(token));
    expect(own).toContain(listing.id);
    expect(Object.keys(ownRoute)).toEqual(['replica:replica']);
  });

  it('reads the FHIR directory’s listings from the replica, the publisher’s own by its token', async () => {
    const locations = async (token?: string) => {
      const res = await t.app.inject({
        url: '/fhir/R4/Location?_count=100',
        headers: token ? { 'carebook-consistency': token } : {},
      });
      expect(res.statusCode, res.body).toBe(200);
      return ((res.json().entry ?? []) as { resource: { id: string } }[]).map((e) => e.resource.id);
    };
    await pair.waitCaughtUp();
    await replication.check();
    await pair.stopSqlThread();
    try {
      const { listing, token } = await publish();
      const [stale, staleRoute] = await routedDuring(() => locations());
      expect(stale).not.toContain(listing.id);
      expect(staleRoute['replica:replica']).toBeGreaterThan(0);
      expect(staleRoute['primary:wait_timeout']).toBeUndefined();
      const [own] = await routedDuring(() => locations(token));
      expect(own).toContain(listing.id);
    } finally {
      await pair.startSqlThread();
    }
  });

  it('reads a practice’s booking history from the booking replica, its own change by its token', async () => {
    const ctx = { ...t, db: { dbs } as FreshDatabases };
    const { cast: people, listing, free } = await practice(ctx);
    const booked = await book(t.app, people.patient.tokens.accessToken, {
      providerId: listing.id,
      serviceId: free,
      start: WED_0900_NY,
    });
    expect(booked.statusCode, booked.body).toBe(201);
    const id = booked.json().id as string;
    const started = t.clock.now();
    t.clock.set(new Date('2026-11-26T12:00:00.000Z')); // the appointment is past
    onTestFinished(() => t.clock.set(started)); // the other tests' tokens stay valid
    const owner = await signIn(t.app, people.owner);
    await pair.waitCaughtUp();
    await replication.check();
    const bookingReads = () =>
      new Map(
        replication
          .reads()
          .filter((r) => r.database === 'bookings')
          .map((r) => [`${r.target}:${r.reason}`, r.count]),
      );
    const pastStatus = async (token?: string) => {
      const res = await t.app.inject({
        url: '/api/v1/bookings?when=past',
        headers: { ...bearer(owner), ...(token ? { 'carebook-consistency': token } : {}) },
      });
      expect(res.statusCode, res.body).toBe(200);
      return (res.json().items as { id: string; status: string }[]).find((b) => b.id === id)?.status;
    };
    await pair.stopSqlThread();
    try {
      const done = await t.app.inject({
        method: 'POST',
        url: `/api/v1/bookings/${id}/complete`,
        headers: bearer(owner),
        payload: {},
      });
      expect(done.statusCode, done.body).toBe(200);
      const token = done.headers['carebook-consistency'] as string;
      expect(token).toMatch(/bookings=0-1-\d+/);
      const before = bookingReads().get('replica:replica') ?? 0;
      expect(await pastStatus()).toBe('confirmed'); // the lagging replica, read without the token
      expect(bookingReads().get('replica:replica')).toBeGreaterThan(before);
      const waited = bookingReads();
      expect(await pastStatus(token)).toBe('completed'); // the practice's own change
      // The first reads waited and gave up; the request's later reads went to the primary at once.
      const after = bookingReads();
      const changed = [...after].filter(([k, n]) => n !== (waited.get(k) ?? 0)).map(([k]) => k);
      expect(changed.sort()).toEqual(['primary:pinned', 'primary:wait_timeout']);
    } finally {
      await pair.startSqlThread();
    }
    // Upcoming bookings never come from a replica.
    const before = bookingReads();
    await t.app.inject({ url: '/api/v1/bookings?when=upcoming', headers: bearer(owner) });
    expect(bookingReads()).toEqual(before);
  });

  it('measures lag, takes a lagging replica out of rotation and puts it back once caught up', async () => {
    const metric = async (family: string) => {
      const text = (await t.app.inject({ url: '/metrics' })).body;
      const line = text
        .split('\n')
        .find((l) => l.startsWith(`${family}{`) && l.includes('database="inventory"'));
      return Number(line?.split(' ').at(-1));
    };
    await pair.stopSqlThread();
    try {
      await publish();
      await replication.check(); // the primary's new position is first seen now
      lagClock.advance(30_000);
      await replication.check();
      expect(await metric('carebook_db_replica_lag_seconds')).toBe(30);
      expect(await metric('carebook_db_replica_behind_transactions')).toBeGreaterThan(0);
      expect(await metric('carebook_db_replica_in_rotation')).toBe(0);
      const ready = (await t.app.inject({ url: '/readyz' })).json();
      expect(ready.status).toBe('ready'); // the test app has no replica soft check; the monitor has:
      const [inventory] = await Promise.all(replication.readiness().map((r) => r.check()));
      expect(inventory?.ok).toBe(false);
      expect(inventory?.detail).toMatch(/replication stopped.*pool 3/);
      // Out of rotation: reads go to the primary without waiting.
      const [, route] = await routedDuring(() => publicIds());
      expect(Object.keys(route)).toEqual(['primary:no_replica']);
    } finally {
      await pair.startSqlThread();
    }
    // The relay marks the publication's event relayed (a write of its own) when it gets to it:
    // drained first, so the replica has caught up with everything when it is checked.
    await t.services.relay.drain();
    await pair.waitCaughtUp();
    await replication.check();
    expect(await metric('carebook_db_replica_lag_seconds')).toBe(0);
    expect(await metric('carebook_db_replica_behind_transactions')).toBe(0);
    expect(await metric('carebook_db_replica_in_rotation')).toBe(1);
  });

  it('bypasses a stopped replica without failing a request, and the periodic check brings it back', async () => {
    // A second set of handles whose own timer checks every second: nobody calls check() on it.
    const watched = openDatabases(testConfig({ ...env, REPLICA_CHECK_INTERVAL_SECONDS: '1' }));
    const watchedReplication = watched.replication as Replication;
    try {
      await until('the watched replica is in rotation', async () =>
        watchedReplication.status().every((s) => s.inRotation),
      );
      const { listing } = await publish();
      await pair.waitCaughtUp();
      const [served, route] = await routedDuring(() => publicIds());
      expect(served).toContain(listing.id);
      expect(Object.keys(route)).toEqual(['replica:replica']);
      await pair.stopReplica();
      // A booking history read (no fallback of its own in the service) finds the replica gone.
      const bookingErrors = () =>
        replication.reads().find((r) => r.database === 'bookings' && r.reason === 'replica_error')?.count ??
        0;
      const errorsBefore = bookingErrors();
      const history = await t.app.inject({
        url: '/api/v1/bookings?when=past',
        headers: bearer(cast.owner.tokens.accessToken),
      });
      expect(history.statusCode, history.body).toBe(200);
      expect(bookingErrors()).toBeGreaterThan(errorsBefore);
      // Out of rotation since that failure (both databases share the server): the primary
      // answers without trying it; none fails.
      const [, outage] = await routedDuring(async () => {
        for (let i = 0; i < 5; i++) expect(await publicIds()).toContain(listing.id);
      });
      expect(Object.keys(outage)).toEqual(['primary:no_replica']);
      expect(replication.status().find((s) => s.database === 'inventory')?.inRotation).toBe(false);
      await until('the watched replica is out of rotation', async () =>
        watchedReplication.status().every((s) => !s.inRotation),
      );
      await pair.startReplica();
      await until(
        'the watched replica is back in rotation by itself',
        async () => watchedReplication.status().every((s) => s.inRotation),
        60_000,
      );
    } finally {
      await closeDatabases(watched);
    }
    await replication.check();
    const [, back] = await routedDuring(() => publicIds());
    expect(Object.keys(back)).toEqual(['replica:replica']);
  }, 120_000);

  it('gives up on a hung replica: reads and checks end, the primary answers, and it comes back once it answers', async () => {
    // Handles of their own: a fresh pool, with no connection left over from the restart above.
    const own = openDatabases(testConfig(env), { clock: lagClock });
    const ownReplication = own.replication as Replication;
    const count = async () => {
      const row = await (own.inventoryRead as Databases['inventory']).db
        .selectFrom('providers')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    };
    const inventoryState = () => ownReplication.status().find((s) => s.database === 'inventory');
    try {
      await ownReplication.check();
      const [listings, warm] = await routedDuring(count, ownReplication);
      expect(warm).toEqual({ 'replica:replica': 1 });
      await pair.freezeReplica();
      try {
        // The open connection reaches a server that never answers: the read is abandoned after
        // REPLICA_READ_TIMEOUT_MS and the primary answers it.
        const [same, hung] = await routedDuring(count, ownReplication);
        expect(same).toBe(listings);
        expect(hung).toEqual({ 'replica:replica': 1, 'primary:replica_timeout': 1 });
        expect(inventoryState()?.inRotation).toBe(false);
        // Out of rotation: the next read does not try it.
        const [, after] = await routedDuring(count, ownReplication);
        expect(after).toEqual({ 'primary:no_replica': 1 });
        // The app's own handles meet the hung replica too: a booking history read still answers.
        const history = await t.app.inject({
          url: '/api/v1/bookings?when=past',
          headers: bearer(cast.owner.tokens.accessToken),
        });
        expect(history.statusCode, history.body).toBe(200);
        // A health check of the hung replica ends too (a hung check would block every later one).
        await ownReplication.check();
        expect(inventoryState()?.inRotation).toBe(false);
        expect(inventoryState()?.detail).toMatch(/no answer within 1500 ms/);
      } finally {
        pair.thawReplica();
      }
      await until('the thawed replica is back in rotation', async () => {
        await ownReplication.check();
        return inventoryState()?.inRotation === true;
      });
      const [, back] = await routedDuring(count, ownReplication);
      expect(back).toEqual({ 'replica:replica': 1 });
    } finally {
      await closeDatabases(own);
    }
  }, 120_000);
});
