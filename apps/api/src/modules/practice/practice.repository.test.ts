import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app';
import { at, book, type Practice, practice, WED_0900_NY } from '../../../test/support/bookings';
import { describeEachDialect, type FreshDatabases, freshDatabases } from '../../../test/support/databases';
import { PracticeRepository } from './practice.repository';

/**
 * The schedule's split at now: with a history handle (in production the booking replica) the
 * bookings that started before now come from it and the rest from the primary. Here the history
 * handle is a second database holding the same rows marked `completed`, so each row says where
 * it was read.
 */
describeEachDialect('practice repository: the past on the history handle', (db) => {
  let history: FreshDatabases;
  let t: TestApp;
  let p: Practice;
  let repo: PracticeRepository;
  const now = '2026-11-26T12:00:00.000Z';
  const past = WED_0900_NY; // the 25th
  const later = at(WED_0900_NY, 2 * 24 * 60); // the 27th

  beforeAll(async () => {
    history = await freshDatabases(db().dialect);
    t = await buildTestApp(db().dbs);
    p = await practice({ ...t, db: db() });
    for (const start of [past, at(past, 15), later]) {
      const res = await book(t.app, p.cast.patient.tokens.accessToken, {
        providerId: p.listing.id,
        serviceId: p.free,
        start,
      });
      expect(res.statusCode, res.body).toBe(201);
    }
    const rows = await db().dbs.bookings.db.selectFrom('bookings').selectAll().execute();
    await history.dbs.bookings.db
      .insertInto('bookings')
      .values(rows.map((r) => ({ ...r, status: 'completed' as const })))
      .execute();
    repo = new PracticeRepository([db().dbs.bookings.db], db().dbs.inventory.db, history.dbs.bookings.db);
  });
  afterAll(async () => {
    await t?.app.close();
    await history?.drop();
  });

  const range = (from: string, to: string) => ({ ownerId: p.listing.ownerId, from, to });
  const seen = async (from: string, to: string, limit = 10) =>
    (await repo.bookingsInRange(range(from, to), limit, now)).map((r) => [r.start_at, r.status]);

  it('reads the range before now on the history handle and the rest on the primary, in start order', async () => {
    expect(await seen('2026-11-23T00:00:00.000Z', '2026-11-30T00:00:00.000Z')).toEqual([
      [past, 'completed'],
      [at(past, 15), 'completed'],
      [later, 'confirmed'],
    ]);
  });

  it('keeps the limit across the split: a full past reads nothing more', async () => {
    expect(await seen('2026-11-23T00:00:00.000Z', '2026-11-30T00:00:00.000Z', 2)).toEqual([
      [past, 'completed'],
      [at(past, 15), 'completed'],
    ]);
  });

  it('reads a range wholly to come on the primary, and one wholly past on the history handle', async () => {
    expect(await seen(now, '2026-11-30T00:00:00.000Z')).toEqual([[later, 'confirmed']]);
    expect(await seen('2026-11-23T00:00:00.000Z', now)).toEqual([
      [past, 'completed'],
      [at(past, 15), 'completed'],
    ]);
  });
});
