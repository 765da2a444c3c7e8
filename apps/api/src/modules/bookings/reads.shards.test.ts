import type { AuthResult, Booking, ModerationPage, Review, ReviewPage } from '@carebook/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app';
import {
  at,
  book,
  type Ctx,
  type Practice,
  practice,
  signIn,
  WED_0900_NY,
} from '../../../test/support/bookings';
import { type FreshDatabases, mariadbAvailable } from '../../../test/support/databases';
import { type BundleOf, fhirBody } from '../../../test/support/fhir';
import { bearer, register } from '../../../test/support/http';
import { type TwoBookingDatabases, twoBookingDatabases } from '../../../test/support/two-booking-databases';
import { EmbeddedSearchIndex } from '../../adapters/search/embedded';
import { bucketOf, bucketOfId } from '../../db/shards/buckets';
import { demoAccounts } from '../accounts/demo-accounts';
import { rebuildSearchIndex } from '../search/rebuild';

// Instances of one deployment share its key-encryption key.
const ENV = { ENCRYPTION_KEYS: `test-kek:${Buffer.alloc(32, 9).toString('base64')}` };
const DAY = 24 * 60;

/**
 * Reads that go past the bookings front, over two booking databases (docs/scaling.md, "Reads past
 * the front"). The second practice's bucket is on the second database, so a read of the first
 * database alone misses it.
 */
