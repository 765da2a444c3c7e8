import { spawn } from 'node:child_process';
import type { Booking, Listing } from '@carebook/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bucketOf } from '../src/db/shards/buckets';
import {
  type Backends,
  call,
  liveClient,
  publishedPractice,
  registerAt,
  startBackends,
  verifiedOwner,
} from './support/cluster-client';
import { type FreshDatabases, freshDatabases, mariadbAvailable } from './support/databases';
import { ApiProcess, REPO, until } from './support/processes';

type Practice = { listing: Listing; short: string; long: string };

/** `npm run shards -- <args>` as an operator runs it beside the serving instances. */
function shardsTool(
  env: Record<string, string>,
  args: string[],
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'tools/src/shards.ts', ...args], {
      cwd: REPO,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      out += c.toString();
    });
    child.on('exit', (code) => resolve({ code, out }));
  });
}

/** The next weekday (New York) after `days` days, at `hour`:00 local, as an ISO instant. */
function weekdayAt(days: number, hour: number): string {
  const d = new Date(Date.now() + days * 86_400_000);
  while (d.getUTCDay() === 0 || d.getUTCDay() === 6) d.setUTCDate(d.getUTCDate() + 1);
  const day = d.toISOString().slice(0, 10);
  // New York is UTC-5 in winter and UTC-4 in summer; 14:00 UTC is 09:00 or 10:00 there, both open.
  return `${day}T${String(hour).padStart(2, '0')}:00:00.000Z`;
}

/**
 * Issue 20 end to end: the real server on two booking databases (BOOKING_DATABASE_URLS), two
 * production-profile processes, a bucket moved to the second database by `npm run shards`, and
 * what a patient and a clinic do — book, list, be pushed, cancel, join a waitlist, export their
 * data — working across both databases, each booking on its provider's database.
 */
