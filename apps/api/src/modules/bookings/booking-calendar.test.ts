import type { Booking } from '@carebook/contracts';
import ICAL from 'ical.js';
import { beforeAll, expect, it } from 'vitest';
import { describeAppEachDialect } from '../../../test/support/app';
import { at, book, type Ctx, type Practice, practice, WED_0900_NY } from '../../../test/support/bookings';
import { bearer, expectProblem, register } from '../../../test/support/http';

function parse(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const vevent = calendar.getFirstSubcomponent('vevent');
  if (!vevent) throw new Error('no VEVENT');
  return { calendar, vevent, event: new ICAL.Event(vevent) };
}

describeAppEachDialect('GET /bookings/{id}/ics and request bodies', (t) => {
  let p: Practice;
  beforeAll(async () => {
    p = await practice(t() as Ctx);
  });
  const patient = () => p.cast.patient.tokens.accessToken;
  const icsOf = (id: string, token = patient()) =>
    t().app.inject({ url: `/api/v1/bookings/${id}/ics`, headers: bearer(token) });

  it('serves the booking as a calendar file with the service, the address and a link back; others get 404', async () => {
    const created = await book(t().app, patient(), {
      providerId: p.listing.id,
      serviceId: p.free,
      start: WED_0900_NY,
    });
    expect(created.statusCode, created.body).toBe(201);
    const booking = created.json() as Booking;
    const res = await icsOf(booking.id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar/);
    const { calendar, vevent, event } = parse(res.body);
    expect(calendar.getFirstPropertyValue('method')).toBe('PUBLISH');
    expect(event.uid).toBe(`${booking.id}@carebook`);
    expect(event.startDate.toJSDate().toISOString()).toBe(booking.start);
    expect(event.endDate.toJSDate().toISOString()).toBe(booking.end);
    expect(event.summary).toContain('Repeat prescription');
    expect(event.location).toContain('1 Main St');
    expect(event.description).toContain('Repeat prescription with');
    expect(String(vevent.getFirstPropertyValue('url'))).toMatch(new RegExp(`/bookings/${booking.id}$`));
    // The practice may read it too; a stranger may not (same rule as reading the booking).
    expect((await icsOf(booking.id, p.cast.staff.tokens.accessToken)).statusCode).toBe(200);
    const stranger = await register(t().app);
    expectProblem(await icsOf(booking.id, stranger.tokens.accessToken), 404, 'NOT_FOUND');
    expectProblem(
      await t().app.inject({ url: `/api/v1/bookings/${booking.id}/ics` }),
      401,
      'UNAUTHENTICATED',
    );
  });

  it('a rescheduled booking is the same calendar event (same UID) with a higher SEQUENCE', async () => {
    const created = await book(t().app, patient(), {
      providerId: p.listing.id,
      serviceId: p.free,
      start: at(WED_0900_NY, 120),
    });
    const first = created.json() as Booking;
    const before = parse((await icsOf(first.id)).body).event;
    const moved = await t().app.inject({
      method: 'POST',
      url: `/api/v1/bookings/${first.id}/reschedule`,
      headers: bearer(patient()),
      payload: { start: at(WED_0900_NY, 180) },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    const next = moved.json() as Booking;
    expect(next.id).not.toBe(first.id);
    for (const token of [patient(), p.cast.staff.tokens.accessToken]) {
      const after = parse((await icsOf(next.id, token)).body).event;
      expect(after.uid).toBe(before.uid);
      expect(after.sequence).toBeGreaterThan(before.sequence);
      expect(after.startDate.toJSDate().toISOString()).toBe(next.start);
    }
  });

  it('a text/plain body is refused with 415, not parsed as a string', async () => {
    const res = await t().app.inject({
      method: 'POST',
      url: '/api/v1/bookings',
      headers: { ...bearer(patient()), 'idempotency-key': 'plain-text', 'content-type': 'text/plain' },
      payload: JSON.stringify({ providerId: p.listing.id, serviceId: p.free, start: WED_0900_NY }),
    });
    expectProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  });
});
