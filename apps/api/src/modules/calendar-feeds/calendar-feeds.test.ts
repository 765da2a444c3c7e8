import type { Booking, CalendarFeed } from '@carebook/contracts';
import ICAL from 'ical.js';
import { beforeAll, expect, it } from 'vitest';
import { describeAppEachDialect } from '../../../test/support/app';
import { at, book, type Ctx, type Practice, practice, WED_0900_NY } from '../../../test/support/bookings';
import { bearer, expectProblem } from '../../../test/support/http';

interface FeedEvent {
  uid: string;
  start: string;
  end: string;
  status: string;
  sequence: number;
  summary: string;
}

/** Parses a feed with ical.js (an outside RFC 5545 parser) into its events. */
function parseFeed(body: string): { name: string; events: FeedEvent[] } {
  const calendar = new ICAL.Component(ICAL.parse(body));
  return {
    name: String(calendar.getFirstPropertyValue('x-wr-calname')),
    events: calendar.getAllSubcomponents('vevent').map((v) => {
      const e = new ICAL.Event(v);
      return {
        uid: e.uid,
        start: e.startDate.toJSDate().toISOString(),
        end: e.endDate.toJSDate().toISOString(),
        status: String(v.getFirstPropertyValue('status')),
        sequence: e.sequence,
        summary: e.summary,
      };
    }),
  };
}

