import type { AuthResult, Booking, Review, SearchResponse } from '@carebook/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeAppEachDialect } from '../../../test/support/app';
import {
  at,
  book,
  type Ctx,
  type Practice,
  practice,
  signIn,
  WED_0900_NY,
} from '../../../test/support/bookings';
import { bearer, register } from '../../../test/support/http';
import { EmbeddedSearchIndex } from '../../adapters/search/embedded';
import { noBookingClaimsYet } from '../../ports/busy-time';
import { demoAccounts } from '../accounts/demo-accounts';
import { DatabaseSearchFallback } from '../search/database-fallback';
import { rebuildSearchIndex } from '../search/rebuild';

describeAppEachDialect('review ratings in search', (ctx) => {
  let t: Ctx;
  let p: Practice;
  const patients: AuthResult[] = [];
  const visits: Booking[] = [];
  const reviews: Review[] = [];

  /** The practice's listing as search shows it (`query` adds parameters), or undefined. */
  const found = async (query = '') => {
    // Review events reach the search indexer through the booking outbox.
    await t.services.bookingsRelay.drain();
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/search?q=okafor${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return (res.json() as SearchResponse).results.find((r) => r.id === p.listing.id);
  };

  beforeAll(async () => {
    t = ctx();
    p = await practice(t);
    for (const [i, name] of ['Ada Lovelace', 'Bob Marley'].entries()) {
      const who = await register(t.app, { displayName: name });
      patients.push(who);
      const res = await book(t.app, who.tokens.accessToken, {
        providerId: p.listing.id,
        serviceId: p.free,
        start: at(WED_0900_NY, 15 * i),
      });
      expect(res.statusCode, res.body).toBe(201);
      visits.push(res.json() as Booking);
    }
    t.clock.set(new Date(Date.parse(WED_0900_NY) + 60 * 60_000));
    expect((await t.services.lifecycle.tick()).completed).toBe(2);
  });

  const write = async (i: number, rating: number) => {
    const who = patients[i] as AuthResult;
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/bookings/${visits[i]?.id}/review`,
      headers: bearer(await signIn(t.app, who)),
      payload: { rating, text: 'Seen on time' },
    });
    expect(res.statusCode, res.body).toBe(201);
    reviews.push(res.json() as Review);
  };

  it('a listing without reviews has no rating and is left out by minRating', async () => {
    expect((await found())?.rating).toBeNull();
    expect(await found('&minRating=1')).toBeUndefined();
  });

  it('shows the average and count once reviews are written, and filters by them', async () => {
    await write(0, 5);
    expect((await found())?.rating).toEqual({ average: 5, count: 1 });
    await write(1, 2);
    expect((await found())?.rating).toEqual({ average: 3.5, count: 2 });
    expect(await found('&minRating=4')).toBeUndefined();
    expect((await found('&minRating=3.5&sort=rating'))?.rating).toEqual({ average: 3.5, count: 2 });
  });

  it('a reply keeps the rating; hiding a review takes it out of the average at once', async () => {
    const owner = await signIn(t.app, p.cast.owner);
    const reply = await t.app.inject({
      method: 'POST',
      url: `/api/v1/reviews/${reviews[0]?.id}/reply`,
      headers: bearer(owner),
      payload: { text: 'Thank you' },
    });
    expect(reply.statusCode, reply.body).toBe(200);
    expect((await found())?.rating).toEqual({ average: 3.5, count: 2 });
    const admin = demoAccounts.find((a) => a.role === 'admin');
    const hide = await t.app.inject({
      method: 'POST',
      url: `/api/v1/admin/reviews/${reviews[1]?.id}/hide`,
      headers: bearer(await signIn(t.app, p.cast.admin, admin?.password)),
      payload: { reason: 'Off topic' },
    });
    expect(hide.statusCode, hide.body).toBe(200);
    expect((await found('&minRating=4'))?.rating).toEqual({ average: 5, count: 1 });
    const events = await t.db.dbs.bookings.db
      .selectFrom('bookings_outbox')
      .select(['event_type', 'payload'])
      .where('event_type', 'like', 'review.%')
      .orderBy('occurred_at')
      .execute();
    expect(events.map((e) => e.event_type).sort()).toEqual([
      'review.created',
      'review.created',
      'review.hidden',
      'review.replied',
    ]);
    for (const e of events) expect(e.payload).not.toContain(patients[0]?.user.id ?? 'none');
  });

  describe('outside the live index', () => {
    it('a rebuild from the databases carries the ratings', async () => {
      const index = new EmbeddedSearchIndex();
      await rebuildSearchIndex(t.db.dbs.inventory.db, index, noBookingClaimsYet, t.services.ratings, t.clock);
      const r = await index.search({ now: t.clock.now().getTime(), sort: 'rating', page: 1, size: 5 });
      expect(r.hits.find((h) => h.doc.id === p.listing.id)?.doc.rating).toEqual({ average: 5, count: 1 });
    });

    it('the database fallback filters and sorts by rating too', async () => {
      const fallback = new DatabaseSearchFallback({
        db: t.db.dbs.inventory.db,
        busy: noBookingClaimsYet,
        ratings: t.services.ratings,
        retryAfterSeconds: 5,
      });
      const base = { now: t.clock.now().getTime(), sort: 'rating' as const, page: 1, size: 5 };
      const rated = await fallback.search({ ...base, filters: { minRating: 5 } });
      expect(rated.hits.map((h) => [h.doc.id, h.doc.rating])).toEqual([
        [p.listing.id, { average: 5, count: 1 }],
      ]);
      expect((await fallback.search({ ...base, filters: { minRating: 5.1 } })).total).toBe(0);
    });
  });
});
