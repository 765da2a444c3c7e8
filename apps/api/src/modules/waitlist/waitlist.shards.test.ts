import type { AuthResult, Booking, WaitlistEntry } from '@carebook/contracts';
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
import { bearer, register } from '../../../test/support/http';
import { type TwoBookingDatabases, twoBookingDatabases } from '../../../test/support/two-booking-databases';
import { bucketOf, bucketOfId } from '../../db/shards/buckets';

// Instances of one deployment share its key-encryption key.
const ENV = { ENCRYPTION_KEYS: `test-kek:${Buffer.alloc(32, 9).toString('base64')}` };
const FRI_0900_NY = at(WED_0900_NY, 2 * 24 * 60); // Friday 27 November 2026, 09:00 New York
const MORNING = { fromDate: '2026-11-27', toDate: '2026-11-27', dayPart: 'morning' as const };
// Saturday 28 November 2026: the listings are closed, so such an entry only waits.
const SATURDAY = { fromDate: '2026-11-28', toDate: '2026-11-28' };

for (const dialect of ['sqlite', 'mariadb'] as const) {
  describe.skipIf(dialect === 'mariadb' && !mariadbAvailable())(
    `waitlist on booking shards [${dialect}]`,
    () => {
      let first: FreshDatabases;
      let second: FreshDatabases;
      let databases: TwoBookingDatabases;
      let a: TestApp;
      // p0's bucket is on database 0, p1's on database 1.
      let p0: Practice;
      let p1: Practice;
      // p1's Friday morning, fully booked by the first test.
      const fillers: Booking[] = [];
      let filler: string;
      const dbOf = (shard: 0 | 1) => (shard === 0 ? first : second).dbs.bookings.db;

      beforeAll(async () => {
        databases = await twoBookingDatabases(dialect);
        ({ first, second } = databases);
        a = await buildTestApp(databases.dbs, ENV);
        const ctx = { ...a, db: first } as Ctx;
        p0 = await practice(ctx);
        do p1 = await practice(ctx);
        while (bucketOf(p1.listing.id) === bucketOf(p0.listing.id));
        await a.services.bucketMap.assign([bucketOf(p0.listing.id)], 0);
        await a.services.bucketMap.assign([bucketOf(p1.listing.id)], 1);
      });
      afterAll(async () => {
        await a?.app.close();
        await databases?.drop();
      });

      /** Every database's outbox relayed until nothing is left (the matcher runs on the events). */
      async function settle(): Promise<void> {
        for (;;) {
          let moved = 0;
          for (const part of a.services.bookingShards) moved += await part.relay.drain();
          if (moved === 0) return;
        }
      }

      const join = (token: string, p: Practice, body: Record<string, unknown>) =>
        a.app.inject({
          method: 'POST',
          url: '/api/v1/waitlist',
          headers: bearer(token),
          payload: { providerId: p.listing.id, serviceId: p.free, ...body },
        });
      const mine = async (token: string) => {
        const res = await a.app.inject({ method: 'GET', url: '/api/v1/waitlist', headers: bearer(token) });
        expect(res.statusCode, res.body).toBe(200);
        return (res.json() as { items: WaitlistEntry[] }).items;
      };
      const offerAction = (token: string, offerId: string, action: 'accept' | 'decline') =>
        a.app.inject({
          method: 'POST',
          url: `/api/v1/waitlist/offers/${offerId}/${action}`,
          headers: bearer(token),
          payload: {},
        });
      const entryRows = (shard: 0 | 1, ids: string[]) =>
        dbOf(shard).selectFrom('waitlist_entries').selectAll().where('id', 'in', ids).execute();
      const offerRows = (shard: 0 | 1, ids: string[]) =>
        dbOf(shard).selectFrom('waitlist_offers').selectAll().where('id', 'in', ids).execute();
      const bookingRows = (shard: 0 | 1, ids: string[]) =>
        dbOf(shard).selectFrom('bookings').select(['id', 'status']).where('id', 'in', ids).execute();

      it('join, match, offer and accept for a provider on database 1 happen there, nothing on database 0', async () => {
        filler = (await register(a.app)).tokens.accessToken;
        // p1's Friday morning, 09:00–12:00, fully booked.
        for (let i = 0; i < 12; i++) {
          const res = await book(a.app, filler, {
            providerId: p1.listing.id,
            serviceId: p1.free,
            start: at(FRI_0900_NY, i * 15),
          });
          expect(res.statusCode, res.body).toBe(201);
          fillers.push(res.json() as Booking);
        }
        const patient = (await register(a.app)).tokens.accessToken;
        const joined = await join(patient, p1, { window: MORNING });
        expect(joined.statusCode, joined.body).toBe(201);
        const entry = joined.json() as WaitlistEntry;
        expect(entry.status).toBe('waiting');
        expect(await entryRows(1, [entry.id])).toHaveLength(1);
        expect(await entryRows(0, [entry.id])).toHaveLength(0);
        // Its id carries the provider's bucket, as a booking's does.
        expect(bucketOfId(entry.id)).toBe(bucketOf(p1.listing.id));

        // A freed time: the cancellation's event (database 1's outbox) runs the matcher there.
        const freed = fillers[5] as Booking;
        const cancelled = await a.app.inject({
          method: 'POST',
          url: `/api/v1/bookings/${freed.id}/cancel`,
          headers: bearer(filler),
          payload: {},
        });
        expect(cancelled.statusCode, cancelled.body).toBe(200);
        await settle();
        const [offered] = await mine(patient);
        expect(offered).toMatchObject({ id: entry.id, status: 'offered' });
        const offer = offered?.offer;
        expect(offer?.start).toBe(freed.start);
        const offerId = offer?.id as string;
        const holdId = offer?.bookingId as string;
        expect(await offerRows(1, [offerId])).toHaveLength(1);
        expect(await offerRows(0, [offerId])).toHaveLength(0);
        expect(await bookingRows(1, [holdId])).toEqual([{ id: holdId, status: 'pending' }]);
        expect(await bookingRows(0, [holdId])).toEqual([]);

        const accepted = await offerAction(patient, offerId, 'accept');
        expect(accepted.statusCode, accepted.body).toBe(200);
        expect((accepted.json() as { booking: Booking }).booking).toMatchObject({
          id: holdId,
          status: 'confirmed',
          start: freed.start,
        });
        expect(await bookingRows(1, [holdId])).toEqual([{ id: holdId, status: 'confirmed' }]);
        expect((await offerRows(1, [offerId]))[0]?.status).toBe('accepted');
        expect((await entryRows(1, [entry.id]))[0]?.status).toBe('booked');
        expect(await dbOf(0).selectFrom('waitlist_entries').selectAll().execute()).toEqual([]);
        expect(await dbOf(0).selectFrom('waitlist_offers').selectAll().execute()).toEqual([]);
        expect((await mine(patient))[0]).toMatchObject({ id: entry.id, status: 'booked', offer: null });
      });

      it("a patient's entries on both databases are listed together, oldest first, and each can be left", async () => {
        const patient = (await register(a.app)).tokens.accessToken;
        const ids: string[] = [];
        for (const p of [p1, p0, p1]) {
          const res = await join(patient, p, { window: SATURDAY });
          expect(res.statusCode, res.body).toBe(201);
          ids.push((res.json() as WaitlistEntry).id);
          // Distinct creation times, so the order is the joins'.
          a.clock.advance(1000);
        }
        const [e1, e0, e1b] = ids as [string, string, string];
        expect((await entryRows(1, ids)).map((r) => r.id).sort()).toEqual([e1, e1b].sort());
        expect((await entryRows(0, ids)).map((r) => r.id)).toEqual([e0]);

        const listed = await mine(patient);
        expect(listed.map((e) => e.id)).toEqual(ids);
        expect(listed.map((e) => e.providerId)).toEqual([p1.listing.id, p0.listing.id, p1.listing.id]);
        expect(listed.every((e) => e.status === 'waiting')).toBe(true);

        // Leaving finds each entry on its own database; another patient cannot see or leave them.
        const other = (await register(a.app)).tokens.accessToken;
        expect(await mine(other)).toEqual([]);
        const refused = await a.app.inject({
          method: 'DELETE',
          url: `/api/v1/waitlist/${e1}`,
          headers: bearer(other),
        });
        expect(refused.statusCode).toBe(404);
        for (const id of [e1, e0]) {
          const left = await a.app.inject({
            method: 'DELETE',
            url: `/api/v1/waitlist/${id}`,
            headers: bearer(patient),
          });
          expect(left.statusCode, left.body).toBe(204);
        }
        expect((await entryRows(1, [e1]))[0]?.status).toBe('left');
        expect((await entryRows(0, [e0]))[0]?.status).toBe('left');
        expect((await mine(patient)).map((e) => e.id)).toEqual([e1b]);
      });

      it('"earlier than my booking" on database 1: the offer and the move are made there, in one transaction', async () => {
        const patient = (await register(a.app)).tokens.accessToken;
        const later = await book(a.app, patient, {
          providerId: p1.listing.id,
          serviceId: p1.free,
          start: at(FRI_0900_NY, 6 * 60),
        });
        expect(later.statusCode, later.body).toBe(201);
        const laterBooking = later.json() as Booking;
        const joined = await join(patient, p1, { earlierThanBookingId: laterBooking.id });
        expect(joined.statusCode, joined.body).toBe(201);
        const entry = joined.json() as WaitlistEntry;
        // An earlier time is free already: offered at once.
        expect(entry.status).toBe('offered');
        const offer = entry.offer;
        expect(Date.parse(offer?.start ?? '')).toBeLessThan(Date.parse(laterBooking.start));

        const accepted = await offerAction(patient, offer?.id as string, 'accept');
        expect(accepted.statusCode, accepted.body).toBe(200);
        const moved = (accepted.json() as { booking: Booking }).booking;
        expect(moved).toMatchObject({
          status: 'confirmed',
          start: offer?.start,
          rescheduledFrom: laterBooking.id,
        });
        const ids = [laterBooking.id, offer?.bookingId as string, moved.id];
        expect(Object.fromEntries((await bookingRows(1, ids)).map((r) => [r.id, r.status]))).toEqual({
          [laterBooking.id]: 'cancelled',
          [offer?.bookingId as string]: 'cancelled',
          [moved.id]: 'confirmed',
        });
        expect(await bookingRows(0, ids)).toEqual([]);
        expect((await offerRows(1, [offer?.id as string]))[0]?.status).toBe('accepted');
        expect((await entryRows(1, [entry.id]))[0]?.status).toBe('booked');
        expect(await dbOf(0).selectFrom('waitlist_offers').selectAll().execute()).toEqual([]);
      });

      it('an offer on database 1 that runs out (its database’s lifecycle job) or is declined goes to the next in line there', async () => {
        const [x, y] = (await Promise.all([register(a.app), register(a.app)])) as [AuthResult, AuthResult];
        for (const who of [x, y]) {
          const res = await join(who.tokens.accessToken, p1, { window: MORNING });
          expect(res.statusCode, res.body).toBe(201);
          expect((res.json() as WaitlistEntry).status).toBe('waiting');
          a.clock.advance(1000);
        }
        const freed = fillers[8] as Booking;
        const cancelled = await a.app.inject({
          method: 'POST',
          url: `/api/v1/bookings/${freed.id}/cancel`,
          headers: bearer(filler),
          payload: {},
        });
        expect(cancelled.statusCode, cancelled.body).toBe(200);
        await settle();
        const first = (await mine(x.tokens.accessToken))[0]?.offer;
        expect(first?.start).toBe(freed.start);
        expect((await mine(y.tokens.accessToken))[0]?.status).toBe('waiting');

        // The hold runs out: database 1's lifecycle job expires it, its event passes the time on.
        a.clock.advance(31 * 60_000);
        await a.services.bookingShards[1]?.lifecycle.tick();
        await settle();
        // The access tokens ran out with the clock.
        const [tx, ty] = await Promise.all([signIn(a.app, x), signIn(a.app, y)]);
        expect((await mine(tx))[0]).toMatchObject({ status: 'waiting', offer: null });
        const second = (await mine(ty))[0]?.offer;
        expect(second?.start).toBe(freed.start);
        expect(await bookingRows(1, [first?.bookingId as string])).toEqual([
          { id: first?.bookingId, status: 'expired' },
        ]);

        // Declined: the hold is released on database 1; x is never offered that time again.
        const declined = await offerAction(ty, second?.id as string, 'decline');
        expect(declined.statusCode, declined.body).toBe(204);
        await settle();
        expect((await mine(ty))[0]).toMatchObject({ status: 'waiting', offer: null });
        expect((await mine(tx))[0]).toMatchObject({ status: 'waiting', offer: null });
        expect(await bookingRows(1, [second?.bookingId as string])).toEqual([
          { id: second?.bookingId, status: 'cancelled' },
        ]);
        const offers = await offerRows(1, [first?.id as string, second?.id as string]);
        expect(Object.fromEntries(offers.map((o) => [o.id, o.status]))).toEqual({
          [first?.id as string]: 'expired',
          [second?.id as string]: 'declined',
        });
        expect(await dbOf(0).selectFrom('waitlist_offers').selectAll().execute()).toEqual([]);
      });
    },
  );
}
