import type { Booking } from '@carebook/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeAppEachDialect } from '../../../test/support/app';
import { book, type Ctx, type Practice, practice, WED_0900_NY } from '../../../test/support/bookings';
import { type BundleOf, expectOutcome, fhirBody } from '../../../test/support/fhir';
import { bearer, register } from '../../../test/support/http';
import { weekdaysNineToFive } from '../../../test/support/providers';

describeAppEachDialect('FHIR R4 facade', (t) => {
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
  const get = (url: string, token?: string) => t().app.inject({ url, headers: token ? bearer(token) : {} });
  const patient = () => p.cast.patient.tokens.accessToken;

  it('serves a valid CapabilityStatement at /metadata', async () => {
    const cs = fhirBody<{ fhirVersion: string; rest: { resource: { type: string }[] }[] }>(
      await get('/fhir/R4/metadata'),
      200,
      'CapabilityStatement',
    );
    expect(cs.fhirVersion).toBe('4.0.1');
    expect(cs.rest[0]?.resource.map((r) => r.type)).toEqual(
      expect.arrayContaining([
        'Practitioner',
        'Organization',
        'Location',
        'HealthcareService',
        'Schedule',
        'Slot',
        'Appointment',
        'Patient',
      ]),
    );
  });

  it('reads and searches the directory: Practitioner, Location, HealthcareService, Schedule', async () => {
    const id = p.listing.id;
    const pr = fhirBody<{ name: { text: string }[] }>(
      await get(`/fhir/R4/Practitioner/${id}`),
      200,
      'Practitioner',
    );
    expect(pr.name[0]?.text).toBe(p.listing.name);
    // A practitioner listing is not an Organization.
    expectOutcome(await get(`/fhir/R4/Organization/${id}`), 404, 'NOT_FOUND');
    fhirBody(await get(`/fhir/R4/Location/${id}`), 200, 'Location');
    fhirBody(await get(`/fhir/R4/HealthcareService/${p.paid}`), 200, 'HealthcareService');
    const schedule = fhirBody<{ actor: { reference: string }[] }>(
      await get(`/fhir/R4/Schedule/${p.free}`),
      200,
      'Schedule',
    );
    expect(schedule.actor.map((a) => a.reference)).toEqual([
      `Practitioner/${id}`,
      `HealthcareService/${p.free}`,
      `Location/${id}`,
    ]);
    const byName = fhirBody<BundleOf>(
      await get(`/fhir/R4/Practitioner?name=${encodeURIComponent(p.listing.name.slice(0, 5))}`),
      200,
      'Bundle',
    );
    expect(byName.entry?.map((e) => e.resource.id)).toContain(id);
    const schedules = fhirBody<BundleOf>(
      await get(`/fhir/R4/Schedule?actor=Practitioner/${id}`),
      200,
      'Bundle',
    );
    expect(schedules.entry?.map((e) => e.resource.id).sort()).toEqual([p.free, p.paid].sort());
    const none = fhirBody<BundleOf>(await get('/fhir/R4/Organization?name=no-such-clinic'), 200, 'Bundle');
    expect(none.total).toBe(0);
  });

  it('computes Slots: free and busy, searched by schedule, start range and status, paged with next links', async () => {
    const day = '2026-11-25';
    const url = `/fhir/R4/Slot?schedule=Schedule/${p.free}&start=ge${day}T14:00:00Z&start=lt${day}T15:00:00Z&_count=3`;
    const seen: { id: string; status: string; start: string }[] = [];
    let next: string | undefined = url;
    let pages = 0;
    while (next) {
      const page: BundleOf = fhirBody<BundleOf>(
        await get(next.replace(/^https?:\/\/[^/]+/, '')),
        200,
        'Bundle',
      );
      expect(page.total).toBe(4); // 14:00, 14:15, 14:30, 14:45 (15-minute service, 15-minute grid)
      for (const e of page.entry ?? []) seen.push(e.resource as never);
      next = page.link.find((l) => l.relation === 'next')?.url;
      pages++;
    }
    expect(pages).toBe(2);
    expect(seen.map((s) => [s.start, s.status])).toEqual([
      ['2026-11-25T14:00:00.000Z', 'busy'], // the booking made in beforeAll
      ['2026-11-25T14:15:00.000Z', 'free'],
      ['2026-11-25T14:30:00.000Z', 'free'],
      ['2026-11-25T14:45:00.000Z', 'free'],
    ]);
    const free = fhirBody<BundleOf>(
      await get(
        `/fhir/R4/Slot?schedule=${p.free}&start=ge${day}T14:00:00Z&start=lt${day}T15:00:00Z&status=free`,
      ),
      200,
      'Bundle',
    );
    expect(free.total).toBe(3);
    const one = fhirBody<{ status: string }>(await get(`/fhir/R4/Slot/${seen[0]?.id}`), 200, 'Slot');
    expect(one.status).toBe('busy');
    const byType = fhirBody<BundleOf>(
      await get(
        `/fhir/R4/Slot?service-type=urn:carebook:service|${p.paid}&start=ge${day}T14:00:00Z&start=lt${day}T15:00:00Z`,
      ),
      200,
      'Bundle',
    );
    // The paid service (30 minutes + 5 after) on the same 15-minute grid: 14:00 overlaps the booking.
    expect(byType.entry?.map((e) => [e.resource.start, e.resource.status])).toEqual([
      ['2026-11-25T14:00:00.000Z', 'busy'],
      ['2026-11-25T14:15:00.000Z', 'free'],
      ['2026-11-25T14:30:00.000Z', 'free'],
      ['2026-11-25T14:45:00.000Z', 'free'],
    ]);
  });

  it('answers every error with an OperationOutcome, never problem+json', async () => {
    expectOutcome(await get('/fhir/R4/Practitioner/no-such-id'), 404, 'NOT_FOUND');
    expectOutcome(await get('/fhir/R4/Slot?start=ne2026-11-25'), 400, 'VALIDATION_FAILED');
    expectOutcome(await get('/fhir/R4/Slot?bogus=1'), 400, 'VALIDATION_FAILED');
    expectOutcome(await get('/fhir/R4/Appointment'), 401, 'UNAUTHENTICATED');
    expectOutcome(await get('/fhir/R4/Appointment', 'not.a.jwt'), 401, 'INVALID_TOKEN');
    expectOutcome(await get('/fhir/R4/Nothing'), 404, 'ROUTE_NOT_FOUND');
    const post = await t().app.inject({
      method: 'POST',
      url: '/fhir/R4/Appointment/$hold',
      headers: { ...bearer(patient()), 'content-type': 'application/fhir+json' },
      payload: '{"resourceType":',
    });
    expectOutcome(post, 400, 'MALFORMED_JSON');
  });

  it('maps bookings onto Appointments with REST permissions, and audits every read', async () => {
    const appt = fhirBody<{ status: string; participant: { actor: { reference: string } }[] }>(
      await get(`/fhir/R4/Appointment/${booking.id}`, patient()),
      200,
      'Appointment',
    );
    expect(appt.status).toBe('booked');
    expect(appt.participant[0]?.actor.reference).toBe(`Patient/${booking.patientId}`);
    // The practice sees it; another patient and another provider do not.
    fhirBody(
      await get(`/fhir/R4/Appointment/${booking.id}`, p.cast.staff.tokens.accessToken),
      200,
      'Appointment',
    );
    const stranger = await register(t().app, { displayName: 'Stranger' });
    expectOutcome(
      await get(`/fhir/R4/Appointment/${booking.id}`, stranger.tokens.accessToken),
      404,
      'NOT_FOUND',
    );
    expectOutcome(
      await get(`/fhir/R4/Appointment/${booking.id}`, p.cast.other.tokens.accessToken),
      404,
      'NOT_FOUND',
    );
    const mine = fhirBody<BundleOf>(
      await get('/fhir/R4/Appointment?status=booked', patient()),
      200,
      'Bundle',
    );
    expect(mine.entry?.map((e) => e.resource.id)).toEqual([booking.id]);
    const cancelled = fhirBody<BundleOf>(
      await get('/fhir/R4/Appointment?status=cancelled', patient()),
      200,
      'Bundle',
    );
    expect(cancelled.total).toBe(0);
    const byId = fhirBody<BundleOf>(
      await get(`/fhir/R4/Appointment?_id=${booking.id}`, patient()),
      200,
      'Bundle',
    );
    expect(byId.total).toBe(1);
    const notTheirs = fhirBody<BundleOf>(
      await get(`/fhir/R4/Appointment?_id=${booking.id}`, p.cast.other.tokens.accessToken),
      200,
      'Bundle',
    );
    expect(notTheirs.total).toBe(0);

    const audit = await t()
      .db.dbs.inventory.db.selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'fhir.read')
      .where('actor_id', '=', p.cast.patient.user.id)
      .execute();
    expect(audit.map((a) => a.target_type)).toEqual(['Appointment', 'Appointment', 'Appointment']);
    expect(JSON.parse(audit[1]?.details ?? '{}').ids).toEqual([booking.id]);
  });

  describe('Patient', () => {
    it('is the caller’s own record, or one of the practice’s patients', async () => {
      const own = fhirBody<{ name: { text: string }[] }>(
        await get(`/fhir/R4/Patient/${p.cast.patient.user.id}`, patient()),
        200,
        'Patient',
      );
      expect(own.name[0]?.text).toBe('A patient');
      fhirBody(
        await get(`/fhir/R4/Patient/${p.cast.patient.user.id}`, p.cast.owner.tokens.accessToken),
        200,
        'Patient',
      );
      const list = fhirBody<BundleOf>(
        await get('/fhir/R4/Patient', p.cast.staff.tokens.accessToken),
        200,
        'Bundle',
      );
      expect(list.entry?.map((e) => e.resource.id)).toEqual([p.cast.patient.user.id]);
      // Another provider has never seen this patient.
      expectOutcome(
        await get(`/fhir/R4/Patient/${p.cast.patient.user.id}`, p.cast.other.tokens.accessToken),
        404,
        'NOT_FOUND',
      );
      const stranger = await register(t().app, { displayName: 'Nosy' });
      expectOutcome(
        await get(`/fhir/R4/Patient/${p.cast.patient.user.id}`, stranger.tokens.accessToken),
        404,
        'NOT_FOUND',
      );
      const audited = await t()
        .db.dbs.inventory.db.selectFrom('audit_events')
        .select(['actor_id', 'target_id'])
        .where('action', '=', 'fhir.read')
        .where('target_type', '=', 'Patient')
        .execute();
      expect(audited).toEqual(
        expect.arrayContaining([
          { actor_id: p.cast.patient.user.id, target_id: p.cast.patient.user.id },
          { actor_id: p.cast.owner.user.id, target_id: p.cast.patient.user.id },
        ]),
      );
    });
  });

  it('marks the provider’s time off busy-unavailable, and follows schedule edits', async () => {
    const res = await t().app.inject({
      method: 'PUT',
      url: `/api/v1/providers/${p.listing.id}/schedule`,
      headers: { ...bearer(p.cast.owner.tokens.accessToken), 'if-match': `"${p.listing.version}"` },
      payload: weekdaysNineToFive({
        slotIntervalMinutes: 15,
        cancellationWindowHours: 24,
        timeOff: [{ start: '2026-11-26T14:00:00.000Z', end: '2026-11-26T14:30:00.000Z' }],
      }),
    });
    expect(res.statusCode, res.body).toBe(200);
    const slots = fhirBody<BundleOf>(
      await get(`/fhir/R4/Slot?schedule=${p.free}&start=ge2026-11-26T14:00:00Z&start=lt2026-11-26T15:00:00Z`),
      200,
      'Bundle',
    );
    expect(slots.entry?.map((e) => e.resource.status)).toEqual([
      'busy-unavailable',
      'busy-unavailable',
      'free',
      'free',
    ]);
    const free = fhirBody<BundleOf>(
      await get(
        `/fhir/R4/Slot?schedule=${p.free}&start=ge2026-11-26T14:00:00Z&start=lt2026-11-26T15:00:00Z&status=busy-unavailable`,
      ),
      200,
      'Bundle',
    );
    expect(free.total).toBe(2);
  });
});
