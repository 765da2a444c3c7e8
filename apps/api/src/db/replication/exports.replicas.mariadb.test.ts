import type { Booking, CalendarFeed, PracticeSchedule } from '@carebook/contracts';
import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, inject, it, onTestFinished } from 'vitest';
import { buildTestApp, type TestApp, testConfig } from '../../../test/support/app';
import { at, book, type Practice, practice, signIn, WED_0900_NY } from '../../../test/support/bookings';
import type { FreshDatabases } from '../../../test/support/databases';
import { bearer, expectProblem } from '../../../test/support/http';
import { MariadbReplication } from '../../../test/support/mariadb-replication';
import type { Databases } from '../../container';
import { closeDatabases, migrateAll, openDatabases } from '../open-databases';
import type { Replication } from './replication';

/**
 * Exports and the practice schedule's past on real MariaDB replication (the run's own primary
 * and GTID replica, test/support/mariadb-replication.ts): calendar feeds read their bookings from
 * the booking replica, their tokens from the primary; the practice schedule reads what started
 * before now from the replica and what is to come from the primary. Lag is the replica's SQL
 * thread stopped; checks run when the test calls them.
 */
const info = inject('replication');

describe.skipIf(!info)('exports and schedule history on read replicas [mariadb replication]', () => {
  let pair: MariadbReplication;
  let name: string;
  let dbs: Databases;
  let replication: Replication;
  let t: TestApp;
  let p: Practice;
  let booking: Booking;
  let release: (() => void) | undefined;

  beforeAll(async () => {
    if (!info) return;
    pair = new MariadbReplication(info);
    // The other replica suites stop and restart the same replica: one file at a time.
    release = await pair.exclusive();
    name = `cb_replx_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
    const admin = await createConnection({ uri: info.primaryUrl });
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await admin.end();
    const env = {
      DATABASE_URL: pair.url('primary', name),
      // The booking database shares the inventory's URL, so it gets the same replica.
      INVENTORY_REPLICA_URLS: pair.url('replica', name),
      REPLICA_CHECK_INTERVAL_SECONDS: '3600',
      REPLICA_MAX_LAG_SECONDS: '5',
      REPLICA_WAIT_MS: '300',
      REPLICA_READ_TIMEOUT_MS: '1500',
      DB_REPLICA_POOL_SIZE: '3',
    };
    dbs = openDatabases(testConfig(env));
    replication = dbs.replication as Replication;
    await migrateAll(dbs);
    t = await buildTestApp(dbs, env);
    p = await practice({ ...t, db: { dbs } as FreshDatabases });
    const res = await book(t.app, p.cast.patient.tokens.accessToken, {
      providerId: p.listing.id,
      serviceId: p.free,
      start: WED_0900_NY,
    });
    expect(res.statusCode, res.body).toBe(201);
    booking = res.json() as Booking;
    await caughtUp();
  }, 720_000);

  afterAll(async () => {
    try {
      await t?.app.close();
      if (dbs) await closeDatabases(dbs);
      if (info && name) {
        const admin = await createConnection({ uri: info.primaryUrl });
        await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
        await admin.end();
      }
    } finally {
      release?.();
    }
  });

  /** The replica has applied everything and the router knows it is in rotation. */
  const caughtUp = async () => {
    await pair.waitCaughtUp();
    await replication.check();
    expect(replication.status().every((s) => s.inRotation)).toBe(true);
  };
  /** Where the booking database's routed reads of `fn` went: counts per `target:reason` that changed. */
  const bookingReadsDuring = async <T>(fn: () => Promise<T>): Promise<[T, Record<string, number>]> => {
    const snapshot = () =>
      new Map(
        replication
          .reads()
          .filter((r) => r.database === 'bookings')
          .map((r) => [`${r.target}:${r.reason}`, r.count]),
      );
    const before = snapshot();
    const result = await fn();
    const changed: Record<string, number> = {};
    for (const [key, n] of snapshot())
      if (n !== (before.get(key) ?? 0)) changed[key] = n - (before.get(key) ?? 0);
    return [result, changed];
  };
  const rotate = async (token: string) => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/calendar-feed/rotate',
      headers: bearer(token),
      payload: {},
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as CalendarFeed;
  };
  const fetchFeed = (feed: CalendarFeed, consistency?: string) =>
    t.app.inject({
      url: feed.url.replace(/^https?:\/\/[^/]+/, ''),
      headers: consistency ? { 'carebook-consistency': consistency } : {},
    });
  /** The booking ids a feed lists (its events' UIDs are `<booking id>@carebook`). */
  const feedIds = async (feed: CalendarFeed, consistency?: string) => {
    const res = await fetchFeed(feed, consistency);
    expect(res.statusCode, res.body).toBe(200);
    return [...res.body.matchAll(/^UID:(.+)@carebook\r$/gm)].map((m) => m[1]);
  };

  it('serves a calendar feed from the lagging replica, the writer’s own booking by its token; links are read on the primary', async () => {
    const patient = p.cast.patient.tokens.accessToken;
    const first = await rotate(patient);
    await caughtUp();
    await pair.stopSqlThread();
    try {
      // A link replaced while the replica lags: the new one works and the old one stops at once
      // (tokens are read on the primary; the replica still has the old row).
      const feed = await rotate(patient);
      expectProblem(await fetchFeed(first), 404, 'NOT_FOUND');
      const [ids, route] = await bookingReadsDuring(() => feedIds(feed));
      expect(ids).toEqual([booking.id]);
      expect(Object.keys(route)).toEqual(['replica:replica']);

      const res = await book(t.app, patient, {
        providerId: p.listing.id,
        serviceId: p.free,
        start: at(WED_0900_NY, 2 * 24 * 60),
      });
      expect(res.statusCode, res.body).toBe(201);
      const added = res.json() as Booking;
      const consistency = res.headers['carebook-consistency'] as string;
      expect(consistency).toMatch(/bookings=0-1-\d+/);
      // A calendar app polling (no token): the lagging replica answers, without the new booking.
      const [stale, staleRoute] = await bookingReadsDuring(() => feedIds(feed));
      expect(stale).toEqual([booking.id]);
      expect(Object.keys(staleRoute)).toEqual(['replica:replica']);
      // The patient's own client echoes its token: the replica cannot reach it, the primary answers.
      const [own, ownRoute] = await bookingReadsDuring(() => feedIds(feed, consistency));
      expect(own.sort()).toEqual([booking.id, added.id].sort());
      // (reads made in parallel each waited; the request's later ones went to the primary at once)
      expect(ownRoute['primary:wait_timeout']).toBeGreaterThanOrEqual(1);
      expect(ownRoute['replica:replica']).toBeUndefined();

      // Turned off while the replica lags: the link stops at once.
      const off = await t.app.inject({
        method: 'DELETE',
        url: '/api/v1/calendar-feed',
        headers: bearer(patient),
      });
      expect(off.statusCode).toBe(204);
      expectProblem(await fetchFeed(feed), 404, 'NOT_FOUND');
    } finally {
      await pair.startSqlThread();
    }
    await caughtUp();
  });

  it('reads the practice schedule’s past from the replica and what is to come from the primary', async () => {
    const started = t.clock.now();
    t.clock.set(new Date('2026-11-26T12:00:00.000Z')); // the 25th is past, the 27th to come
    onTestFinished(() => t.clock.set(started)); // the other tests' tokens stay valid
    const owner = await signIn(t.app, p.cast.owner);
    const patient = await signIn(t.app, p.cast.patient);
    await caughtUp();
    const schedule = async (consistency?: string) => {
      const res = await t.app.inject({
        url: `/api/v1/practice/schedule?from=2026-11-23T00:00:00.000Z&to=2026-11-30T00:00:00.000Z`,
        headers: { ...bearer(owner), ...(consistency ? { 'carebook-consistency': consistency } : {}) },
      });
      expect(res.statusCode, res.body).toBe(200);
      return new Map((res.json() as PracticeSchedule).bookings.map((b) => [b.id, b.status]));
    };
    await pair.stopSqlThread();
    try {
      const done = await t.app.inject({
        method: 'POST',
        url: `/api/v1/bookings/${booking.id}/complete`,
        headers: bearer(owner),
        payload: {},
      });
      expect(done.statusCode, done.body).toBe(200);
      const consistency = done.headers['carebook-consistency'] as string;
      expect(consistency).toMatch(/bookings=0-1-\d+/);
      const res = await book(t.app, patient, {
        providerId: p.listing.id,
        serviceId: p.free,
        start: at(WED_0900_NY, 2 * 24 * 60 + 60),
      });
      expect(res.statusCode, res.body).toBe(201);
      const upcoming = (res.json() as Booking).id;
      // Without the token: the past from the lagging replica (not completed yet there), the
      // booking made a moment ago from the primary.
      const [stale, staleRoute] = await bookingReadsDuring(() => schedule());
      expect(stale.get(booking.id)).toBe('confirmed');
      expect(stale.get(upcoming)).toBe('confirmed');
      expect(Object.keys(staleRoute)).toEqual(['replica:replica']);
      // The practice's own change, by its token.
      const [own, ownRoute] = await bookingReadsDuring(() => schedule(consistency));
      expect(own.get(booking.id)).toBe('completed');
      expect(own.get(upcoming)).toBe('confirmed');
      expect(Object.keys(ownRoute)).toContain('primary:wait_timeout');
    } finally {
      await pair.startSqlThread();
    }
    await caughtUp();
    // A range wholly to come never reads a replica.
    const [, ahead] = await bookingReadsDuring(async () => {
      const res = await t.app.inject({
        url: '/api/v1/practice/schedule?from=2026-11-27T00:00:00.000Z&to=2026-11-28T00:00:00.000Z',
        headers: bearer(owner),
      });
      expect(res.statusCode, res.body).toBe(200);
    });
    expect(ahead).toEqual({});
  });

  it('bypasses a stopped replica: the feed still answers, from the primary', async () => {
    const feed = await rotate(p.cast.owner.tokens.accessToken);
    await caughtUp();
    await pair.stopReplica();
    try {
      const [ids, route] = await bookingReadsDuring(() => feedIds(feed));
      expect(ids).toContain(booking.id);
      // The first read finds the replica gone and is answered by the primary; it is out of rotation.
      expect(route['primary:replica_error']).toBeGreaterThanOrEqual(1);
      const [again, next] = await bookingReadsDuring(() => feedIds(feed));
      expect(again).toEqual(ids);
      expect(Object.keys(next)).toEqual(['primary:no_replica']);
    } finally {
      await pair.startReplica();
    }
    await caughtUp();
  }, 120_000);
});
