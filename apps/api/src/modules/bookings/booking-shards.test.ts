import type { Booking } from '@carebook/contracts';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app';
import { at, book, type Ctx, type Practice, practice, WED_0900_NY } from '../../../test/support/bookings';
import { type FreshDatabases, mariadbAvailable } from '../../../test/support/databases';
import { bearer, register } from '../../../test/support/http';
import { type TwoBookingDatabases, twoBookingDatabases } from '../../../test/support/two-booking-databases';
import { BucketMap } from '../../db/shards/bucket-map';
import { moveBucket } from '../../db/shards/bucket-move';
import { bucketOf, bucketOfId } from '../../db/shards/buckets';

const DAY = 24 * 60;
const ACTIVE = ['pending', 'payment_pending', 'confirmed', 'in_progress'] as const;
// Instances of one deployment share its key-encryption key.
const ENV = { ENCRYPTION_KEYS: `test-kek:${Buffer.alloc(32, 9).toString('base64')}` };

/** The n-th weekday after Wednesday 25 November 2026 (the listings are closed at weekends). */
function weekdayOffset(n: number): number {
  let offset = 0;
  for (let found = 0; found < n; ) {
    offset++;
    const weekday = (3 + offset) % 7;
    if (weekday !== 0 && weekday !== 6) found++;
  }
  return offset;
}

