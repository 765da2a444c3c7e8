import type { AuthResult, Booking } from '@carebook/contracts';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TestClock, testConfig } from '../../../test/support/app';
import { seedBooking } from '../../../test/support/archival';
import { dynamoTestArchive, startDynalite } from '../../../test/support/archive';
import { describeEachDialect } from '../../../test/support/databases';
import { bearer, expectProblem, register } from '../../../test/support/http';
import { type Cast, castOf } from '../../../test/support/providers';
import { SqlBookingArchive } from '../../adapters/archive/sql';
import { buildApp } from '../../app';
import type { Services } from '../../container';
import { BookingArchival } from '../../jobs/archival';
import type { BookingArchive } from '../../ports/archive';
import type { BookingRow } from './bookings.repository';

type Page = { items: Booking[]; total: number; page: number; pageSize: number };

for (const kind of ['sql', 'dynamodb'] as const) {
  describeEachDialect(`archived bookings through the bookings API [${kind} archive]`, (db) => {
    let app: FastifyInstance;
    let services: Services;
    let clock: TestClock;
    let cast: Cast;
    let otherPatient: AuthResult;
    let archive: BookingArchive;
    let stopDynalite: (() => Promise<void>) | undefined;
    const listing = '0b0e9a52-7d1c-4a53-9a55-0d6b1f3c9e01';
    const otherListing = '0b0e9a52-7d1c-4a53-9a55-0d6b1f3c9e02';
    const rows: BookingRow[] = [];

    beforeAll(async () => {
      clock = new TestClock();
      if (kind === 'dynamodb') {
        const server = await startDynalite();
        stopDynalite = server.stop;
        archive = await dynamoTestArchive(server.endpoint);
      } else {
        archive = new SqlBookingArchive(db().dbs.bookings.db);
      }
      ({ app, services } = await buildApp(testConfig(), { dbs: db().dbs, clock, archive }));
      await app.ready();
      cast = await castOf({ app, services, clock, config: testConfig(), db: db() });
      otherPatient = await register(app, { displayName: 'Another patient' });
    });
    afterAll(async () => {
      await app?.close();
      await archive?.close();
      await stopDynalite?.();
    });

    const get = (id: string, who: AuthResult) =>
      app.inject({ url: `/api/v1/bookings/${id}`, headers: bearer(who.tokens.accessToken) });
    const list = async (who: AuthResult, query: string) => {
      const res = await app.inject({
        url: `/api/v1/bookings?${query}`,
        headers: bearer(who.tokens.accessToken),
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as Page;
    };
    /** Every page of a listing, checking that the total holds on each. */
    const all = async (who: AuthResult, query: string, pageSize: number) => {
      const first = await list(who, `${query}&page=1&pageSize=${pageSize}`);
      const ids = first.items.map((b) => b.id);
      for (let page = 2; (page - 1) * pageSize < first.total; page++) {
        const next = await list(who, `${query}&page=${page}&pageSize=${pageSize}`);
        expect(next.total).toBe(first.total);
        ids.push(...next.items.map((b) => b.id));
      }
      return { ids, total: first.total };
    };
    const byStart = (a: BookingRow, b: BookingRow) =>
      a.start_at === b.start_at ? (a.id < b.id ? -1 : 1) : a.start_at < b.start_at ? -1 : 1;

    it('moves old finished bookings while the live ones stay, interleaved in time', async () => {
      const now = clock.now();
      const mine = { patientId: cast.patient.user.id, ownerId: cast.owner.user.id };
      // Days ago the appointment ended; "recent" ones changed lately, so they stay live.
      const plan: [number, boolean, string, BookingRow['status']][] = [
        [40, false, listing, 'completed'],
        [41, true, listing, 'cancelled'],
        [42, false, otherListing, 'no_show'],
        [43, true, listing, 'completed'],
        [44, false, listing, 'cancelled'],
        [45, false, otherListing, 'completed'],
        [46, true, listing, 'expired'],
      ];
      for (const [days, recent, providerId, status] of plan) {
        rows.push(
          await seedBooking(db().dbs.bookings.db, now, {
            ...mine,
            providerId,
            status,
            endedDaysAgo: days,
            ...(recent ? { updatedDaysAgo: 1 } : {}),
          }),
        );
      }
      await seedBooking(db().dbs.bookings.db, now, { status: 'completed', endedDaysAgo: 50 });
      const before = (await get(rows[0]?.id ?? '', cast.patient)).json() as Booking;

      const job = new BookingArchival(
        { db: db().dbs.bookings.db, archive, clock, cache: services.cache, privacy: services.privacy },
        { olderThanDays: 30 },
      );
      expect(await job.runOnce()).toEqual({ archived: 5 });
      expect(await archive.count({ patientId: cast.patient.user.id })).toBe(4);

      const after = await get(rows[0]?.id ?? '', cast.patient);
      expect(after.statusCode, after.body).toBe(200);
      expect(after.json()).toStrictEqual(before);
    });

    it('the patient, the provider and their staff still see an archived booking and its history; nobody else', async () => {
      const id = rows[2]?.id ?? '';
      for (const who of [cast.patient, cast.owner, cast.staff, cast.admin]) {
        const res = await get(id, who);
        expect(res.statusCode, res.body).toBe(200);
        const booking = res.json() as Booking;
        expect(booking).toMatchObject({ id, status: 'no_show', patientId: cast.patient.user.id });
        expect(booking.history.map((h) => h.to)).toEqual(['pending', 'no_show']);
      }
      expectProblem(await get(id, otherPatient), 404, 'NOT_FOUND');
      expectProblem(await get(id, cast.other), 404, 'NOT_FOUND');
    });

    it('lists live and archived bookings as one sequence, page by page, with the right total', async () => {
      const sorted = [...rows].sort(byStart).map((r) => r.id);
      for (const pageSize of [1, 2, 3, 20]) {
        expect(await all(cast.patient, 'when=past', pageSize)).toEqual({
          ids: [...sorted].reverse(),
          total: 7,
        });
        expect(await all(cast.staff, 'status=completed', pageSize)).toEqual({
          ids: rows
            .filter((r) => r.status === 'completed')
            .sort(byStart)
            .map((r) => r.id),
          total: 3,
        });
      }
      expect(await all(cast.owner, `providerId=${listing}`, 2)).toEqual({
        ids: rows
          .filter((r) => r.provider_id === listing)
          .sort(byStart)
          .map((r) => r.id),
        total: 5,
      });
      const admin = await list(cast.admin, 'pageSize=100');
      expect(admin.total).toBe(8);
      expect((await list(otherPatient, 'when=past')).total).toBe(0);
      expect((await list(cast.other, 'when=past')).total).toBe(0);
      expect((await list(cast.patient, 'when=upcoming')).total).toBe(0);
    });

    it('a booking caught between the archive write and the delete shows once', async () => {
      const live = rows[1] as BookingRow;
      const bookingsDb = db().dbs.bookings.db;
      const history = await bookingsDb
        .selectFrom('booking_history')
        .selectAll()
        .where('booking_id', '=', live.id)
        .execute();
      await bookingsDb
        .insertInto('booking_archival')
        .values({ booking_id: live.id, marked_at: live.updated_at })
        .execute();
      await archive.put([{ booking: live, history }]);
      try {
        const sorted = [...rows].sort(byStart).map((r) => r.id);
        expect(await all(cast.patient, 'when=past', 2)).toEqual({ ids: [...sorted].reverse(), total: 7 });
      } finally {
        await bookingsDb.deleteFrom('booking_archival').where('booking_id', '=', live.id).execute();
      }
    });

    it('acting on an archived booking is INVALID_TRANSITION for its people and NOT_FOUND for others', async () => {
      const id = rows[0]?.id ?? '';
      const act = (who: AuthResult, path: string, payload: object) =>
        app.inject({
          method: 'POST',
          url: `/api/v1/bookings/${id}/${path}`,
          headers: bearer(who.tokens.accessToken),
          payload,
        });
      expectProblem(await act(cast.patient, 'cancel', {}), 409, 'INVALID_TRANSITION');
      expectProblem(await act(cast.owner, 'no-show', {}), 409, 'INVALID_TRANSITION');
      expectProblem(
        await act(cast.patient, 'reschedule', { start: '2026-12-02T14:00:00.000Z' }),
        409,
        'INVALID_TRANSITION',
      );
      expectProblem(await act(otherPatient, 'cancel', {}), 404, 'NOT_FOUND');
      expectProblem(await act(cast.other, 'complete', {}), 404, 'NOT_FOUND');
    });
  });
}
