import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { expect, it } from 'vitest';
import { clearBookings, seedBooking } from '../../../test/support/archival';
import { archivedRecord } from '../../../test/support/archive';
import { describeEachDialect } from '../../../test/support/databases';
import { privacyOn } from '../../../test/support/privacy';
import { SqlBookingArchive } from '../../adapters/archive/sql';
import type { ArchivedBooking } from '../../ports/archive';
import { type BookingFilter, type BookingRow, BookingsRepository } from './bookings.repository';
import { listLiveAndArchived } from './merged-listing';

const NOW = new Date('2026-11-24T03:00:00.000Z');
const DAY = 86_400_000;
/** Few distinct start times, so equal starts (ordered by id) are common. */
const startOf = (slot: number) => new Date(NOW.getTime() - (40 + slot) * DAY - 30 * 60_000).toISOString();

const liveItem = fc.record({
  slot: fc.integer({ min: 0, max: 4 }),
  mine: fc.boolean(),
  status: fc.constantFrom<BookingRow['status']>('completed', 'cancelled', 'confirmed'),
  // Caught mid-move: also copied to the archive and marked.
  moving: fc.boolean(),
});
const archivedItem = fc.record({
  slot: fc.integer({ min: 0, max: 4 }),
  mine: fc.boolean(),
  status: fc.constantFrom<BookingRow['status']>('completed', 'no_show'),
});

describeEachDialect('live + archived listing (property)', (ctx) => {
  it('pages through the sorted union of both stores, each booking once, with the right total', async () => {
    const db = ctx().dbs.bookings.db;
    const repo = new BookingsRepository(db);
    const archive = new SqlBookingArchive(db);
    const privacy = privacyOn(ctx().dbs.inventory.db);
    const patient = randomUUID();
    await fc.assert(
      fc.asyncProperty(
        fc.array(liveItem, { maxLength: 7 }),
        fc.array(archivedItem, { maxLength: 7 }),
        fc.constantFrom<'asc' | 'desc'>('asc', 'desc'),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 3 }),
        fc.boolean(),
        async (live, archived, order, pageSize, minChunk, onlyCompleted) => {
          await clearBookings(db);
          const expected: { id: string; start: string; status: string }[] = [];
          for (const item of live) {
            const row = await seedBooking(db, NOW, {
              status: item.status,
              endedDaysAgo: 40 + item.slot,
              ...(item.mine ? { patientId: patient } : {}),
            });
            if (item.moving && item.status !== 'confirmed') {
              const history = await db
                .selectFrom('booking_history')
                .selectAll()
                .where('booking_id', '=', row.id)
                .execute();
              await archive.put([{ booking: row, history }]);
              await db
                .insertInto('booking_archival')
                .values({ booking_id: row.id, marked_at: row.updated_at })
                .execute();
            }
            if (item.mine) expected.push({ id: row.id, start: row.start_at, status: row.status });
          }
          const records: ArchivedBooking[] = archived.map((item) =>
            archivedRecord({
              start_at: startOf(item.slot),
              status: item.status,
              ...(item.mine ? { patient_id: patient } : {}),
            }),
          );
          await archive.put(records);
          for (const [i, item] of archived.entries()) {
            const b = records[i]?.booking;
            if (item.mine && b) expected.push({ id: b.id, start: b.start_at, status: b.status });
          }

          const filter: BookingFilter = {
            patientId: patient,
            ...(onlyCompleted ? { status: 'completed' } : {}),
          };
          const want = expected
            .filter((e) => !onlyCompleted || e.status === 'completed')
            .sort((a, b) => (a.start === b.start ? (a.id < b.id ? -1 : 1) : a.start < b.start ? -1 : 1))
            .map((e) => e.id);
          if (order === 'desc') want.reverse();

          const got: string[] = [];
          for (let page = 1; page <= want.length + 1; page++) {
            const { items, total } = await listLiveAndArchived(
              { repo, archive, privacy },
              filter,
              order,
              page,
              pageSize,
              minChunk,
            );
            expect(total).toBe(want.length);
            got.push(...items.map((b) => b.id));
            if (items.length < pageSize) break;
          }
          expect(got).toEqual(want);
        },
      ),
      { numRuns: 30 },
    );
  });
});
