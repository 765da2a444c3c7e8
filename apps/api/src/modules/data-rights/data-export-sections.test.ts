import type { AuthResult, Booking, BookingSeries, DataExport, WaitlistEntry } from '@carebook/contracts';
import { beforeAll, expect, it } from 'vitest';
import { describeAppEachDialect } from '../../../test/support/app';
import {
  allowSeries,
  at,
  book,
  type Ctx,
  newKey,
  type Practice,
  practice,
  WED_0900_NY,
} from '../../../test/support/bookings';
import { bearer, register } from '../../../test/support/http';

/**
 * The GDPR export's waitlist and series sections: every waitlist the caller joined (left ones too)
 * with the times offered, and the recurring series they booked with their bookings in order;
 * nobody else's.
 */
describeAppEachDialect('GDPR export: waitlist and series', (t) => {
  let p: Practice;
  let patient: AuthResult;
  let other: AuthResult;
  let series: BookingSeries;
  let later: Booking;
  let june: WaitlistEntry;
  let earlier: WaitlistEntry;

  const join = async (token: string, body: Record<string, unknown>) => {
    const res = await t().app.inject({
      method: 'POST',
      url: '/api/v1/waitlist',
      headers: bearer(token),
      payload: { providerId: p.listing.id, serviceId: p.free, ...body },
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as WaitlistEntry;
  };
  const exportOf = async (token: string) => {
    const res = await t().app.inject({ url: '/api/v1/me/export', headers: bearer(token) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as DataExport;
  };

  beforeAll(async () => {
    p = await practice(t() as Ctx);
    await allowSeries(t() as Ctx, p);
    patient = p.cast.patient;
    other = await register(t().app, {
      email: `other-${newKey()}@example.test`,
      displayName: 'Other Patient',
    });
    const res = await t().app.inject({
      method: 'POST',
      url: '/api/v1/booking-series',
      headers: { ...bearer(patient.tokens.accessToken), 'idempotency-key': newKey() },
      payload: {
        providerId: p.listing.id,
        serviceId: p.free,
        start: at(WED_0900_NY, 60),
        intervalWeeks: 1,
        occurrences: 3,
        reasonForVisit: 'Weekly check',
        newPatient: true,
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    series = res.json() as BookingSeries;
    // A visit late on Friday, then a wish for an earlier time: a free one is held for them at once.
    const b = await book(t().app, patient.tokens.accessToken, {
      providerId: p.listing.id,
      serviceId: p.free,
      start: at(WED_0900_NY, 2 * 24 * 60 + 7 * 60),
    });
    expect(b.statusCode, b.body).toBe(201);
    later = b.json() as Booking;
    earlier = await join(patient.tokens.accessToken, { earlierThanBookingId: later.id });
    expect(earlier.offer).not.toBeNull();
    // A June window (beyond the booking horizon: nothing to offer), left again.
    june = await join(patient.tokens.accessToken, {
      window: { fromDate: '2027-06-01', toDate: '2027-06-30', weekdays: ['mon', 'tue'], dayPart: 'morning' },
    });
    expect(june.status).toBe('waiting');
    const left = await t().app.inject({
      method: 'DELETE',
      url: `/api/v1/waitlist/${june.id}`,
      headers: bearer(patient.tokens.accessToken),
    });
    expect(left.statusCode, left.body).toBe(204);
    // Someone else waits too.
    await join(other.tokens.accessToken, {
      window: { fromDate: '2027-06-01', toDate: '2027-06-30' },
    });
  });

  it('lists every waitlist the caller joined, left ones too, with the times held for them', async () => {
    const data = await exportOf(patient.tokens.accessToken);
    expect(data.waitlist.map((e) => e.id).sort()).toEqual([earlier.id, june.id].sort());
    const exportedJune = data.waitlist.find((e) => e.id === june.id);
    expect(exportedJune).toMatchObject({
      providerId: p.listing.id,
      serviceId: p.free,
      window: { fromDate: '2027-06-01', toDate: '2027-06-30', weekdays: ['mon', 'tue'], dayPart: 'morning' },
      earlierThanBookingId: null,
      status: 'left',
      offers: [],
    });
    const exportedEarlier = data.waitlist.find((e) => e.id === earlier.id);
    expect(exportedEarlier).toMatchObject({
      window: null,
      earlierThanBookingId: later.id,
      status: 'offered',
    });
    expect(exportedEarlier?.offers).toEqual([
      {
        id: earlier.offer?.id,
        bookingId: earlier.offer?.bookingId,
        start: earlier.offer?.start,
        expiresAt: earlier.offer?.expiresAt,
        status: 'offered',
        createdAt: expect.any(String),
      },
    ]);
    expect(Date.parse(exportedEarlier?.offers[0]?.start ?? '')).toBeLessThan(Date.parse(later.start));
  });

  it('lists the series the caller booked, with its bookings in order', async () => {
    const data = await exportOf(patient.tokens.accessToken);
    expect(data.series).toEqual([
      {
        id: series.id,
        providerId: p.listing.id,
        serviceId: p.free,
        timeZone: 'America/New_York',
        localStart: series.localStart,
        intervalWeeks: 1,
        occurrences: 3,
        createdAt: expect.any(String),
        bookingIds: series.items.map((i) => i.booking.id),
      },
    ]);
    const exported = new Set(data.bookings.map((b) => b.id));
    expect(series.items.every((i) => exported.has(i.booking.id))).toBe(true);
  });

  it('holds nothing of anyone else', async () => {
    const data = await exportOf(other.tokens.accessToken);
    expect(data.waitlist).toHaveLength(1);
    expect(data.waitlist[0]).toMatchObject({ status: 'waiting', window: { fromDate: '2027-06-01' } });
    expect(data.series).toEqual([]);
    const text = JSON.stringify(data);
    for (const id of [earlier.id, june.id, series.id]) expect(text).not.toContain(id);
  });
});