describeAppEachDialect('calendar feeds', (t) => {
  let p: Practice;
  let booking: Booking;
  beforeAll(async () => {
    p = await practice(t() as Ctx);
    const res = await book(t().app, p.cast.patient.tokens.accessToken, {
      providerId: p.listing.id,
      serviceId: p.free,
      start: WED_0900_NY,
    });
    expect(res.statusCode, res.body).toBe(201);
    booking = res.json() as Booking;
  });
  const patient = () => p.cast.patient.tokens.accessToken;
  const rotate = async (token: string) => {
    const res = await t().app.inject({
      method: 'POST',
      url: '/api/v1/calendar-feed/rotate',
      headers: bearer(token),
      payload: {},
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as CalendarFeed;
  };
  const fetchFeed = (feed: CalendarFeed) =>
    t().app.inject({ url: feed.url.replace(/^https?:\/\/[^/]+/, '') });

  it('gives a patient a private webcal link to a VCALENDAR of their bookings that follows a reschedule', async () => {
    const none = await t().app.inject({ url: '/api/v1/calendar-feed', headers: bearer(patient()) });
    expect(none.json()).toEqual({ feed: null });
    const feed = await rotate(patient());
    expect(feed.webcalUrl).toMatch(/^webcal:\/\/.+\/api\/v1\/calendar\/[A-Za-z0-9_-]{43}\.ics$/);
    expect(feed.webcalUrl.replace(/^webcal:/, 'http:')).toBe(feed.url);
    const shown = await t().app.inject({ url: '/api/v1/calendar-feed', headers: bearer(patient()) });
    expect(shown.json()).toEqual({ feed });

    const first = await fetchFeed(feed);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.headers['content-type']).toMatch(/^text\/calendar/);
    const before = parseFeed(first.body);
    expect(before.events).toEqual([
      expect.objectContaining({
        uid: `${booking.id}@carebook`,
        start: WED_0900_NY,
        end: at(WED_0900_NY, 15),
        status: 'CONFIRMED',
        summary: `Repeat prescription – ${p.listing.name}`,
      }),
    ]);

    const moved = await t().app.inject({
      method: 'POST',
      url: `/api/v1/bookings/${booking.id}/reschedule`,
      headers: bearer(patient()),
      payload: { start: at(WED_0900_NY, 24 * 60) },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const next = moved.json() as Booking;
    const after = parseFeed((await fetchFeed(feed)).body);
    expect(after.events).not.toEqual(before.events);
    const byUid = Object.fromEntries(after.events.map((e) => [e.uid, e]));
    expect(byUid[`${booking.id}@carebook`]).toMatchObject({ status: 'CANCELLED' });
    expect(byUid[`${booking.id}@carebook`]?.sequence).toBeGreaterThan(before.events[0]?.sequence ?? 99);
    expect(byUid[`${next.id}@carebook`]).toMatchObject({
      status: 'CONFIRMED',
      start: at(WED_0900_NY, 24 * 60),
    });

    const audit = await t()
      .db.dbs.inventory.db.selectFrom('audit_events')
      .select('action')
      .where('actor_id', '=', p.cast.patient.user.id)
      .where('action', 'like', 'calendar_feed.%')
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual([
      'calendar_feed.read',
      'calendar_feed.read',
      'calendar_feed.rotated',
    ]);
  });

  it('gives the practice (provider and staff) feeds of the practice’s bookings, without patients’ names', async () => {
    for (const who of [p.cast.owner, p.cast.staff]) {
      const feed = await rotate(who.tokens.accessToken);
      const { name, events } = parseFeed((await fetchFeed(feed)).body);
      expect(name).toContain(who.user.displayName);
      expect(events.map((e) => e.status).sort()).toEqual(['CANCELLED', 'CONFIRMED']);
      expect(events.every((e) => !e.summary.includes('A patient'))).toBe(true);
    }
    const admin = await t().app.inject({
      method: 'POST',
      url: '/api/v1/calendar-feed/rotate',
      headers: bearer(p.cast.admin.tokens.accessToken),
      payload: {},
    });
    expectProblem(admin, 403, 'FORBIDDEN');
  });

  it('answers an unchanged feed with 304 to If-None-Match, and audits polls only when something changed', async () => {
    const feed = await rotate(p.cast.owner.tokens.accessToken);
    const reads = async () =>
      (
        await t()
          .db.dbs.inventory.db.selectFrom('audit_events')
          .select('action')
          .where('actor_id', '=', p.cast.owner.user.id)
          .where('action', '=', 'calendar_feed.read')
          .execute()
      ).length;
    const before = await reads();
    const first = await fetchFeed(feed);
    expect(first.statusCode).toBe(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    expect(await reads()).toBe(before + 1);

    // A calendar polling again: same content, same address → served, not audited again.
    const again = await fetchFeed(feed);
    expect(again.statusCode).toBe(200);
    expect(again.headers.etag).toBe(etag);
    expect(await reads()).toBe(before + 1);
    // A conditional poll discloses nothing.
    const conditional = await t().app.inject({
      url: feed.url.replace(/^https?:\/\/[^/]+/, ''),
      headers: { 'if-none-match': etag },
    });
    expect(conditional.statusCode).toBe(304);
    expect(conditional.body).toBe('');
    // The same URL used from another address is recorded at once.
    const elsewhere = await t().app.inject({
      url: feed.url.replace(/^https?:\/\/[^/]+/, ''),
      remoteAddress: '203.0.113.9',
    });
    expect(elsewhere.statusCode).toBe(200);
    expect(await reads()).toBe(before + 2);

    // A new booking changes the feed: a new ETag, the old one no longer matches, and it is audited.
    const res = await book(t().app, patient(), {
      providerId: p.listing.id,
      serviceId: p.free,
      start: at(WED_0900_NY, 2 * 24 * 60),
    });
    expect(res.statusCode, res.body).toBe(201);
    const changed = await t().app.inject({
      url: feed.url.replace(/^https?:\/\/[^/]+/, ''),
      headers: { 'if-none-match': etag },
      remoteAddress: '203.0.113.9',
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(await reads()).toBe(before + 3);
  });

  it('stops serving a rotated or revoked link at once', async () => {
    const old = await rotate(patient());
    expect((await fetchFeed(old)).statusCode).toBe(200);
    const fresh = await rotate(patient());
    expect(fresh.url).not.toBe(old.url);
    expectProblem(await fetchFeed(old), 404, 'NOT_FOUND');
    expect((await fetchFeed(fresh)).statusCode).toBe(200);
    const off = await t().app.inject({
      method: 'DELETE',
      url: '/api/v1/calendar-feed',
      headers: bearer(patient()),
    });
    expect(off.statusCode).toBe(204);
    expectProblem(await fetchFeed(fresh), 404, 'NOT_FOUND');
    expectProblem(
      await t().app.inject({ url: '/api/v1/calendar/not-a-token.ics' }),
      400,
      'VALIDATION_FAILED',
    );
  });
});
