import type { AuthResult, Booking } from '@carebook/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../test/support/app';
import {
  at,
  book,
  type Ctx,
  type Practice,
  practice,
  signIn,
  WED_0900_NY,
} from '../../test/support/bookings';
import { type FreshDatabases, mariadbAvailable } from '../../test/support/databases';
import { eventually } from '../../test/support/eventually';
import { bearer, register } from '../../test/support/http';
import { type TwoBookingDatabases, twoBookingDatabases } from '../../test/support/two-booking-databases';
import { HistoryPartitions } from '../db/partitions/history-partitions';
import { bucketOf } from '../db/shards/buckets';
import type { DomainEvent } from '../ports/event-bus';

// Instances of one deployment share its key-encryption key. The jobs' timers never fire during
// the test: it runs each job's tick itself, by the job's lease name, on the instance it chooses.
const ENV = {
  ENCRYPTION_KEYS: `test-kek:${Buffer.alloc(32, 9).toString('base64')}`,
  LIFECYCLE_INTERVAL_SECONDS: '3600',
  REMINDER_INTERVAL_SECONDS: '3600',
  REMINDER_OFFSETS: '24h,2h',
  SMS: 'inbox',
  ARCHIVE_AFTER_DAYS: '30',
  ARCHIVE_HOUR_UTC: '3',
};
const HOUR = 3_600_000;
const DAY_MINUTES = 24 * 60;

