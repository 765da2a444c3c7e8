import type { Booking } from '@carebook/contracts';
import { Kysely, type KyselyPlugin, Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app';
import { at, book, type Ctx, type Practice, practice, WED_0900_NY } from '../../../test/support/bookings';
import { type FreshDatabases, freshDatabases, mariadbAvailable } from '../../../test/support/databases';
import { bearer, register } from '../../../test/support/http';
import { type TwoBookingDatabases, twoBookingDatabases } from '../../../test/support/two-booking-databases';
import { isBucketMoving } from '../../lib/db-errors';
import { newId } from '../../lib/ids';
import { dialectFor } from '../database';
import { migrateToLatest } from '../migrate';
import { migrationSets } from '../migrations';
import type { InventoryDatabase } from '../schema';
import { BucketMap } from './bucket-map';
import { type MoveStep, moveBucket } from './bucket-move';
import { bucketOf } from './buckets';

const DAY = 24 * 60;
// Instances of one deployment share its key-encryption key.
const ENV = { ENCRYPTION_KEYS: `test-kek:${Buffer.alloc(32, 9).toString('base64')}` };

/** A new provider in `bucket`: a copy of the practice's listing and services under a fresh id. */
async function listingInBucket(
  inventory: Kysely<InventoryDatabase>,
  from: Practice,
  bucket: number,
): Promise<{ id: string; free: string }> {
  let id = newId();
  while (bucketOf(id) !== bucket) id = newId();
  const listing = await inventory
    .selectFrom('providers')
    .selectAll()
    .where('id', '=', from.listing.id)
    .executeTakeFirstOrThrow();
  await inventory
    .insertInto('providers')
    .values({ ...listing, id })
    .execute();
  let free = '';
  const services = await inventory
    .selectFrom('provider_services')
    .selectAll()
    .where('provider_id', '=', from.listing.id)
    .execute();
  for (const service of services) {
    const copy = newId();
    if (service.id === from.free) free = copy;
    await inventory
      .insertInto('provider_services')
      .values({ ...service, id: copy, provider_id: id })
      .execute();
  }
  return { id, free };
}

for (const dialect of ['sqlite', 'mariadb'] as const) {
  describe.skipIf(dialect === 'mariadb' && !mariadbAvailable())(`bucket move [${dialect}]`, () => {
    let first: FreshDatabases;
    let second: FreshDatabases;
    let databases: TwoBookingDatabases;
    let a: TestApp;
    let practices: Practice[];
    let patient: string;
    const shard = (i: 0 | 1) => (i === 0 ? first : second).dbs.bookings.db;

    beforeAll(async () => {
      databases = await twoBookingDatabases(dialect);
      ({ first, second } = databases);
      a = await buildTestApp(databases.dbs, ENV);
      const ctx = { ...a, db: first } as Ctx;
      practices = [];
      // Three practices in three buckets, all on database 0 (an empty map).
      while (practices.length < 3) {
        const next = await practice(ctx);
        if (practices.every((m) => bucketOf(m.listing.id) !== bucketOf(next.listing.id)))
          practices.push(next);
      }
      patient = (await register(a.app)).tokens.accessToken;
    });
    afterAll(async () => {
      await a?.app.close();
      await databases?.drop();
    });

    const move = (bucket: number, afterStep: (step: MoveStep) => Promise<void>) =>
      moveBucket(
        {
          inventory: first.dbs.inventory.db,
          shards: [shard(0), shard(1)],
          map: new BucketMap(first.dbs.inventory.db, a.clock, 2),
          now: () => a.clock.now(),
          mapTtlMs: 0,
          afterStep,
        },
        bucket,
        1,
      );
    const bookingsOf = (i: 0 | 1, providerId: string) =>
      shard(i).selectFrom('bookings').selectAll().where('provider_id', '=', providerId).execute();
    const claimsOf = (i: 0 | 1, providerId: string) =>
      shard(i).selectFrom('booking_claims').selectAll().where('provider_id', '=', providerId).execute();
    const slot = (days: number, minutes: number) => at(WED_0900_NY, days * DAY + minutes);

    it('the database computes a provider’s bucket as the app does', async () => {
      const ids = [newId(), newId(), 'provider-1', '', 'é-ü', '日本語', 'a😀b', 'x'.repeat(200)];
      for (const id of ids) {
        const { rows } = await sql<{ b: number }>`select carebook_bucket(${id}) as b`.execute(shard(0));
        expect(Number(rows[0]?.b), id).toBe(bucketOf(id));
      }
    });

    it('a provider that joins the bucket during the move keeps what it booked on the target; a cancellation there stays', async () => {
      const pr = practices[0] as Practice;
      const bucket = bucketOf(pr.listing.id);
      const before = await book(a.app, patient, {
        providerId: pr.listing.id,
        serviceId: pr.free,
        start: slot(7, 60),
      });
      expect(before.statusCode, before.body).toBe(201);
      let late: { id: string; free: string } | undefined;
      let lateBooking: Booking | undefined;
      const report = await move(bucket, async (step) => {
        // A listing created between the copy and the switch: a provider the copy never saw.
        if (step === 'copied') late = await listingInBucket(first.dbs.inventory.db, pr, bucket);
        if (step === 'switched' && late) {
          // An instance with the new map: the late provider's booking and a cancellation on the target.
          a.services.bucketMap.forget();
          const res = await book(a.app, patient, {
            providerId: late.id,
            serviceId: late.free,
            start: slot(7, 120),
          });
          expect(res.statusCode, res.body).toBe(201);
          lateBooking = res.json() as Booking;
          const cancel = await a.app.inject({
            method: 'POST',
            url: `/api/v1/bookings/${before.json().id}/cancel`,
            headers: bearer(patient),
            payload: {},
          });
          expect(cancel.statusCode, cancel.body).toBe(200);
        }
      });
      expect(report).toMatchObject({ from: 0, to: 1 });
      const lateId = (late as { id: string }).id;
      expect((await bookingsOf(1, lateId)).map((r) => r.id)).toEqual([lateBooking?.id]);
      expect((await claimsOf(1, lateId)).length).toBeGreaterThan(0);
      expect(await bookingsOf(0, lateId)).toEqual([]);
      // The cancelled booking stays cancelled, its slot free: the source's copy came back nowhere.
      const moved = await bookingsOf(1, pr.listing.id);
      expect(moved.map((r) => [r.id, r.status])).toEqual([[before.json().id, 'cancelled']]);
      expect(await claimsOf(1, pr.listing.id)).toEqual([]);
      expect(await bookingsOf(0, pr.listing.id)).toEqual([]);
      const again = await book(a.app, patient, {
        providerId: pr.listing.id,
        serviceId: pr.free,
        start: slot(7, 60),
      });
      expect(again.statusCode, again.body).toBe(201);
      const taken = await book(a.app, patient, {
        providerId: lateId,
        serviceId: (late as { free: string }).free,
        start: slot(7, 120),
      });
      expect(taken.statusCode, taken.body).toBe(409);
      const read = await a.app.inject({
        url: `/api/v1/bookings/${lateBooking?.id}`,
        headers: bearer(patient),
      });
      expect(read.statusCode, read.body).toBe(200);
    });

    it('once the bucket is fenced, a provider new to it is refused on the source', async () => {
      const pr = practices[1] as Practice;
      const bucket = bucketOf(pr.listing.id);
      let late: { id: string; free: string } | undefined;
      await move(bucket, async (step) => {
        if (step !== 'fenced') return;
        late = await listingInBucket(first.dbs.inventory.db, pr, bucket);
        // The map still names the source: the booking is refused there, retried, and answered 503.
        a.services.bucketMap.forget();
        const res = await book(a.app, patient, {
          providerId: late.id,
          serviceId: late.free,
          start: slot(8, 60),
        });
        expect(res.statusCode, res.body).toBe(503);
        expect(res.json().code).toBe('SERVICE_UNAVAILABLE');
        const write = shard(0)
          .insertInto('booking_claims')
          .values({ provider_id: late.id, unit: 1, booking_id: newId() })
          .execute();
        await expect(write).rejects.toSatisfy(isBucketMoving);
        expect(await bookingsOf(0, late.id)).toEqual([]);
        expect(await claimsOf(0, late.id)).toEqual([]);
      });
      const lateId = (late as { id: string }).id;
      // After the move the provider books on the target; the source keeps refusing the bucket.
      a.services.bucketMap.forget();
      const res = await book(a.app, patient, {
        providerId: lateId,
        serviceId: (late as { free: string }).free,
        start: slot(8, 60),
      });
      expect(res.statusCode, res.body).toBe(201);
      expect((await bookingsOf(1, lateId)).map((r) => r.id)).toEqual([res.json().id]);
      expect(await bookingsOf(0, lateId)).toEqual([]);
      const fences = (db: 0 | 1) => shard(db).selectFrom('moved_buckets').select('bucket').execute();
      expect((await fences(0)).map((r) => Number(r.bucket))).toContain(bucket);
      expect((await fences(1)).map((r) => Number(r.bucket))).not.toContain(bucket);
    });

    it('a move that fails before the switch lifts the fence: the source keeps serving the bucket', async () => {
      const pr = practices[2] as Practice;
      const bucket = bucketOf(pr.listing.id);
      await expect(
        move(bucket, async (step) => {
          if (step === 'fenced') throw new Error('stopped by the operator');
        }),
      ).rejects.toThrow('stopped by the operator');
      a.services.bucketMap.forget();
      expect(await a.services.bucketMap.shardOf(bucket)).toBe(0);
      const res = await book(a.app, patient, {
        providerId: pr.listing.id,
        serviceId: pr.free,
        start: slot(9, 60),
      });
      expect(res.statusCode, res.body).toBe(201);
      expect((await bookingsOf(0, pr.listing.id)).map((r) => r.id)).toEqual([res.json().id]);
    });

    it('a map read begun before forget() does not bring the old map back', async () => {
      let reached!: () => void;
      let release!: () => void;
      const inRead = new Promise<void>((r) => {
        reached = r;
      });
      const held = new Promise<void>((r) => {
        release = r;
      });
      // Holds the read's answer until released (the table was already read).
      const hold: KyselyPlugin = {
        transformQuery: (args) => args.node,
        transformResult: async (args) => {
          reached();
          await held;
          return args.result;
        },
      };
      const inventory = first.dbs.inventory.db;
      const map = new BucketMap(inventory.withPlugin(hold), a.clock, 2);
      const bucket = [...Array(1024).keys()].find((b) =>
        practices.every((p) => bucketOf(p.listing.id) !== b),
      );
      const stale = map.shardOf(bucket as number);
      await inRead;
      // Meanwhile another process (the mover, over its own connection) moves the bucket, and this
      // instance is told to forget its map.
      const mover = new Kysely<InventoryDatabase>({
        dialect: dialectFor({ url: first.url, poolSize: 1, poolIdleTimeoutMs: 1000, connectTimeoutMs: 5000 })
          .dialect,
      });
      try {
        await new BucketMap(mover, a.clock, 2).assign([bucket as number], 1);
      } finally {
        await mover.destroy();
      }
      map.forget();
      release();
      await stale;
      expect(await map.shardOf(bucket as number)).toBe(1);
    });
  });
}

for (const dialect of ['sqlite', 'mariadb'] as const) {
  describe.skipIf(dialect === 'mariadb' && !mariadbAvailable())(
    `moved-buckets migration [${dialect}]`,
    () => {
      let fresh: FreshDatabases;
      beforeAll(async () => {
        fresh = await freshDatabases(dialect, false);
      });
      afterAll(async () => {
        await fresh?.drop();
      });

      it('turns the providers fenced by an earlier move into their bucket’s fence, and rolls back', async () => {
        const db = fresh.dbs.bookings.db;
        const migrator = new Migrator({
          db,
          provider: { getMigrations: async () => migrationSets.bookings },
          migrationTableName: 'kysely_migration_bookings',
          migrationLockTableName: 'kysely_migration_lock_bookings',
        });
        expect((await migrator.migrateTo('20261208T0101-moved-providers')).error).toBeUndefined();
        const fencedProvider = newId();
        const bucket = bucketOf(fencedProvider);
        let neighbour = newId();
        while (bucketOf(neighbour) !== bucket) neighbour = newId();
        let elsewhere = newId();
        while (bucketOf(elsewhere) === bucket) elsewhere = newId();
        await sql`insert into moved_providers (provider_id, bucket, moved_at)
        values (${fencedProvider}, ${bucket}, ${'2026-12-08T10:00:00.000Z'})`.execute(db);
        await migrateToLatest(db, 'bookings');
        const fences = await db.selectFrom('moved_buckets').selectAll().execute();
        expect(fences.map((f) => [Number(f.bucket), f.moved_at])).toEqual([
          [bucket, '2026-12-08T10:00:00.000Z'],
        ]);
        const claim = (provider_id: string, unit: number) =>
          db.insertInto('booking_claims').values({ provider_id, unit, booking_id: newId() }).execute();
        // The fenced provider, and one the old fence never listed in the same bucket, are refused.
        await expect(claim(fencedProvider, 1)).rejects.toSatisfy(isBucketMoving);
        await expect(claim(neighbour, 1)).rejects.toSatisfy(isBucketMoving);
        await claim(elsewhere, 1);
        expect((await migrator.migrateDown()).error).toBeUndefined();
        await claim(neighbour, 2);
        await migrateToLatest(db, 'bookings');
        await claim(neighbour, 3);
      });
    },
  );
}
