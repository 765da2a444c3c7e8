import type { AccessLogEntry, Booking } from '@carebook/contracts';
import { beforeAll, expect, it } from 'vitest';
import { describeAppEachDialect } from '../../../test/support/app';
import { at, book, type Ctx, type Practice, practice, WED_0900_NY } from '../../../test/support/bookings';
import { bearer } from '../../../test/support/http';

describeAppEachDialect('access audit of booking reads', (t) => {
  let p: Practice;
  let booking: Booking;
  beforeAll(async () => {
    p = await practice(t() as Ctx);
    const created = await book(t().app, p.cast.patient.tokens.accessToken, {
      providerId: p.listing.id,
      serviceId: p.free,
      start: at(WED_0900_NY, 60),
    });
    expect(created.statusCode, created.body).toBe(201);
    booking = created.json() as Booking;
  });

  const rowsFor = (patientId: string) =>
    t()
      .db.dbs.inventory.db.selectFrom('audit_events')
      .selectAll()
      .where('patient_id', '=', patientId)
      .where('action', 'like', 'access.%')
      .orderBy('seq')
      .execute();
  const get = (url: string, token: string) => t().app.inject({ url, headers: bearer(token) });

  it("the patient's own reads (list, detail, calendar file) are not recorded", async () => {
    const token = p.cast.patient.tokens.accessToken;
    expect((await get('/api/v1/bookings', token)).statusCode).toBe(200);
    expect((await get(`/api/v1/bookings/${booking.id}`, token)).statusCode).toBe(200);
    expect((await get(`/api/v1/bookings/${booking.id}/ics`, token)).statusCode).toBe(200);
    expect(await rowsFor(p.cast.patient.user.id)).toEqual([]);
  });

  it('a provider, staff member or admin reading lists and one booking is recorded per patient, with purpose', async () => {
    const patientId = p.cast.patient.user.id;
    const owner = p.cast.owner.tokens.accessToken;
    const staff = p.cast.staff.tokens.accessToken;
    const admin = p.cast.admin.tokens.accessToken;
    const list = await get('/api/v1/bookings', owner);
    expect(list.statusCode, list.body).toBe(200);
    expect((list.json() as { items: Booking[] }).items.map((b) => b.id)).toContain(booking.id);
    expect((await get(`/api/v1/bookings/${booking.id}`, staff)).statusCode).toBe(200);
    expect((await get(`/api/v1/bookings/${booking.id}/ics`, staff)).statusCode).toBe(200);
    expect((await get('/api/v1/bookings', admin)).statusCode).toBe(200);
    expect((await get(`/api/v1/bookings/${booking.id}`, admin)).statusCode).toBe(200);

    const rows = await rowsFor(patientId);
    expect(
      rows.map((r) => [r.action, r.actor_id, r.actor_role, r.target_type, r.target_id, r.purpose]),
    ).toEqual([
      ['access.bookings_listed', p.cast.owner.user.id, 'provider', 'booking', booking.id, 'scheduling'],
      ['access.booking_viewed', p.cast.staff.user.id, 'staff', 'booking', booking.id, 'care'],
      ['access.booking_viewed', p.cast.staff.user.id, 'staff', 'booking', booking.id, 'care'],
      ['access.bookings_listed', p.cast.admin.user.id, 'admin', 'booking', booking.id, 'administration'],
      ['access.booking_viewed', p.cast.admin.user.id, 'admin', 'booking', booking.id, 'support'],
    ]);
    expect(JSON.parse(rows[2]?.details ?? '{}')).toEqual({ as: 'ics' });
    for (const r of rows) expect(r.request_id).toBeTruthy();

    // …and the patient sees each of them in their access log, newest first, with names.
    const log = await get('/api/v1/me/access-log?pageSize=50', p.cast.patient.tokens.accessToken);
    expect(log.statusCode, log.body).toBe(200);
    const entries = (log.json() as { items: AccessLogEntry[] }).items;
    expect(entries.map((e) => [e.action, e.actorName, e.resourceId])).toEqual([
      ['access.booking_viewed', expect.any(String), booking.id],
      ['access.bookings_listed', expect.any(String), booking.id],
      ['access.booking_viewed', 'Front desk', booking.id],
      ['access.booking_viewed', 'Front desk', booking.id],
      ['access.bookings_listed', 'Owner', booking.id],
    ]);
  });

  it('FHIR Appointment and Patient reads by the practice are in the patient’s access log; the patient’s own are not', async () => {
    const patientId = p.cast.patient.user.id;
    const before = (await rowsFor(patientId)).length;
    const own = await get(`/fhir/R4/Appointment/${booking.id}`, p.cast.patient.tokens.accessToken);
    expect(own.statusCode, own.body).toBe(200);
    expect((await rowsFor(patientId)).length).toBe(before);
    const read = await get(`/fhir/R4/Appointment/${booking.id}`, p.cast.owner.tokens.accessToken);
    expect(read.statusCode, read.body).toBe(200);
    const search = await get(`/fhir/R4/Appointment?_id=${booking.id}`, p.cast.owner.tokens.accessToken);
    expect(search.statusCode, search.body).toBe(200);
    const patientRead = await get(`/fhir/R4/Patient/${patientId}`, p.cast.owner.tokens.accessToken);
    expect(patientRead.statusCode, patientRead.body).toBe(200);
    const added = (await rowsFor(patientId)).slice(before);
    expect(added.map((r) => [r.action, r.actor_id, r.target_id])).toEqual([
      ['access.booking_viewed', p.cast.owner.user.id, booking.id],
      ['access.bookings_listed', p.cast.owner.user.id, booking.id],
      ['access.user_viewed', p.cast.owner.user.id, patientId],
    ]);
  });
});
