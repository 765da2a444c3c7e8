import type { Booking, BookingSeries, Problem } from '@carebook/contracts';
import ICAL from 'ical.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeAppEachDialect } from '../../../test/support/app';
import { allowSeries, book, type Ctx, newKey, type Practice, practice } from '../../../test/support/bookings';
import { bearer, expectProblem, register } from '../../../test/support/http';
import { listingCacheTag } from '../providers/listing-cache';

type SeriesProblem = Problem & { conflicts: NonNullable<Problem['conflicts']> };

const starts = (s: BookingSeries) => s.items.map((i) => i.booking.start);

/** Expands a VCALENDAR's recurring event with ical.js (an outside RFC 5545 implementation). */
function expand(ics: string): { rrule: string; starts: string[] } {
  const cal = new ICAL.Component(ICAL.parse(ics));
  for (const tz of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz);
  const vevent = cal.getFirstSubcomponent('vevent');
  if (!vevent) throw new Error('no VEVENT');
  const event = new ICAL.Event(vevent);
  const it = event.iterator();
  const out: string[] = [];
  for (let next = it.next(); next && out.length < 100; next = it.next()) {
    if (event.isRecurrenceException()) continue;
    out.push(next.toJSDate().toISOString());
  }
  return { rrule: String(vevent.getFirstPropertyValue('rrule')), starts: out };
}