for (const dialect of ['sqlite', 'mariadb'] as const) {
  describe.skipIf(dialect === 'mariadb' && !mariadbAvailable())(`booking shards [${dialect}]`, () => {
    let first: FreshDatabases;
    let second: FreshDatabases;
    let databases: TwoBookingDatabases;
    let a: TestApp;
    let b: TestApp;
    let p: [Practice, Practice];
    let shardOf: Map<string, number>;
    const all = () => [first.dbs.bookings.db, second.dbs.bookings.db] as const;

    beforeAll(async () => {
      databases = await twoBookingDatabases(dialect);
      ({ first, second } = databases);
      a = await buildTestApp(databases.dbs, ENV);
      const ctx = { ...a, db: first } as Ctx;
      const made: Practice[] = [];
      while (made.length < 2) {
        const next = await practice(ctx);
        if (made.every((m) => bucketOf(m.listing.id) !== bucketOf(next.listing.id))) made.push(next);
      }
      p = made as [Practice, Practice];
      // B starts once the listings are published: the instances have a bus each here, so B's
      // relay could hand B a listing's creation, B cache the draft, and never hear of its
      // publication (relayed to A's bus) — in production both instances share one bus.
      b = await buildTestApp(databases.dbs, ENV);
      // The first provider's bucket on database 0, the second's on database 1 (both instances).
      for (const app of [a, b]) {
        await app.services.bucketMap.assign([bucketOf(p[0].listing.id)], 0);
        await app.services.bucketMap.assign([bucketOf(p[1].listing.id)], 1);
      }
      shardOf = new Map([
        [p[0].listing.id, 0],
        [p[1].listing.id, 1],
      ]);
    });
    afterAll(async () => {
      await a?.app.close();
      await b?.app.close();
      await databases?.drop();
    });

    const rowsOn = (shard: 0 | 1) =>
      all()
        [shard].selectFrom('bookings')
        .select(['id', 'provider_id', 'patient_id', 'status', 'block_start_at', 'block_end_at', 'start_at'])
        .execute();

    it('random overlapping bookings from two instances leave no overlap on any shard, each on its provider’s shard', async () => {
      const patients = (await Promise.all(Array.from({ length: 6 }, () => register(a.app)))).map(
        (r) => r.tokens.accessToken,
      );
      let day = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({
              instance: fc.nat(1),
              provider: fc.nat(1),
              slot: fc.integer({ min: 1, max: 27 }),
              patient: fc.nat(5),
            }),
            { minLength: 2, maxLength: 14 },
          ),
          async (attempts) => {
            day++;
            const base = at(WED_0900_NY, weekdayOffset(day) * DAY);
            const results = await Promise.all(
              attempts.map((x) => {
                const pr = p[x.provider] as Practice;
                return book((x.instance ? b : a).app, patients[x.patient] as string, {
                  providerId: pr.listing.id,
                  serviceId: pr.paid,
                  start: at(base, x.slot * 15),
                });
              }),
            );
            for (const r of results) {
              expect([201, 409], r.body).toContain(r.statusCode);
              if (r.statusCode === 409) expect(r.json().code).toBe('SLOT_TAKEN');
            }
            const created = results.filter((r) => r.statusCode === 201).map((r) => r.json() as Booking);
            for (const shard of [0, 1] as const) {
              const rows = (await rowsOn(shard))
                .filter((r) => (ACTIVE as readonly string[]).includes(r.status))
                .filter((r) => r.start_at >= base && r.start_at < at(base, 12 * 60))
                .sort((x, y) => (x.block_start_at < y.block_start_at ? -1 : 1));
              for (const r of rows) expect(shardOf.get(r.provider_id)).toBe(shard);
              const mine = created.filter((c) => shardOf.get(c.providerId) === shard).map((c) => c.id);
              expect(rows.map((r) => r.id).sort()).toEqual(mine.sort());
              for (let i = 1; i < rows.length; i++) {
                const [prev, cur] = [rows[i - 1], rows[i]] as [(typeof rows)[number], (typeof rows)[number]];
                if (prev.provider_id === cur.provider_id)
                  expect(prev.block_end_at <= cur.block_start_at).toBe(true);
              }
            }
            // A booking id carries its provider's bucket; reads and commands find it from either instance.
            for (const c of created) expect(bucketOfId(c.id)).toBe(bucketOf(c.providerId));
            const one = created[0];
            if (one) {
              const token = patients[attempts[results.findIndex((r) => r.statusCode === 201)]?.patient ?? 0];
              const read = await b.app.inject({
                method: 'GET',
                url: `/api/v1/bookings/${one.id}`,
                headers: bearer(token as string),
              });
              expect(read.statusCode, read.body).toBe(200);
            }
            expect(created.length).toBeGreaterThanOrEqual(1);
          },
        ),
        { numRuns: 10 },
      );
    });

    it('a patient’s list across shards pages in order with the right total, no duplicates or gaps', async () => {
      const patient = await register(a.app);
      const h = bearer(patient.tokens.accessToken);
      const base = at(WED_0900_NY, weekdayOffset(12) * DAY);
      const made: string[] = [];
      // Interleaved in time over both shards, booked through both instances.
      for (let i = 0; i < 11; i++) {
        const pr = p[i % 3 === 0 ? 0 : 1];
        const res = await book((i % 2 ? a : b).app, patient.tokens.accessToken, {
          providerId: pr.listing.id,
          serviceId: pr.free,
          start: at(base, (i % 2 ? 7 * DAY : 0) + 60 + i * 15),
        });
        expect(res.statusCode, res.body).toBe(201);
        made.push(res.json().id);
      }
      const onShard = await Promise.all(
        [0, 1].map(async (s) => (await rowsOn(s as 0 | 1)).filter((r) => r.patient_id === patient.user.id)),
      );
      expect(onShard[0]?.length).toBeGreaterThan(0);
      expect(onShard[1]?.length).toBeGreaterThan(0);
      const expected = [...(onShard[0] ?? []), ...(onShard[1] ?? [])]
        .sort((x, y) =>
          x.start_at === y.start_at ? (x.id < y.id ? -1 : 1) : x.start_at < y.start_at ? -1 : 1,
        )
        .map((r) => r.id);
      for (const app of [a, b]) {
        const seen: string[] = [];
        for (let page = 1; page <= 4; page++) {
          const res = await app.app.inject({
            method: 'GET',
            url: `/api/v1/bookings?page=${page}&pageSize=4`,
            headers: h,
          });
          expect(res.statusCode, res.body).toBe(200);
          const body = res.json() as { items: Booking[]; total: number };
          expect(body.total).toBe(11);
          expect(body.items.length).toBe(page < 3 ? 4 : page === 3 ? 3 : 0);
          seen.push(...body.items.map((x) => x.id));
        }
        expect(seen).toEqual(expected);
        expect(new Set(seen)).toEqual(new Set(made));
      }
    });

    it('a practice whose listing is on the second database sees its bookings in its schedule', async () => {
      const from = at(WED_0900_NY, weekdayOffset(12) * DAY - 60);
      const to = at(from, 10 * DAY);
      const res = await a.app.inject({
        url: '/api/v1/practice/schedule',
        query: { from, to },
        headers: bearer(p[1].cast.owner.tokens.accessToken),
      });
      expect(res.statusCode, res.body).toBe(200);
      const shown = (res.json() as { bookings: { id: string }[] }).bookings.map((x) => x.id).sort();
      const stored = (await rowsOn(1))
        .filter((r) => r.provider_id === p[1].listing.id && r.start_at >= from && r.start_at < to)
        .map((r) => r.id)
        .sort();
      expect(stored.length).toBeGreaterThan(0);
      expect(shown).toEqual(stored);
    });

    it('moving a bucket under booking load from two instances loses and doubles nothing', async () => {
      const pr = p[0];
      const bucket = bucketOf(pr.listing.id);
      const patients = (await Promise.all(Array.from({ length: 4 }, () => register(a.app)))).map(
        (r) => r.tokens.accessToken,
      );
      const base = at(WED_0900_NY, weekdayOffset(14) * DAY);
      const slots = [0, 1].flatMap((d) =>
        Array.from({ length: 27 }, (_, i) => at(base, weekdayOffset(d) * DAY + (i + 1) * 15)),
      );
      const before = await rowsOn(1);
      let move: Promise<Awaited<ReturnType<typeof moveBucket>>> | undefined;
      let moving = false;
      const outcomes: { status: number; id?: string; code?: string; token: string; duringMove: boolean }[] =
        [];
      let next = 0;
      const worker = async (w: number) => {
        while (next < slots.length) {
          const start = slots[next++] as string;
          if (outcomes.length === 6 && !move) {
            moving = true;
            move = moveBucket(
              {
                inventory: first.dbs.inventory.db,
                shards: [first.dbs.bookings.db, second.dbs.bookings.db],
                map: new BucketMap(first.dbs.inventory.db, a.clock, 2),
                now: () => a.clock.now(),
                mapTtlMs: 0,
              },
              bucket,
              1,
            ).finally(() => {
              moving = false;
            });
          }
          const during = moving;
          const res = await book((w % 2 ? a : b).app, patients[w] as string, {
            providerId: pr.listing.id,
            serviceId: pr.free,
            start,
          });
          outcomes.push({
            status: res.statusCode,
            id: res.json().id,
            code: res.json().code,
            token: patients[w] as string,
            duringMove: during || moving,
          });
        }
      };
      await Promise.all([0, 1, 2, 3].map(worker));
      const report = await move;
      expect(report?.from).toBe(0);
      expect(report?.to).toBe(1);
      for (const o of outcomes) {
        // A booking refused while its bucket was fenced past the retries says so: 503, try again.
        expect([201, 503], JSON.stringify(o)).toContain(o.status);
        if (o.status === 503) expect(o.code).toBe('SERVICE_UNAVAILABLE');
      }
      const made = outcomes.filter((o) => o.status === 201).map((o) => o.id as string);
      expect(outcomes.filter((o) => o.status === 201 && o.duringMove).length).toBeGreaterThan(0);
      // Nothing of the provider is left on the source; on the target each booking exactly once.
      expect((await rowsOn(0)).filter((r) => r.provider_id === pr.listing.id)).toEqual([]);
      const moved = (await rowsOn(1)).filter((r) => r.provider_id === pr.listing.id);
      const movedBefore = before.filter((r) => r.provider_id === pr.listing.id);
      expect(movedBefore).toEqual([]);
      const ids = moved.map((r) => r.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const id of made) expect(ids).toContain(id);
      const inLoad = moved.filter((r) => slots.includes(r.start_at));
      expect(inLoad.map((r) => r.id).sort()).toEqual([...made].sort());
      // The claims moved with them (the slot is still taken), and the booking reads from both instances.
      const won = outcomes.find((o) => o.status === 201) as (typeof outcomes)[number];
      const taken = moved.find((r) => r.id === won.id) as (typeof moved)[number];
      const again = await book(a.app, patients[0] as string, {
        providerId: pr.listing.id,
        serviceId: pr.free,
        start: taken.start_at,
      });
      expect(again.statusCode, again.body).toBe(409);
      expect(again.json().code).toBe('SLOT_TAKEN');
      for (const app of [a, b]) {
        const res = await app.app.inject({
          method: 'GET',
          url: `/api/v1/bookings/${won.id}`,
          headers: bearer(won.token),
        });
        expect(res.statusCode, res.body).toBe(200);
      }
      expect(report?.rows.bookings).toBeLessThanOrEqual(moved.length);
      expect(report?.rows.bookings).toBeGreaterThan(0);
    });
  });
}