describe.skipIf(!mariadbAvailable())('two API instances on two booking databases', () => {
  let backends: Backends;
  let second: FreshDatabases;
  let a: ApiProcess;
  let b: ApiProcess;
  let env: Record<string, string>;
  let owner: string;
  let p: [Practice, Practice];

  beforeAll(async () => {
    backends = await startBackends();
    second = await freshDatabases('mariadb', true);
    const shards = { BOOKING_DATABASE_URLS: `${backends.db.url},${second.url}` };
    a = new ApiProcess('instance A', { ...(await backends.env('shard-a')), ...shards });
    b = new ApiProcess('instance B', { ...(await backends.env('shard-b')), ...shards });
    env = a.env;
    await Promise.all([a.start(120_000), b.start(120_000)]);
    owner = (await verifiedOwner(backends, a.url, b.url, 'shards', 'Shard Owner')).tokens.accessToken;
    const made: Practice[] = [];
    while (made.length < 2) {
      const next = await publishedPractice(a.url, owner);
      // Buckets at least two apart, so the range moved below holds the second practice only.
      if (made.every((m) => Math.abs(bucketOf(m.listing.id) - bucketOf(next.listing.id)) > 1))
        made.push(next);
    }
    p = made as [Practice, Practice];
    const bucket = bucketOf(p[1].listing.id);
    const range = bucket < 1023 ? `${bucket}-${bucket + 1}` : `${bucket - 1}-${bucket}`;
    const moved = await shardsTool(env, ['move', range, '1']);
    expect(moved.code, moved.out).toBe(0);
  }, 300_000);

  afterAll(async () => {
    const codes = await Promise.all([a?.stop(), b?.stop()]);
    await second?.drop();
    await backends?.stop();
    expect(codes).toEqual([0, 0]);
  }, 60_000);

  const rowsOn = async (db: FreshDatabases, table: 'bookings' | 'waitlist_entries') =>
    (await db.dbs.bookings.db.selectFrom(table).select(['id', 'provider_id']).execute()) as {
      id: string;
      provider_id: string;
    }[];

  it('reports both databases in readiness and in the shards tool', async () => {
    const ready = await call(a.url, 'GET', '/readyz');
    expect(ready.body.checks).toEqual(expect.arrayContaining([{ name: 'database:bookings_1', ok: true }]));
    const status = await shardsTool(env, ['status']);
    expect(status.code, status.out).toBe(0);
    expect(status.out).toMatch(/^0 .*buckets 1022\b/m);
    expect(status.out).toMatch(/^1 .*buckets 2\b/m);
  });

  it('books, lists, pushes, cancels, queues and exports across both databases', async () => {
    const patient = await registerAt(a.url, 'patient', 'Sharded Patient', backends.around.mail);
    const token = patient.tokens.accessToken;
    const live = await liveClient(b.url, owner);
    try {
      const booked: Booking[] = [];
      for (const [i, practice] of p.entries()) {
        const res = await call(i === 0 ? a.url : b.url, 'POST', '/api/v1/bookings', {
          token,
          headers: { 'idempotency-key': `shard-${i}-${Date.now()}` },
          body: {
            providerId: practice.listing.id,
            serviceId: practice.short,
            start: weekdayAt(7 + i, 15),
            reasonForVisit: 'Check-up',
            newPatient: true,
          },
        });
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        booked.push(res.body as Booking);
      }
      const [onFirst, onSecond] = booked as [Booking, Booking];
      // Each booking on its provider's database, and only there.
      const first = await rowsOn(backends.db, 'bookings');
      const secondRows = await rowsOn(second, 'bookings');
      expect(first.map((r) => r.id)).toEqual([onFirst.id]);
      expect(secondRows.map((r) => r.id)).toEqual([onSecond.id]);

      // The clinic's live view hears of the booking on the second database.
      await until('the push of the second database’s booking', async () =>
        live.messages.some((m) => m.bookingId === onSecond.id),
      );

      // Read by id and listed from either instance.
      for (const base of [a.url, b.url]) {
        for (const bk of booked) {
          const one = await call(base, 'GET', `/api/v1/bookings/${bk.id}`, { token });
          expect(one.status, JSON.stringify(one.body)).toBe(200);
          expect(one.body.providerId).toBe(bk.providerId);
        }
        const list = await call(base, 'GET', '/api/v1/bookings?pageSize=1', { token });
        expect(list.status, JSON.stringify(list.body)).toBe(200);
        expect(list.body.total).toBe(2);
        expect(list.body.items).toHaveLength(1);
        const page2 = await call(base, 'GET', '/api/v1/bookings?pageSize=1&page=2', { token });
        expect(page2.body.items).toHaveLength(1);
        expect(new Set([list.body.items[0].id, page2.body.items[0].id])).toEqual(
          new Set(booked.map((bk) => bk.id)),
        );
      }

      // Cancel on the second database from the other instance.
      const cancelled = await call(a.url, 'POST', `/api/v1/bookings/${onSecond.id}/cancel`, {
        token,
        body: { reason: 'Plans changed' },
      });
      expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
      expect(cancelled.body.status).toBe('cancelled');

      // A waitlist entry for the second database's provider lives there.
      const joined = await call(b.url, 'POST', '/api/v1/waitlist', {
        token,
        body: {
          providerId: p[1].listing.id,
          serviceId: p[1].short,
          window: {
            fromDate: weekdayAt(20, 15).slice(0, 10),
            toDate: weekdayAt(27, 15).slice(0, 10),
          },
        },
      });
      expect(joined.status, JSON.stringify(joined.body)).toBe(201);
      expect((await rowsOn(second, 'waitlist_entries')).map((r) => r.id)).toEqual([joined.body.id]);
      expect(await rowsOn(backends.db, 'waitlist_entries')).toEqual([]);
      const mine = await call(a.url, 'GET', '/api/v1/waitlist', { token });
      expect(mine.status, JSON.stringify(mine.body)).toBe(200);
      expect(JSON.stringify(mine.body)).toContain(joined.body.id);

      // The patient's export holds both bookings.
      const exported = await call(a.url, 'GET', '/api/v1/me/export', { token });
      expect(exported.status).toBe(200);
      // Both bookings, and any hold the waitlist has offered meanwhile (its window has free time).
      const all = exported.body.bookings as Booking[];
      expect(all.map((bk) => bk.id)).toEqual(expect.arrayContaining(booked.map((bk) => bk.id)));
      const onSecondDb = new Set((await rowsOn(second, 'bookings')).map((r) => r.id));
      for (const bk of all)
        expect(onSecondDb.has(bk.id), `${bk.id} on its provider's database`).toBe(
          bk.providerId === p[1].listing.id,
        );
    } finally {
      live.close();
    }
  }, 120_000);
});
