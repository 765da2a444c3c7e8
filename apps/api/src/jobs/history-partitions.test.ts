import { expect, it } from 'vitest';
import { TestClock } from '../../test/support/app';
import { describeEachDialect } from '../../test/support/databases';
import { HistoryPartitions } from '../db/partitions/history-partitions';
import { newId } from '../lib/ids';
import { HistoryPartitionsJob } from './history-partitions';

/**
 * Partitioned history on MariaDB (monthly partitions by instant), plain tables on SQLite where
 * the same job deletes rows instead. The months used are in 2030, ahead of the partitions the
 * migration made from the wall clock, so the job must add them first.
 */
describeEachDialect('history partitions', (ctx) => {
  const archived = (startAt: string) => {
    const id = newId();
    return {
      id,
      patient_id: newId(),
      owner_id: newId(),
      provider_id: newId(),
      status: 'completed' as const,
      start_at: startAt,
      updated_at: startAt,
      version: 3,
      record: JSON.stringify({ booking: { id }, history: [] }),
    };
  };
  const history = (at: string) => ({
    id: newId(),
    booking_id: newId(),
    at,
    from_status: 'confirmed' as const,
    to_status: 'completed' as const,
    actor_role: 'system' as const,
    actor_id: null,
    reason: null,
  });
  const job = (clock: TestClock, retentionDays: number) =>
    new HistoryPartitionsJob(
      { db: ctx().dbs.bookings.db, clock },
      { archivedBookingsRetentionDays: retentionDays, partitionMonthsAhead: 6, archiveAfterDays: 30 },
    );

  it('adds months ahead, and a booking in a new month lands in its own partition', async () => {
    const db = ctx().dbs.bookings.db;
    const parts = new HistoryPartitions(db);
    const report = await job(new TestClock(new Date('2030-01-10T08:00:00.000Z')), 0).runOnce();
    if (ctx().dialect === 'sqlite') {
      expect(report).toEqual({ added: [], droppedArchive: [], deletedArchiveRows: 0, droppedHistory: [] });
      expect(await parts.partitions('archived_bookings')).toBeNull();
      return;
    }
    expect(report.added).toContain('archived_bookings.p203007');
    expect(report.added).toContain('booking_history.p203001');
    const names = (await parts.partitions('archived_bookings'))?.map((p) => p.name) ?? [];
    expect(names[0]).toBe('p_old');
    expect(names.at(-1)).toBe('p_future');
    expect(names).toContain('p203006');
    // Run again: nothing more to add.
    expect((await job(new TestClock(new Date('2030-01-20T08:00:00.000Z')), 0).runOnce()).added).toEqual([]);

    await db.insertInto('archived_bookings').values(archived('2030-06-10T09:00:00.000Z')).execute();
    await db.insertInto('booking_history').values(history('2030-06-30T23:59:59.999Z')).execute();
    expect(await parts.rowsIn('archived_bookings', 'p203006')).toBe(1);
    expect(await parts.rowsIn('booking_history', 'p203006')).toBe(1);
    expect(await parts.rowsIn('archived_bookings', 'p203007')).toBe(0);
    expect(await parts.rowsIn('archived_bookings', 'p_future')).toBe(0);
  });

  it('drops whole months past the retention, deletes rows only in the month of the cutoff', async () => {
    const db = ctx().dbs.bookings.db;
    const rows = [
      archived('2030-02-05T09:00:00.000Z'),
      archived('2030-03-05T09:00:00.000Z'), // before the cutoff, in the cutoff's month
      archived('2030-03-20T09:00:00.000Z'), // after the cutoff
    ];
    await db.insertInto('archived_bookings').values(rows).execute();
    // Cutoff: 2030-04-15 minus 31 days = 2030-03-15.
    const report = await job(new TestClock(new Date('2030-04-15T00:00:00.000Z')), 31).runOnce();
    const left = await db
      .selectFrom('archived_bookings')
      .select(['id', 'start_at'])
      .orderBy('start_at')
      .execute();
    expect(left.filter((r) => rows.some((x) => x.id === r.id)).map((r) => r.start_at)).toEqual([
      '2030-03-20T09:00:00.000Z',
    ]);
    // A later month is untouched.
    expect(left.some((r) => r.start_at > '2030-03-20T09:00:00.000Z')).toBe(ctx().dialect === 'mariadb');
    if (ctx().dialect === 'sqlite') {
      expect(report.droppedArchive).toEqual([]);
      expect(report.deletedArchiveRows).toBe(2);
      return;
    }
    // February went as a partition (no row read); only the 5 March row was deleted.
    expect(report.droppedArchive).toContain('p203002');
    expect(report.droppedArchive).not.toContain('p203003');
    expect(report.deletedArchiveRows).toBe(1);
    const names = (await new HistoryPartitions(db).partitions('archived_bookings'))?.map((p) => p.name);
    expect(names?.[0]).toBe('p203003');
  });

  it('drops emptied booking_history months, never one holding a live booking’s history', async () => {
    if (ctx().dialect === 'sqlite') return;
    const db = ctx().dbs.bookings.db;
    const parts = new HistoryPartitions(db);
    const live = history('2030-05-10T10:00:00.000Z');
    await db.insertInto('booking_history').values(live).execute();
    // Archival age 30 days at 2030-07-10: months wholly before 2030-06-10 may go if empty.
    const report = await job(new TestClock(new Date('2030-07-10T00:00:00.000Z')), 0).runOnce();
    expect(report.droppedHistory).toContain('p203004');
    expect(report.droppedHistory).not.toContain('p203005');
    expect(report.droppedHistory).not.toContain('p203006');
    expect(await parts.rowsIn('booking_history', 'p203005')).toBe(1);
    const names = (await parts.partitions('booking_history'))?.map((p) => p.name) ?? [];
    expect(names[0]).toBe('p203005');
    expect(
      await db.selectFrom('booking_history').select('id').where('id', '=', live.id).execute(),
    ).toHaveLength(1);
  });
});