for (const dialect of ['sqlite', 'mariadb'] as const) {
  describe.skipIf(dialect === 'mariadb' && !mariadbAvailable())(
    `reads across booking shards [${dialect}]`,
    () => {
      let first: FreshDatabases;
      let second: FreshDatabases;
      let databases: TwoBookingDatabases;
      let a: TestApp;
      let p: [Practice, Practice];
      let patient: AuthResult;
      const visits: Booking[] = [];
      const reviews: Review[] = [];
      const token: Record<'patient' | 'owner1' | 'admin', string> = { patient: '', owner1: '', admin: '' };

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
        await a.services.bucketMap.assign([bucketOf(p[0].listing.id)], 0);
        await a.services.bucketMap.assign([bucketOf(p[1].listing.id)], 1);
        patient = await register(a.app, { displayName: 'Ada Augusta Lovelace' });
        // Visits alternating between the databases: p0, p1, p0, p1.
        for (let i = 0; i < 4; i++) {
          const pr = p[i % 2] as Practice;
          const res = await book(a.app, patient.tokens.accessToken, {
            providerId: pr.listing.id,
            serviceId: pr.free,
            start: at(WED_0900_NY, Math.floor(i / 2) * 15),
          });
          expect(res.statusCode, res.body).toBe(201);
          visits.push(res.json() as Booking);
        }
        const onSecond = await second.dbs.bookings.db.selectFrom('bookings').select('id').execute();
        expect(onSecond.map((r) => r.id).sort()).toEqual([visits[1]?.id, visits[3]?.id].sort());
        // The visits took place; every database's lifecycle job completes its own.
        a.clock.set(new Date(Date.parse(WED_0900_NY) + 60 * 60_000));
        let completed = 0;
        for (const shard of a.services.bookingShards) completed += (await shard.lifecycle.tick()).completed;
        expect(completed).toBe(4);
        token.patient = await signIn(a.app, patient);
        token.owner1 = await signIn(a.app, p[1].cast.owner);
        const admin = demoAccounts.find((x) => x.role === 'admin');
        token.admin = await signIn(a.app, p[0].cast.admin, admin?.password);
      });
      afterAll(async () => {
        await a?.app.close();
        await databases?.drop();
      });

      const get = (url: string, who: string) => a.app.inject({ url, headers: bearer(who) });
      const post = (url: string, who: string, payload: object) =>
        a.app.inject({ method: 'POST', url, headers: bearer(who), payload });

      it('a review is written on its booking’s database and read, replied to, listed and hidden from there', async () => {
        for (const [i, visit] of visits.entries()) {
          a.clock.advance(60_000);
          const res = await post(`/api/v1/bookings/${visit.id}/review`, token.patient, {
            rating: i + 2,
            text: `Visit ${i}`,
          });
          expect(res.statusCode, res.body).toBe(201);
          reviews.push(res.json() as Review);
        }
        const [r0, r1, r2, r3] = reviews as [Review, Review, Review, Review];
        const idsOn = async (d: FreshDatabases) =>
          (await d.dbs.bookings.db.selectFrom('reviews').select('id').execute()).map((r) => r.id).sort();
        expect(await idsOn(first)).toEqual([r0.id, r2.id].sort());
        expect(await idsOn(second)).toEqual([r1.id, r3.id].sort());
        // A review's id carries its listing's bucket, as a booking's does.
        expect(bucketOfId(r1.id)).toBe(bucketOf(p[1].listing.id));

        const mine = await get(`/api/v1/bookings/${visits[3]?.id}/review`, token.patient);
        expect(mine.statusCode, mine.body).toBe(200);
        expect((mine.json() as Review).id).toBe(r3.id);

        const listing = await a.app.inject({ url: `/api/v1/providers/${p[1].listing.id}/reviews` });
        expect(listing.statusCode, listing.body).toBe(200);
        const page = listing.json() as ReviewPage;
        expect(page.total).toBe(2);
        expect(page.summary.count).toBe(2);
        expect(page.items.map((r) => r.id)).toEqual([r3.id, r1.id]);

        const reply = await post(`/api/v1/reviews/${r1.id}/reply`, token.owner1, { text: 'Thank you' });
        expect(reply.statusCode, reply.body).toBe(200);
        expect((reply.json() as Review).reply?.text).toBe('Thank you');

        // The admins' list over both databases: newest first, paged, with the total of both.
        const listed: string[] = [];
        for (const n of [1, 2, 3]) {
          const res = await get(`/api/v1/admin/reviews?page=${n}&pageSize=3`, token.admin);
          expect(res.statusCode, res.body).toBe(200);
          const body = res.json() as ModerationPage;
          expect(body.total).toBe(4);
          listed.push(...body.items.map((r) => r.id));
          expect(body.items.length).toBe(n === 1 ? 3 : n === 2 ? 1 : 0);
        }
        expect(listed).toEqual([r3.id, r2.id, r1.id, r0.id]);

        const hidden = await post(`/api/v1/admin/reviews/${r3.id}/hide`, token.admin, {
          reason: 'Off topic',
        });
        expect(hidden.statusCode, hidden.body).toBe(200);
        const after = (
          await a.app.inject({ url: `/api/v1/providers/${p[1].listing.id}/reviews` })
        ).json() as ReviewPage;
        expect(after.items.map((r) => r.id)).toEqual([r1.id]);
        expect(after.summary).toEqual({ average: 3, count: 1 });
        // Search's ratings (merged from both databases) agree with the listing.
        const ratings = await a.services.ratings.ratingsOf([p[0].listing.id, p[1].listing.id]);
        expect(ratings.get(p[1].listing.id)).toEqual({ average: 3, count: 1 });
        expect(ratings.get(p[0].listing.id)?.count).toBe(2);
      });

      it('FHIR finds the patients and appointments of a practice on the second database', async () => {
        const own = patient.user.id;
        const patients = fhirBody<BundleOf>(await get('/fhir/R4/Patient', token.owner1), 200, 'Bundle');
        expect(patients.total).toBe(1);
        expect(patients.entry?.map((e) => e.resource.id)).toEqual([own]);
        fhirBody(await get(`/fhir/R4/Patient/${own}`, token.owner1), 200, 'Patient');
        const appt = fhirBody<{ id: string }>(
          await get(`/fhir/R4/Appointment/${visits[1]?.id}`, token.patient),
          200,
          'Appointment',
        );
        expect(appt.id).toBe(visits[1]?.id);
        const all = fhirBody<BundleOf>(
          await get('/fhir/R4/Appointment?_count=3', token.patient),
          200,
          'Bundle',
        );
        expect(all.total).toBe(4);
        expect(all.entry?.length).toBe(3);
        const theirs = fhirBody<BundleOf>(await get('/fhir/R4/Appointment', token.owner1), 200, 'Bundle');
        expect(theirs.entry?.map((e) => e.resource.id).sort()).toEqual([visits[1]?.id, visits[3]?.id].sort());

        // The bulk-publish manifest is as of the latest booking change, here one on the second database.
        a.clock.advance(5 * 60_000);
        const booked = await book(a.app, token.patient, {
          providerId: p[1].listing.id,
          serviceId: p[1].free,
          start: at(WED_0900_NY, 7 * DAY),
        });
        expect(booked.statusCode, booked.body).toBe(201);
        const manifest = await a.app.inject({ url: '/fhir/$bulk-publish' });
        expect(manifest.statusCode, manifest.body).toBe(200);
        expect((manifest.json() as { transactionTime: string }).transactionTime).toBe(
          (booked.json() as Booking).updatedAt,
        );
      });

      it('the search rebuild replays listings whose bookings changed on the second database', async () => {
        // Past the replay margin of everything before: only this booking changed since.
        a.clock.advance(60 * 60_000);
        const res = await book(a.app, await signIn(a.app, patient), {
          providerId: p[1].listing.id,
          serviceId: p[1].free,
          start: at(WED_0900_NY, 7 * DAY + 60),
        });
        expect(res.statusCode, res.body).toBe(201);
        const rebuilt = await rebuildSearchIndex(
          first.dbs.inventory.db,
          new EmbeddedSearchIndex(),
          a.services.busyTime,
          a.services.ratings,
          a.clock,
          { force: true, bookingsDbs: [first.dbs.bookings.db, second.dbs.bookings.db] },
        );
        expect(rebuilt.count).toBeGreaterThanOrEqual(2);
        expect(rebuilt.replayed).toBe(1);
      });

      it('/metrics reports the outbox of every booking database, labelled by database', async () => {
        const text = (await a.app.inject({ url: '/metrics' })).body;
        for (const database of ['inventory', 'bookings', 'bookings_1']) {
          expect(text).toMatch(new RegExp(`carebook_outbox_backlog_events\\{database="${database}"\\} \\d+`));
        }
        // MariaDB pools: the second database has its own.
        if (dialect === 'mariadb')
          expect(text).toMatch(/carebook_db_pool_connections\{database="bookings_1"/);
      });
    },
  );
}
