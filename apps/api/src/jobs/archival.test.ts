import type { Kysely } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clearBookings, leftovers, seedBooking } from '../../test/support/archival';
import { dynamoTestArchive, startDynalite } from '../../test/support/archive';
import { describeEachDialect } from '../../test/support/databases';
import { privacyOn } from '../../test/support/privacy';
import { SqlBookingArchive } from '../adapters/archive/sql';
import type { BookingDatabase } from '../db/schema';
import type { BookingRow } from '../modules/bookings/bookings.repository';
import type { FieldSealer } from '../modules/bookings/sealed-fields';
import { isSealed } from '../modules/privacy/privacy.service';
import type { BookingArchive } from '../ports/archive';
import { toDbTime } from '../ports/clock';
import { archivalHour, BookingArchival } from './archival';

const NOW = new Date('2026-11-24T03:00:00.000Z');
const clock = { now: () => NOW };

/** The same archive with another put (a crash or a concurrent change around the real one). */
const withPut = (archive: BookingArchive, put: BookingArchive['put']): BookingArchive => ({
  put,
  get: (id) => archive.get(id),
  list: (filter, options) => archive.list(filter, options),
  count: (filter) => archive.count(filter),
  close: () => archive.close(),
});

for (const kind of ['sql', 'dynamodb'] as const)
  describeEachDialect(`archival job [${kind} archive]`, (ctx) => {
    let db: Kysely<BookingDatabase>;
    let archive: BookingArchive;
    let dynalite: Awaited<ReturnType<typeof startDynalite>> | undefined;
    beforeAll(async () => {
      if (kind === 'dynamodb') dynalite = await startDynalite();
    });
    afterAll(() => dynalite?.stop());
    beforeEach(async () => {
      db = ctx().dbs.bookings.db;
      archive = dynalite ? await dynamoTestArchive(dynalite.endpoint) : new SqlBookingArchive(db);
      await clearBookings(db);
    });
    afterEach(() => archive.close());
    /** An archived row with its sealed fields opened again. */
    const opened = async (row: BookingRow | undefined) => {
      if (!row) return row;
      const [reason, secret] = await privacyOn(ctx().dbs.inventory.db).revealMany([
        { patientId: row.patient_id, value: row.reason_for_visit },
        { patientId: row.patient_id, value: row.payment_client_secret },
      ]);
      return { ...row, reason_for_visit: reason ?? '', payment_client_secret: secret ?? null };
    };
    const job = (options: { batchSize?: number; maxBatches?: number } = {}, a: BookingArchive = archive) =>
      new BookingArchival(
        { db, archive: a, clock, privacy: privacyOn(ctx().dbs.inventory.db) },
        { olderThanDays: 30, ...options },
      );
    const seedDue = (n: number) =>
      Promise.all(
        Array.from({ length: n }, (_, i) =>
          seedBooking(db, NOW, { status: 'completed', endedDaysAgo: 40 + i }),
        ),
      );

    it('moves only finished bookings past the age, with their history, and nothing else', async () => {
      const due = [
        await seedBooking(db, NOW, { status: 'completed', endedDaysAgo: 45, claims: true }),
        await seedBooking(db, NOW, { status: 'cancelled', endedDaysAgo: 31, paymentStatus: 'refunded' }),
        await seedBooking(db, NOW, { status: 'expired', endedDaysAgo: 400, paymentStatus: null }),
        await seedBooking(db, NOW, { status: 'no_show', endedDaysAgo: 60 }),
      ];
      const stays = [
        await seedBooking(db, NOW, { status: 'confirmed', endedDaysAgo: 90, claims: true }),
        await seedBooking(db, NOW, { status: 'in_progress', endedDaysAgo: 90 }),
        await seedBooking(db, NOW, { status: 'completed', endedDaysAgo: 29 }),
        // Finished long ago, but changed recently (a late refund): waits for its own age.
        await seedBooking(db, NOW, { status: 'cancelled', endedDaysAgo: 90, updatedDaysAgo: 2 }),
        // A refund still owed: the lifecycle job must keep retrying it, so it stays live.
        await seedBooking(db, NOW, {
          status: 'cancelled',
          endedDaysAgo: 90,
          paymentStatus: 'refund_pending',
        }),
      ];

      expect(await job().runOnce()).toEqual({ archived: 4 });

      for (const row of due) {
        const record = await archive.get(row.id);
        // Seeded as legacy plaintext: archived sealed with the patient's key, and it opens to the same row.
        expect(isSealed(record?.booking.reason_for_visit ?? '')).toBe(true);
        expect(await opened(record?.booking)).toStrictEqual(row);
        expect(record?.history.map((h) => h.to_status)).toEqual(['pending', row.status]);
      }
      expect(
        await leftovers(
          db,
          due.map((r) => r.id),
        ),
      ).toEqual({
        bookings: 0,
        history: 0,
        claims: 0,
        idempotencyKeys: 0,
        marks: 0,
      });
      expect(
        await leftovers(
          db,
          stays.map((r) => r.id),
        ),
      ).toMatchObject({ bookings: 5, history: 10, claims: 1 });
      for (const row of stays) expect(await archive.get(row.id)).toBeNull();
      expect(await job().runOnce()).toEqual({ archived: 0 });
    });

    it('works through every due booking in batches', async () => {
      await seedDue(10);
      expect(await job({ batchSize: 3 }).runOnce()).toEqual({ archived: 10 });
      expect(await archive.count({})).toBe(10);
    });

    it('a run bounded in batches leaves the rest for the next one', async () => {
      await seedDue(10);
      expect(await job({ batchSize: 3, maxBatches: 2 }).runOnce()).toEqual({ archived: 6 });
      expect(await archive.count({})).toBe(6);
      expect(await job({ batchSize: 3, maxBatches: 2 }).runOnce()).toEqual({ archived: 4 });
      expect(await archive.count({})).toBe(10);
    });

    it('finishes a batch that crashed between the archive write and the delete: nothing lost, nothing twice', async () => {
      const rows = await seedDue(5);
      const crashing = withPut(archive, async (records) => {
        await archive.put(records);
        throw new Error('process killed after the archive write');
      });
      await expect(job({ batchSize: 2 }, crashing).runOnce()).rejects.toThrow('process killed');
      // The first batch is in both stores, marked; the rest untouched.
      expect(await archive.count({})).toBe(2);
      expect(
        (
          await leftovers(
            db,
            rows.map((r) => r.id),
          )
        ).bookings,
      ).toBe(5);
      expect(
        (
          await leftovers(
            db,
            rows.map((r) => r.id),
          )
        ).marks,
      ).toBe(2);

      expect(await job({ batchSize: 2 }).runOnce()).toEqual({ archived: 5 });
      expect(await archive.count({})).toBe(5);
      for (const row of rows) expect(await opened((await archive.get(row.id))?.booking)).toStrictEqual(row);
      expect(
        await leftovers(
          db,
          rows.map((r) => r.id),
        ),
      ).toEqual({
        bookings: 0,
        history: 0,
        claims: 0,
        idempotencyKeys: 0,
        marks: 0,
      });
    });

    it('keeps a booking that changed after it was copied, and archives the newer copy next time', async () => {
      const [row] = await seedDue(1);
      if (!row) throw new Error('seed failed');
      const later = toDbTime(new Date(NOW.getTime() - 1000));
      const racing = withPut(archive, async (records) => {
        await archive.put(records);
        // A refund webhook lands between the copy and the delete.
        await db
          .updateTable('bookings')
          .set({ payment_status: 'refunded', refunded_cents: 4500, updated_at: later })
          .where('id', '=', row.id)
          .execute();
      });
      expect(await job({}, racing).runOnce()).toEqual({ archived: 0 });
      expect(await leftovers(db, [row.id])).toMatchObject({ bookings: 1, marks: 1 });
      expect((await archive.get(row.id))?.booking.payment_status).toBe('succeeded');

      // The mark makes the next run pick it up again although it changed recently.
      expect(await job().runOnce()).toEqual({ archived: 1 });
      expect((await archive.get(row.id))?.booking).toMatchObject({
        payment_status: 'refunded',
        updated_at: later,
      });
      expect(await leftovers(db, [row.id])).toMatchObject({ bookings: 0, marks: 0, history: 0 });
    });

    it('two runs at once move every booking exactly once', async () => {
      const rows = await seedDue(30);
      const results = await Promise.all([job({ batchSize: 4 }).runOnce(), job({ batchSize: 4 }).runOnce()]);
      expect(results.reduce((n, r) => n + r.archived, 0)).toBe(30);
      expect(await archive.count({})).toBe(30);
      expect(
        await leftovers(
          db,
          rows.map((r) => r.id),
        ),
      ).toEqual({
        bookings: 0,
        history: 0,
        claims: 0,
        idempotencyKeys: 0,
        marks: 0,
      });
      for (const row of rows) expect((await archive.get(row.id))?.history).toHaveLength(2);
    });
  });

describe('archival options', () => {
  it('refuses an age under one day', () => {
    const deps = {
      db: {} as Kysely<BookingDatabase>,
      archive: {} as BookingArchive,
      clock,
      privacy: {} as FieldSealer,
    };
    expect(() => new BookingArchival(deps, { olderThanDays: 0 })).toThrow(/olderThanDays/);
    expect(() => new BookingArchival(deps, { olderThanDays: Number.NaN })).toThrow(/olderThanDays/);
  });

  it('works in the configured UTC hour only, whatever the server zone', () => {
    expect(archivalHour(new Date('2026-11-25T03:00:00Z'), 3)).toBe(true);
    expect(archivalHour(new Date('2026-11-25T03:59:59Z'), 3)).toBe(true);
    expect(archivalHour(new Date('2026-11-25T02:59:59Z'), 3)).toBe(false);
    expect(archivalHour(new Date('2026-11-25T04:00:00Z'), 3)).toBe(false);
    // 03:30 in Berlin is 02:30 UTC: not the hour.
    expect(archivalHour(new Date('2026-11-25T03:30:00+01:00'), 3)).toBe(false);
  });
});