for (const dialect of ['sqlite', 'mariadb'] as const) {
  describe.skipIf(dialect === 'mariadb' && !mariadbAvailable())(`jobs on booking shards [${dialect}]`, () => {
    let first: FreshDatabases;
    let second: FreshDatabases;
    let databases: TwoBookingDatabases;
    let a: TestApp;
    let b: TestApp;
    // p0's bucket is on database 0, p1's on database 1.
    let p0: Practice;
    let p1: Practice;
    const dbOf = (shard: 0 | 1) => (shard === 0 ? first : second).dbs.bookings.db;
    const inventory = () => first.dbs.inventory.db;
    // What this test's consumer saw on either instance's event bus.
    const seen: DomainEvent[] = [];

    beforeAll(async () => {
      databases = await twoBookingDatabases(dialect);
      ({ first, second } = databases);
      a = await buildTestApp(databases.dbs, ENV);
      const ctx = { ...a, db: first } as Ctx;
      p0 = await practice(ctx);
      do p1 = await practice(ctx);
      while (bucketOf(p1.listing.id) === bucketOf(p0.listing.id));
      // B starts once the listings are published (a bus each here: B must not cache a draft
      // whose publication only A's bus hears of).
      b = await buildTestApp(databases.dbs, ENV);
      for (const app of [a, b]) {
        await app.services.bucketMap.assign([bucketOf(p0.listing.id)], 0);
        await app.services.bucketMap.assign([bucketOf(p1.listing.id)], 1);
        app.services.eventBus.subscribe('jobs-shards-test', 'broadcast', async (e) => {
          seen.push(e);
        });
      }
    });
    afterAll(async () => {
      await a?.app.close();
      await b?.app.close();
      await databases?.drop();
    });

    /** Both instances' clocks (one cluster, one time). */
    const setClock = (iso: string) => {
      for (const app of [a, b]) app.clock.set(new Date(iso));
    };
    /** One scheduled tick of the job leased under `name` on that instance, as its timer would run it. */
    const tick = (app: TestApp, name: string) => {
      const job = app.app.jobs.get(name);
      if (!job) throw new Error(`no job ${name} on this instance`);
      return job.tick();
    };
    /** Every database's outbox relayed by both instances until nothing is left. */
    const settle = async () => {
      for (;;) {
        let moved = 0;
        for (const app of [a, b])
          for (const part of app.services.bookingShards) moved += await part.relay.drain();
        if (moved === 0) return;
      }
    };
    const bookingRows = (shard: 0 | 1, ids: string[]) =>
      dbOf(shard).selectFrom('bookings').select(['id', 'status']).where('id', 'in', ids).execute();
    const booked = async (who: string, p: Practice, service: 'paid' | 'free', start: string) => {
      const res = await book(a.app, who, { providerId: p.listing.id, serviceId: p[service], start });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as Booking;
    };

    it("stale holds on database 1 are expired by database 1's lifecycle job, their claims freed and their events relayed", async () => {
      setClock('2026-11-24T12:00:00.000Z');
      const patient = (await register(a.app)).tokens.accessToken;
      const hold0 = await booked(patient, p0, 'paid', WED_0900_NY);
      const hold1 = await booked(patient, p1, 'paid', WED_0900_NY);
      expect([hold0.status, hold1.status]).toEqual(['payment_pending', 'payment_pending']);
      expect(await bookingRows(1, [hold1.id])).toEqual([{ id: hold1.id, status: 'payment_pending' }]);

      // Past the hold (BOOKING_HOLD_MINUTES, 10 by default).
      setClock('2026-11-24T12:31:00.000Z');
      // Database 0's job expires database 0's hold only.
      expect(await tick(a, 'booking-lifecycle')).toBe('ran');
      expect(await bookingRows(0, [hold0.id])).toEqual([{ id: hold0.id, status: 'expired' }]);
      expect(await bookingRows(1, [hold1.id])).toEqual([{ id: hold1.id, status: 'payment_pending' }]);
      // Database 1's job (the other instance may run it: its lease is its own) expires the other.
      expect(await tick(b, 'booking-lifecycle:1')).toBe('ran');
      expect(await bookingRows(1, [hold1.id])).toEqual([{ id: hold1.id, status: 'expired' }]);
      const claims = await dbOf(1)
        .selectFrom('booking_claims')
        .select('unit')
        .where('booking_id', '=', hold1.id)
        .execute();
      expect(claims).toEqual([]);

      // Its event leaves database 1's outbox and reaches the consumers.
      await settle();
      const expiredEvent = await eventually(
        async () =>
          seen.find(
            (e) =>
              e.aggregateId === hold1.id && e.type === 'booking.status_changed' && e.payload.to === 'expired',
          ),
        (e) => e !== undefined,
      );
      expect(expiredEvent?.payload).toMatchObject({ bookingId: hold1.id, providerId: p1.listing.id });
      const pending = await dbOf(1)
        .selectFrom('bookings_outbox')
        .select('id')
        .where('published_at', 'is', null)
        .execute();
      expect(pending).toEqual([]);

      // The slot is bookable again, on database 1.
      const other = (await register(a.app)).tokens.accessToken;
      const again = await booked(other, p1, 'paid', WED_0900_NY);
      expect(await bookingRows(1, [again.id])).toEqual([{ id: again.id, status: 'payment_pending' }]);
    });

    it('the 24-hour e-mail reminder of a confirmed booking on database 1 goes out once, with two instances ticking', async () => {
      const who = await register(a.app);
      const start = at(WED_0900_NY, DAY_MINUTES + 60); // Thursday 26 November, 10:00 New York
      const booking = await booked(who.tokens.accessToken, p1, 'free', start);
      expect(booking.status).toBe('confirmed');
      expect(await bookingRows(1, [booking.id])).toEqual([{ id: booking.id, status: 'confirmed' }]);
      const reminders = async () =>
        (
          await inventory()
            .selectFrom('dev_mailbox')
            .select(['subject'])
            .where('to_address', '=', who.user.email)
            .execute()
        ).filter((m) => m.subject.startsWith('Reminder: '));

      // 22.5 hours before: due. Both instances' lifecycle jobs of database 1 run at once (as when
      // a paused lease holder overlaps its successor): one reminder is queued.
      setClock(new Date(Date.parse(start) - 22.5 * HOUR).toISOString());
      const overlapping = await Promise.all(
        [a, b].map((app) => app.services.bookingShards[1]?.lifecycle.tick()),
      );
      expect(overlapping.reduce((n, r) => n + (r?.reminded ?? 0), 0)).toBe(1);
      // And both instances' scheduled ticks: one holds the lease; nothing is queued again.
      const outcomes = await Promise.all([tick(a, 'booking-lifecycle:1'), tick(b, 'booking-lifecycle:1')]);
      expect(outcomes).toContain('ran');
      await settle();
      const mails = await eventually(reminders, (m) => m.length > 0);
      expect(mails).toHaveLength(1);
      // Another pass an hour later sends nothing more.
      setClock(new Date(Date.parse(start) - 21.5 * HOUR).toISOString());
      await Promise.all([tick(a, 'booking-lifecycle:1'), tick(b, 'booking-lifecycle:1')]);
      await settle();
      expect(await reminders()).toHaveLength(1);
    });

    it('SMS reminders for bookings on both databases: each sent once, with two instances ticking', async () => {
      const smsPatient = async (phone: string) => {
        const who = await register(a.app);
        const res = await a.app.inject({
          method: 'PUT',
          url: '/api/v1/me/messaging',
          headers: bearer(who.tokens.accessToken),
          payload: { phone, reminderChannels: ['email', 'sms'], smsConsent: true },
        });
        expect(res.statusCode, res.body).toBe(200);
        return who;
      };
      const x = await smsPatient('+14155550181');
      const y = await smsPatient('+14155550182');
      const friday = at(WED_0900_NY, 2 * DAY_MINUTES + 60); // Friday 27 November, 10:00 New York
      const onFirst = await booked(await signIn(a.app, x), p0, 'free', friday);
      const onSecond = await booked(await signIn(a.app, y), p1, 'free', at(friday, 15));
      expect(await bookingRows(0, [onFirst.id])).toHaveLength(1);
      expect(await bookingRows(1, [onSecond.id])).toHaveLength(1);
      const texts = (who: AuthResult) =>
        inventory().selectFrom('dev_sms_inbox').select('body').where('user_id', '=', who.user.id).execute();
      const recorded = (bookingId: string) =>
        inventory().selectFrom('sms_messages').select('status').where('booking_id', '=', bookingId).execute();

      // 23.5 hours before the first: the 24-hour reminder of both is due.
      setClock(new Date(Date.parse(friday) - 23.5 * HOUR).toISOString());
      const job = (app: TestApp) => {
        const j = app.services.smsReminders;
        if (!j) throw new Error('no SMS reminder job');
        return j;
      };
      // Two passes at once (overlapping holders), then both instances' scheduled ticks.
      const passes = await Promise.all([job(a).tick(), job(b).tick()]);
      expect(passes.reduce((n, r) => n + r.sent, 0)).toBe(2);
      expect(await Promise.all([tick(a, 'sms-reminders'), tick(b, 'sms-reminders')])).toContain('ran');
      for (const who of [x, y]) {
        const got = await texts(who);
        expect(got).toHaveLength(1);
        expect(got[0]?.body).toMatch(/^Carebook reminder: /);
      }
      expect(await recorded(onFirst.id)).toHaveLength(1);
      expect(await recorded(onSecond.id)).toHaveLength(1);
      // Another pass within the same offset sends nothing.
      expect(await job(b).tick()).toEqual({ sent: 0 });
      expect((await texts(x)).length + (await texts(y)).length).toBe(2);
    });

    it("archival on database 1 moves its old finished bookings into database 1's archive; the patient's past list still shows them, merged", async () => {
      const who = await register(a.app);
      const token = who.tokens.accessToken;
      const monday = at(WED_0900_NY, 5 * DAY_MINUTES); // Monday 30 November, 09:00 New York
      const made: Booking[] = [];
      // Interleaved in time over both databases.
      for (let i = 0; i < 6; i++)
        made.push(await booked(token, i % 3 === 0 ? p0 : p1, 'free', at(monday, 60 + i * 15)));
      // One on each database cancelled at once, the others completed by their databases' lifecycle jobs.
      for (const cancelled of [made[1], made[3]] as Booking[]) {
        const res = await a.app.inject({
          method: 'POST',
          url: `/api/v1/bookings/${cancelled.id}/cancel`,
          headers: bearer(token),
          payload: {},
        });
        expect(res.statusCode, res.body).toBe(200);
      }
      setClock('2026-12-01T12:00:00.000Z');
      await Promise.all([tick(a, 'booking-lifecycle'), tick(a, 'booking-lifecycle:1')]);
      const onFirst = made.filter((_, i) => i % 3 === 0).map((m) => m.id);
      const onSecond = made.filter((_, i) => i % 3 !== 0).map((m) => m.id);
      expect((await bookingRows(0, onFirst)).map((r) => r.status).sort()).toEqual(['cancelled', 'completed']);
      expect((await bookingRows(1, onSecond)).map((r) => r.status).sort()).toEqual([
        'cancelled',
        'completed',
        'completed',
        'completed',
      ]);

      // Past the archival age, in the archival hour: database 1's job runs (not database 0's).
      setClock('2027-01-05T03:00:00.000Z');
      expect(await tick(b, 'booking-archival:1')).toBe('ran');
      expect(await bookingRows(1, onSecond)).toEqual([]);
      const archivedOn = (shard: 0 | 1) =>
        dbOf(shard)
          .selectFrom('archived_bookings')
          .select('id')
          .where(
            'id',
            'in',
            made.map((m) => m.id),
          )
          .execute();
      expect((await archivedOn(1)).map((r) => r.id).sort()).toEqual([...onSecond].sort());
      expect(await archivedOn(0)).toEqual([]);
      expect(await bookingRows(0, onFirst)).toHaveLength(2);

      // The past list: live bookings of database 0 and archived ones of database 1, newest first.
      const newestFirst = [...made].sort((x, y) => (x.start < y.start ? 1 : -1)).map((m) => m.id);
      const past = async (app: TestApp) => {
        const fresh = await signIn(app.app, who);
        const ids: string[] = [];
        let total = -1;
        for (let page = 1; page <= 3; page++) {
          const res = await app.app.inject({
            url: `/api/v1/bookings?when=past&page=${page}&pageSize=2`,
            headers: bearer(fresh),
          });
          expect(res.statusCode, res.body).toBe(200);
          const body = res.json() as { items: Booking[]; total: number };
          total = body.total;
          ids.push(...body.items.map((x) => x.id));
        }
        return { ids, total };
      };
      for (const app of [a, b]) expect(await past(app)).toEqual({ ids: newestFirst, total: 6 });
      // An archived booking is read by its id from either instance.
      const read = await a.app.inject({
        url: `/api/v1/bookings/${onSecond[0]}`,
        headers: bearer(await signIn(a.app, who)),
      });
      expect(read.statusCode, read.body).toBe(200);
      expect((read.json() as Booking).id).toBe(onSecond[0]);

      // Then database 0's job archives its own, into database 0's archive; the list is unchanged.
      expect(await tick(a, 'booking-archival')).toBe('ran');
      expect((await archivedOn(0)).map((r) => r.id).sort()).toEqual([...onFirst].sort());
      expect(await bookingRows(0, onFirst)).toEqual([]);
      expect(await past(b)).toEqual({ ids: newestFirst, total: 6 });
    });

    it.skipIf(dialect === 'sqlite')(
      "database 1's history-partitions job adds its months ahead there",
      async () => {
        setClock('2030-01-10T08:00:00.000Z');
        const names = async (shard: 0 | 1) =>
          ((await new HistoryPartitions(dbOf(shard)).partitions('archived_bookings')) ?? []).map(
            (p) => p.name,
          );
        const historyNames = async (shard: 0 | 1) =>
          ((await new HistoryPartitions(dbOf(shard)).partitions('booking_history')) ?? []).map((p) => p.name);
        expect(await names(1)).not.toContain('p203003');
        expect(await tick(b, 'history-partitions:1')).toBe('ran');
        expect(await names(1)).toEqual(expect.arrayContaining(['p203001', 'p203002', 'p203003']));
        expect(await historyNames(1)).toEqual(expect.arrayContaining(['p203001', 'p203002', 'p203003']));
        expect((await names(1)).at(-1)).toBe('p_future');
        // Database 0's are its own job's: not there until that runs.
        expect(await names(0)).not.toContain('p203003');
        expect(await tick(a, 'history-partitions')).toBe('ran');
        expect(await names(0)).toEqual(expect.arrayContaining(['p203001', 'p203002', 'p203003']));
      },
    );
  });
}
