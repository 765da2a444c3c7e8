import type { Listing } from '@carebook/contracts';
import { describe, expect, it } from 'vitest';
import { describeAppEachDialect, TestClock } from '../../test/support/app';
import { book, type Ctx, practice, signIn, WED_0900_NY } from '../../test/support/bookings';
import { freshDatabases, mariadbAvailable } from '../../test/support/databases';
import { bearer } from '../../test/support/http';
import { listingInput, serviceInput, weekdaysNineToFive } from '../../test/support/providers';
import { migrateAll } from '../db/open-databases';
import { ListingViews, popularListings, warmPopularListings } from './cache-warming';

const HOUR = 3_600_000;

async function publishedListing(t: Ctx, token: string, name: string): Promise<Listing> {
  const h = bearer(token);
  const created = await t.app.inject({
    method: 'POST',
    url: '/api/v1/providers',
    headers: h,
    payload: listingInput({ name }),
  });
  const { id } = created.json() as Listing;
  await t.app.inject({
    method: 'POST',
    url: `/api/v1/providers/${id}/services`,
    headers: { ...h, 'if-match': '"1"' },
    payload: serviceInput(),
  });
  await t.app.inject({
    method: 'PUT',
    url: `/api/v1/providers/${id}/schedule`,
    headers: { ...h, 'if-match': '"2"' },
    payload: weekdaysNineToFive(),
  });
  const pub = await t.app.inject({
    method: 'POST',
    url: `/api/v1/providers/${id}/publish`,
    headers: { ...h, 'if-match': '"3"' },
  });
  expect(pub.statusCode, pub.body).toBe(200);
  return pub.json() as Listing;
}

describeAppEachDialect('cache warming', (ctx) => {
  it('ranks listings by views from every instance and recent bookings, warms the top N through the read path', async () => {
    const t = ctx();
    const db = t.db.dbs.bookings.db;
    const { cast, listing: booked, paid } = await practice(t);
    const viewed = await publishedListing(t, cast.owner.tokens.accessToken, 'Dr. Viewed');
    const glanced = await publishedListing(t, cast.owner.tokens.accessToken, 'Dr. Glanced');

    // Two API instances count views; this one through the real route hook.
    const here = t.services.listingViews;
    const there = new ListingViews(db, t.clock);
    const get = (id: string) => t.app.inject({ method: 'GET', url: `/api/v1/providers/${id}` });
    for (let i = 0; i < 3; i++) expect((await get(viewed.id)).statusCode).toBe(200);
    expect((await get(glanced.id)).statusCode).toBe(200);
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/providers/00000000-0000-7000-8000-000000000000' }))
        .statusCode,
    ).toBe(404);
    there.viewed(viewed.id);
    there.viewed(viewed.id);
    expect(await here.flush()).toBe(2); // two listings; the 404 counted nothing
    expect(await there.flush()).toBe(1);
    expect(await here.flush()).toBe(0);

    const patient = await signIn(t.app, cast.patient);
    const res = await book(t.app, patient, { providerId: booked.id, serviceId: paid, start: WED_0900_NY });
    expect(res.statusCode, res.body).toBe(201);

    const top = await popularListings(db, t.clock, { limit: 2 });
    expect(top).toEqual([
      { id: booked.id, views: 0, bookings: 1, score: 10 },
      { id: viewed.id, views: 5, bookings: 0, score: 5 },
    ]);

    // Warming loads exactly the top two through the anonymous read path (ProvidersService.publicView:
    // the cached body, whose loader fills the listing's own entry too), without counting views.
    await t.services.cache.invalidateAll();
    const before = t.services.cache.stats();
    const report = await warmPopularListings({
      db,
      clock: t.clock,
      warm: (id) => t.services.providers.publicView(id),
      options: { limit: 2 },
    });
    expect(report).toMatchObject({ warmed: 2, failed: 0 });
    const warmed = t.services.cache.stats();
    expect(warmed.loads - before.loads).toBe(4);
    expect(await here.flush()).toBe(0);
    expect((await get(booked.id)).statusCode).toBe(200);
    expect((await get(viewed.id)).statusCode).toBe(200);
    expect(t.services.cache.stats().loads).toBe(warmed.loads); // both were already cached
    expect(t.services.cache.stats().hits - warmed.hits).toBe(2);

    // A day later the old activity no longer counts, and its view rows are pruned.
    t.clock.advance(26 * HOUR);
    expect(await popularListings(db, t.clock, { limit: 2 })).toEqual([]);
    const later = await warmPopularListings({
      db,
      clock: t.clock,
      warm: async () => {},
      options: { limit: 2 },
    });
    expect(later.pruned).toBeGreaterThanOrEqual(2);
    expect(
      await db.selectFrom('listing_views').selectAll().where('listing_id', '=', glanced.id).execute(),
    ).toEqual([]);
  }, 30_000);

  it('adds counts from several flushes in one hour; a listing that cannot be loaded is skipped', async () => {
    const t = ctx();
    const db = t.db.dbs.bookings.db;
    const views = new ListingViews(db, t.clock);
    const id = '00000000-0000-7000-8000-0000000000aa';
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++) views.viewed(id);
      await views.flush();
    }
    const [row] = await db.selectFrom('listing_views').selectAll().where('listing_id', '=', id).execute();
    expect(row?.views).toBe(12);
    const report = await warmPopularListings({
      db,
      clock: t.clock,
      warm: (listingId) => t.services.providers.get(null, listingId), // no such listing: 404
      options: { limit: 1 },
    });
    expect(report).toMatchObject({ warmed: 0, failed: 1 });
  });
});

for (const dialect of ['sqlite', 'mariadb'] as const) {
  describe.skipIf(dialect === 'mariadb' && !mariadbAvailable())(`listing view flushes [${dialect}]`, () => {
    it('a flush that fails keeps its counts for the next one; large flushes go in chunks', async () => {
      const fresh = await freshDatabases(dialect, false); // no tables yet: the first flush fails
      try {
        const views = new ListingViews(fresh.dbs.bookings.db, new TestClock());
        const ids = Array.from(
          { length: 1200 },
          (_, i) => `00000000-0000-7000-8000-${String(i).padStart(12, '0')}`,
        );
        for (const id of ids) views.viewed(id);
        views.viewed(ids[0] as string);
        await expect(views.flush()).rejects.toThrow();
        await migrateAll(fresh.dbs);
        expect(await views.flush()).toBe(1200);
        const rows = await fresh.dbs.bookings.db.selectFrom('listing_views').selectAll().execute();
        expect(rows).toHaveLength(1200);
        expect(rows.reduce((sum, r) => sum + r.views, 0)).toBe(1201);
      } finally {
        await fresh.drop();
      }
    }, 30_000);
  });
}