describe('recurring series', () => {
  describeAppEachDialect('across a DST change', (t) => {
    let p: Practice;
    beforeAll(async () => {
      // New York's DST starts on Sunday 14 March 2027; the listing books 60 days ahead.
      t().clock.set(new Date('2027-03-01T12:00:00.000Z'));
      p = await practice(t() as Ctx);
      await allowSeries(t() as Ctx, p);
    });

    it('keeps 09:00 New York time every week, books all dates confirmed, and gives one .ics with an RRULE', async () => {
      const res = await t().app.inject({
        method: 'POST',
        url: '/api/v1/booking-series',
        headers: { ...bearer(p.cast.patient.tokens.accessToken), 'idempotency-key': newKey() },
        payload: {
          providerId: p.listing.id,
          serviceId: p.free,
          start: '2027-03-03T14:00:00.000Z',
          intervalWeeks: 1,
          occurrences: 4,
          reasonForVisit: 'Weekly check',
          newPatient: true,
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      const series = res.json() as BookingSeries;
      expect(series).toMatchObject({
        timeZone: 'America/New_York',
        localStart: '2027-03-03T09:00:00',
        rrule: 'FREQ=WEEKLY;INTERVAL=1;COUNT=4',
      });
      expect(starts(series)).toEqual([
        '2027-03-03T14:00:00.000Z',
        '2027-03-10T14:00:00.000Z',
        '2027-03-17T13:00:00.000Z',
        '2027-03-24T13:00:00.000Z',
      ]);
      expect(series.items.map((i) => i.booking.status)).toEqual([
        'confirmed',
        'confirmed',
        'confirmed',
        'confirmed',
      ]);
      expect(series.items.map((i) => i.booking.newPatient)).toEqual([true, false, false, false]);

      const ics = await t().app.inject({
        url: `/api/v1/booking-series/${series.id}/calendar.ics`,
        headers: bearer(p.cast.patient.tokens.accessToken),
      });
      expect(ics.statusCode).toBe(200);
      expect(ics.headers['content-type']).toMatch(/^text\/calendar/);
      const parsed = expand(ics.body);
      expect(parsed.rrule).toContain('FREQ=WEEKLY');
      expect(parsed.starts).toEqual(starts(series));

      // Cancelling one date leaves the rest; the calendar file excludes it (EXDATE).
      const second = series.items[1]?.booking as Booking;
      const cancel = await t().app.inject({
        method: 'POST',
        url: `/api/v1/bookings/${second.id}/cancel`,
        headers: bearer(p.cast.patient.tokens.accessToken),
        payload: {},
      });
      expect(cancel.statusCode, cancel.body).toBe(200);
      const after = await t().app.inject({
        url: `/api/v1/booking-series/${series.id}/calendar.ics`,
        headers: bearer(p.cast.patient.tokens.accessToken),
      });
      expect(after.body).toContain('EXDATE;TZID=America/New_York:20270310T090000');
      const exdates = new ICAL.Component(ICAL.parse(after.body))
        .getFirstSubcomponent('vevent')
        ?.getAllProperties('exdate')
        .map((e) => (e.getFirstValue() as ICAL.Time).toJSDate().toISOString());
      expect(exdates).toEqual(['2027-03-10T14:00:00.000Z']);

      // Cancelling "this and the rest" from date 3 cancels 3 and 4.
      const rest = await t().app.inject({
        method: 'POST',
        url: `/api/v1/booking-series/${series.id}/cancel`,
        headers: bearer(p.cast.patient.tokens.accessToken),
        payload: { fromOccurrence: 3 },
      });
      expect(rest.statusCode, rest.body).toBe(200);
      expect((rest.json() as BookingSeries).items.map((i) => i.booking.status)).toEqual([
        'confirmed',
        'cancelled',
        'cancelled',
        'cancelled',
      ]);
      // Someone else's series is not found.
      const stranger = await register(t().app, { displayName: 'Stranger' });
      expectProblem(
        await t().app.inject({
          url: `/api/v1/booking-series/${series.id}`,
          headers: bearer(stranger.tokens.accessToken),
        }),
        404,
        'NOT_FOUND',
      );
    });
  });

  describeAppEachDialect('booking rules', (t) => {
    let p: Practice;
    beforeAll(async () => {
      p = await practice(t() as Ctx);
    });
    const post = (token: string, body: Record<string, unknown>, key = newKey()) =>
      t().app.inject({
        method: 'POST',
        url: '/api/v1/booking-series',
        headers: { ...bearer(token), 'idempotency-key': key },
        payload: {
          providerId: p.listing.id,
          serviceId: p.free,
          intervalWeeks: 1,
          reasonForVisit: 'Follow-up',
          newPatient: false,
          ...body,
        },
      });
    const patient = () => p.cast.patient.tokens.accessToken;

    it('refuses patients where the listing does not take series', async () => {
      const res = await post(patient(), { start: '2026-11-30T14:00:00.000Z', occurrences: 3 });
      expectProblem(res, 422, 'SERIES_NOT_ALLOWED');
      await allowSeries(t() as Ctx, p);
      expectProblem(await post(patient(), { start: '2026-11-30T14:00:00.000Z' }), 400, 'VALIDATION_FAILED');
      // A practice closed to new patients says so once, for the whole series.
      await t()
        .db.dbs.inventory.db.updateTable('providers')
        .set({ accepting_new_patients: 0 })
        .where('id', '=', p.listing.id)
        .execute();
      await t().services.cache.invalidateTag(listingCacheTag(p.listing.id));
      const closed = await post(patient(), {
        start: '2026-11-30T14:00:00.000Z',
        occurrences: 3,
        newPatient: true,
      });
      expectProblem(closed, 409, 'NOT_BOOKABLE');
      await t()
        .db.dbs.inventory.db.updateTable('providers')
        .set({ accepting_new_patients: 1 })
        .where('id', '=', p.listing.id)
        .execute();
      await t().services.cache.invalidateTag(listingCacheTag(p.listing.id));
    });

    it('a conflict in week 3 of 8 books nothing and names week 3, with other times that day', async () => {
      const rival = await register(t().app, { displayName: 'Rival' });
      const week3 = '2026-12-14T15:00:00.000Z'; // Monday 10:00 New York, two weeks after 30 Nov
      expect(
        (
          await book(t().app, rival.tokens.accessToken, {
            providerId: p.listing.id,
            serviceId: p.free,
            start: week3,
          })
        ).statusCode,
      ).toBe(201);
      const res = await post(patient(), { start: '2026-11-30T15:00:00.000Z', occurrences: 8 });
      const problem = expectProblem(res, 409, 'SERIES_CONFLICT') as unknown as SeriesProblem;
      expect(problem.detail).toContain('date 3 of 8');
      expect(problem.conflicts).toEqual([
        expect.objectContaining({ occurrence: 3, start: week3, reason: 'taken' }),
      ]);
      expect(problem.conflicts[0]?.message).toContain('Monday 14 December 2026, 10:00 (America/New_York)');
      expect(problem.conflicts[0]?.alternatives.length).toBeGreaterThan(0);
      expect(problem.conflicts[0]?.alternatives).not.toContain(week3);
      // Nothing was booked: the patient's list has none of the other seven dates.
      const mine = (
        await t().app.inject({ url: '/api/v1/bookings?pageSize=100', headers: bearer(patient()) })
      ).json() as { items: Booking[] };
      expect(
        mine.items.filter((b) => b.start.startsWith('2026-12') || b.start.startsWith('2027-01')),
      ).toEqual([]);
      const rows = await t().db.dbs.bookings.db.selectFrom('booking_series').selectAll().execute();
      expect(rows).toEqual([]);
    });

    it('a date off the opening hours or beyond the horizon is refused by name', async () => {
      // Weekly on Monday 16:45 New York: a 15-minute service fits; 20 weeks run past the 60-day horizon.
      const res = await post(patient(), { start: '2026-11-30T21:45:00.000Z', occurrences: 20 });
      const problem = expectProblem(res, 409, 'SERIES_CONFLICT') as unknown as SeriesProblem;
      expect(problem.conflicts.every((c) => c.reason === 'not_bookable')).toBe(true);
      expect(problem.conflicts[0]?.occurrence).toBe(9); // Mon 25 Jan 2027, past 23 Jan
      expect(problem.conflicts).toHaveLength(12);
    });

    it('replays the same request, refuses the key with another body, and lets one of two racing series win', async () => {
      const key = newKey();
      const body = { start: '2026-12-01T14:00:00.000Z', occurrences: 3 };
      const first = await post(patient(), body, key);
      expect(first.statusCode, first.body).toBe(201);
      const again = await post(patient(), body, key);
      expect(again.statusCode).toBe(201);
      expect((again.json() as BookingSeries).id).toBe((first.json() as BookingSeries).id);
      expectProblem(await post(patient(), { ...body, occurrences: 4 }, key), 422, 'IDEMPOTENCY_KEY_REUSED');

      const other = await register(t().app, { displayName: 'Other patient' });
      const [a, b] = await Promise.all([
        post(patient(), { start: '2026-12-02T16:00:00.000Z', occurrences: 4 }),
        post(other.tokens.accessToken, { start: '2026-12-09T16:00:00.000Z', occurrences: 4 }),
      ]);
      expect([a.statusCode, b.statusCode].sort()).toEqual([201, 409]);
    });

    it('the practice books a series for one of its patients, not for strangers, and not for another practice', async () => {
      const owner = p.cast.owner.tokens.accessToken;
      expectProblem(
        await post(owner, { start: '2026-12-03T14:00:00.000Z', occurrences: 2 }),
        400,
        'VALIDATION_FAILED',
      );
      const res = await post(owner, {
        start: '2026-12-03T14:00:00.000Z',
        occurrences: 2,
        patientId: p.cast.patient.user.id,
      });
      expect(res.statusCode, res.body).toBe(201);
      expect((res.json() as BookingSeries).patientId).toBe(p.cast.patient.user.id);
      const stranger = await register(t().app, { displayName: 'Never booked' });
      expectProblem(
        await post(owner, { start: '2026-12-04T14:00:00.000Z', occurrences: 2, patientId: stranger.user.id }),
        404,
        'NOT_FOUND',
      );
      expectProblem(
        await post(p.cast.other.tokens.accessToken, {
          start: '2026-12-04T14:00:00.000Z',
          occurrences: 2,
          patientId: p.cast.patient.user.id,
        }),
        403,
        'FORBIDDEN',
      );
    });
  });
});
