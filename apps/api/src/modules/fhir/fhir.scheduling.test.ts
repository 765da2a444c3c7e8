import type { Booking } from '@carebook/contracts';
import { beforeAll, expect, it } from 'vitest';
import { describeAppEachDialect } from '../../../test/support/app';
import {
  at,
  book,
  type Ctx,
  newKey,
  type Practice,
  pay,
  practice,
  WED_0900_NY,
} from '../../../test/support/bookings';
import { type BundleOf, expectOutcome, fhirBody } from '../../../test/support/fhir';
import { bearer, expectProblem, register } from '../../../test/support/http';

type Appointment = {
  id: string;
  status: string;
  start: string;
  slot: { reference: string }[];
  extension?: { url: string; valueMoney?: { value: number; currency: string }; valueUrl?: string }[];
};

describeAppEachDialect('FHIR scheduling operations (IHE ITI-115/116/117)', (t) => {
  let p: Practice;
  beforeAll(async () => {
    p = await practice(t() as Ctx);
  });
  const patient = () => p.cast.patient.tokens.accessToken;
  const op = (name: string, parameter: unknown[], token = patient(), key: string | null = newKey()) =>
    t().app.inject({
      method: 'POST',
      url: `/fhir/R4/Appointment/$${name}`,
      headers: {
        ...bearer(token),
        'content-type': 'application/fhir+json',
        ...(key ? { 'idempotency-key': key } : {}),
      },
      payload: JSON.stringify({ resourceType: 'Parameters', parameter }),
    });
  const find = async (query: string) => {
    const res = await t().app.inject({ url: `/fhir/R4/Appointment/$find?${query}` });
    return (
      fhirBody<BundleOf>(res, 200, 'Bundle').entry?.map((e) => e.resource as unknown as Appointment) ?? []
    );
  };

  it('$find → $hold → $book books a free service, seen over REST and the WebSocket', async () => {
    const app = t().app;
    const ws = await app.injectWS('/api/v1/ws');
    const pushed: { type: string; bookingId?: string; status?: string }[] = [];
    await new Promise<void>((resolve) => {
      ws.on('message', (raw: Buffer) => {
        const msg = JSON.parse(raw.toString());
        if (msg.type === 'ready') resolve();
        else pushed.push(msg);
      });
      ws.send(JSON.stringify({ type: 'auth', token: patient() }));
    });

    const offers = await find(
      `service-type=urn:carebook:service|${p.free}&start=2026-11-25T14:00:00Z&end=2026-11-25T15:00:00Z`,
    );
    expect(offers.map((o) => [o.status, o.start])).toEqual([
      ['proposed', '2026-11-25T14:00:00.000Z'],
      ['proposed', '2026-11-25T14:15:00.000Z'],
      ['proposed', '2026-11-25T14:30:00.000Z'],
      ['proposed', '2026-11-25T14:45:00.000Z'],
    ]);
    // POST form with Parameters finds the same.
    const posted = await t().app.inject({
      method: 'POST',
      url: '/fhir/R4/Appointment/$find',
      headers: { 'content-type': 'application/fhir+json' },
      payload: JSON.stringify({
        resourceType: 'Parameters',
        parameter: [
          { name: 'practitioner', valueReference: { reference: `Practitioner/${p.listing.id}` } },
          { name: 'start', valueDateTime: '2026-11-25T14:00:00Z' },
          { name: 'end', valueDateTime: '2026-11-25T14:30:00Z' },
        ],
      }),
    });
    const both = fhirBody<BundleOf>(posted, 200, 'Bundle').entry ?? [];
    expect(both.length).toBeGreaterThanOrEqual(2);

    const offer = offers[1] as Appointment;
    const key = newKey();
    const held = fhirBody<BundleOf>(
      await op(
        'hold',
        [
          { name: 'appointment', resource: offer },
          { name: 'reason', valueString: 'Repeat script' },
        ],
        patient(),
        key,
      ),
      201,
      'Bundle',
    );
    const heldAppt = held.entry?.[0]?.resource as unknown as Appointment;
    // $hold only holds the time, also for a free service: pending until $book or the hold runs out.
    expect(heldAppt.status).toBe('pending');
    expect(heldAppt.extension?.some((e) => e.url.endsWith('hold-expires'))).toBe(true);
    const whileHeld = await app.inject({
      url: `/api/v1/bookings/${heldAppt.id}`,
      headers: bearer(patient()),
    });
    expect(whileHeld.json()).toMatchObject({ status: 'pending' });
    // The same request again (same Idempotency-Key) replays: one booking, not two.
    const replay = fhirBody<BundleOf>(
      await op(
        'hold',
        [
          { name: 'appointment', resource: offer },
          { name: 'reason', valueString: 'Repeat script' },
        ],
        patient(),
        key,
      ),
      201,
      'Bundle',
    );
    expect(replay.entry?.[0]?.resource.id).toBe(heldAppt.id);

    const booked = fhirBody<BundleOf>(
      await op('book', [{ name: 'appointment', resource: heldAppt }]),
      200,
      'Bundle',
    );
    expect((booked.entry?.[0]?.resource as unknown as Appointment | undefined)?.status).toBe('booked');

    const rest = await app.inject({ url: `/api/v1/bookings/${heldAppt.id}`, headers: bearer(patient()) });
    expect(rest.statusCode, rest.body).toBe(200);
    expect(rest.json()).toMatchObject({
      status: 'confirmed',
      start: offer.start,
      reasonForVisit: 'Repeat script',
    });
    await t().services.bookingsRelay.drain();
    await expect
      .poll(() => pushed.filter((m) => m.bookingId === heldAppt.id).map((m) => m.status))
      .toContain('confirmed');
    ws.terminate();

    // The slot is gone from $find and is busy as a Slot.
    const after = await find(`service-type=${p.free}&start=2026-11-25T14:00:00Z&end=2026-11-25T15:00:00Z`);
    expect(after.map((o) => o.start)).not.toContain(offer.start);
  });

  it('a free hold that is not booked in time expires; $book then says so and the slot is free again', async () => {
    const [offer] = await find(`service-type=${p.free}&start=2026-11-26T14:00:00Z&end=2026-11-26T14:15:00Z`);
    const held = fhirBody<BundleOf>(
      await op('hold', [{ name: 'appointment', resource: offer }]),
      201,
      'Bundle',
    );
    const appt = held.entry?.[0]?.resource as unknown as Appointment;
    expect(appt.status).toBe('pending');
    // Someone else cannot take the held time.
    const rival = await register(t().app, { displayName: 'Rival two' });
    expectProblem(
      await book(t().app, rival.tokens.accessToken, {
        providerId: p.listing.id,
        serviceId: p.free,
        start: '2026-11-26T14:00:00.000Z',
      }),
      409,
      'SLOT_TAKEN',
    );
    // Another patient cannot book this hold.
    expectOutcome(
      await op('book', [{ name: 'appointment', resource: appt }], rival.tokens.accessToken),
      404,
      'NOT_FOUND',
    );
    t().clock.advance(11 * 60_000); // past the 10-minute hold
    const late = await op('book', [{ name: 'appointment', resource: appt }]);
    t().clock.advance(-11 * 60_000);
    expectOutcome(late, 409, 'INVALID_TRANSITION');
    const rest = await t().app.inject({ url: `/api/v1/bookings/${appt.id}`, headers: bearer(patient()) });
    expect(rest.json()).toMatchObject({ status: 'expired' });
    const again = await find(`service-type=${p.free}&start=2026-11-26T14:00:00Z&end=2026-11-26T14:15:00Z`);
    expect(again.map((o) => o.start)).toContain('2026-11-26T14:00:00.000Z');
  });

  it('$hold of a paid service is a pending appointment; $book returns what the patient must pay, then it is booked', async () => {
    const [offer] = await find(`service-type=${p.paid}&start=2026-11-26T15:00:00Z&end=2026-11-26T16:00:00Z`);
    const held = fhirBody<BundleOf>(
      await op('hold', [{ name: 'appointment', resource: offer }]),
      201,
      'Bundle',
    );
    const appt = held.entry?.[0]?.resource as unknown as Appointment;
    expect(appt.status).toBe('pending');
    const booked = fhirBody<BundleOf>(
      await op('book', [{ name: 'appointment', resource: appt }]),
      200,
      'Bundle',
    );
    const due = booked.entry?.[0]?.resource as unknown as Appointment;
    expect(due.status).toBe('pending');
    expect(due.extension?.find((e) => e.url.endsWith('amount-due'))?.valueMoney).toEqual({
      value: 120,
      currency: 'USD',
    });
    expect(due.extension?.find((e) => e.url.endsWith('payment-url'))?.valueUrl).toMatch(/\/checkout\//);
    const outcome = booked.entry?.find((e) => e.resource.resourceType === 'OperationOutcome')
      ?.resource as unknown as {
      issue: { severity: string; details: { text: string } }[];
    };
    expect(outcome.issue[0]).toMatchObject({ severity: 'information' });
    expect(outcome.issue[0]?.details.text).toContain('120.00 USD');

    const rest = (
      await t().app.inject({ url: `/api/v1/bookings/${appt.id}`, headers: bearer(patient()) })
    ).json() as Booking;
    expect((await pay(t().app, rest)).statusCode).toBe(200);
    await t().services.bookingsRelay.drain();
    const now = fhirBody<Appointment>(
      await t().app.inject({ url: `/fhir/R4/Appointment/${appt.id}`, headers: bearer(patient()) }),
      200,
      'Appointment',
    );
    expect(now.status).toBe('booked');
  });

  it('one slot, FHIR and REST at once: exactly one wins, the other gets SLOT_TAKEN', async () => {
    const start = at(WED_0900_NY, 24 * 60 + 120); // Thursday 11:00 in New York
    const [offer] = await find(`service-type=${p.free}&start=${start}&end=${at(start, 15)}`);
    expect(offer?.start).toBe(start);
    const rival = await register(t().app, { displayName: 'Rival' });
    for (let round = 0; round < 3; round++) {
      const s = at(start, round * 15);
      const [o] = await find(`service-type=${p.free}&start=${s}&end=${at(s, 15)}`);
      const [viaFhir, viaRest] = await Promise.all([
        op('hold', [{ name: 'appointment', resource: o }]),
        book(t().app, rival.tokens.accessToken, { providerId: p.listing.id, serviceId: p.free, start: s }),
      ]);
      const winners = [viaFhir.statusCode, viaRest.statusCode].filter((c) => c === 201);
      expect(winners, `${viaFhir.body} / ${viaRest.body}`).toHaveLength(1);
      if (viaFhir.statusCode === 201) expectProblem(viaRest, 409, 'SLOT_TAKEN');
      else expectOutcome(viaFhir, 409, 'SLOT_TAKEN');
    }
  });

  it('$find pages with _count and _offset, GET and POST, following next links to the end', async () => {
    const range = 'start=2026-11-30T14:00:00Z&end=2026-11-30T16:00:00Z';
    const all = await find(`service-type=${p.free}&${range}`);
    expect(all.length).toBeGreaterThan(4);
    const seen: string[] = [];
    let url: string | undefined = `/fhir/R4/Appointment/$find?service-type=${p.free}&${range}&_count=3`;
    type Page = BundleOf & { total: number; link: { relation: string; url: string }[] };
    while (url) {
      const page: Page = fhirBody<Page>(await t().app.inject({ url }), 200, 'Bundle');
      expect(page.total).toBe(all.length);
      expect((page.entry ?? []).length).toBeLessThanOrEqual(3);
      seen.push(...(page.entry ?? []).map((e) => (e.resource as unknown as Appointment).start));
      const next: string | undefined = page.link.find((l) => l.relation === 'next')?.url;
      url = next ? next.replace(/^https?:\/\/[^/]+/, '') : undefined;
    }
    expect(seen).toEqual(all.map((o) => o.start));

    const posted = fhirBody<BundleOf & { link: { relation: string; url: string }[] }>(
      await t().app.inject({
        method: 'POST',
        url: '/fhir/R4/Appointment/$find',
        headers: { 'content-type': 'application/fhir+json' },
        payload: JSON.stringify({
          resourceType: 'Parameters',
          parameter: [
            { name: 'service-type', valueCoding: { system: 'urn:carebook:service', code: p.free } },
            { name: 'start', valueDateTime: '2026-11-30T14:00:00Z' },
            { name: 'end', valueDateTime: '2026-11-30T16:00:00Z' },
            { name: '_count', valueInteger: 2 },
            { name: '_offset', valueInteger: 2 },
          ],
        }),
      }),
      200,
      'Bundle',
    );
    expect((posted.entry ?? []).map((e) => (e.resource as unknown as Appointment).start)).toEqual(
      all.slice(2, 4).map((o) => o.start),
    );
    const next = posted.link.find((l) => l.relation === 'next')?.url ?? '';
    const following = fhirBody<BundleOf>(
      await t().app.inject({ url: next.replace(/^https?:\/\/[^/]+/, '') }),
      200,
      'Bundle',
    );
    expect((following.entry ?? []).map((e) => (e.resource as unknown as Appointment).start)).toEqual(
      all.slice(4, 6).map((o) => o.start),
    );
  });

  it('searches Appointments by date, patient, actor and service-type', async () => {
    const [offer] = await find(`service-type=${p.free}&start=2026-12-01T14:00:00Z&end=2026-12-01T14:15:00Z`);
    const held = fhirBody<BundleOf>(
      await op('book', [{ name: 'appointment', resource: offer }]),
      200,
      'Bundle',
    );
    const id = held.entry?.[0]?.resource.id as string;
    const search = async (query: string, token = patient()) =>
      (
        fhirBody<BundleOf>(
          await t().app.inject({ url: `/fhir/R4/Appointment?${query}`, headers: bearer(token) }),
          200,
          'Bundle',
        ).entry ?? []
      ).map((e) => e.resource.id);
    expect(await search('date=2026-12-01')).toEqual([id]);
    expect(await search('date=ge2026-12-01T14:00:00Z&date=lt2026-12-01T14:15:00Z')).toEqual([id]);
    expect(await search('date=lt2026-12-01T14:00:00Z')).not.toContain(id);
    expect(await search(`patient=Patient/${p.cast.patient.user.id}&date=2026-12-01`)).toEqual([id]);
    expect(await search(`actor=Practitioner/${p.listing.id}&date=2026-12-01`)).toEqual([id]);
    expect(await search(`location=Location/${p.listing.id}&date=2026-12-01`)).toEqual([id]);
    expect(await search(`service-type=urn:carebook:service|${p.free}&date=2026-12-01`)).toEqual([id]);
    expect(await search(`service-type=${p.paid}&date=2026-12-01`)).toEqual([]);
    expect(await search(`status=booked&date=2026-12-01`)).toEqual([id]);
    expect(await search(`status=cancelled&date=2026-12-01`)).toEqual([]);
    // The practice sees it by patient; another patient's reference finds nothing for this patient.
    expect(
      await search(
        `patient=Patient/${p.cast.patient.user.id}&date=2026-12-01`,
        p.cast.owner.tokens.accessToken,
      ),
    ).toEqual([id]);
    expect(await search('patient=Patient/00000000-0000-7000-8000-000000000000')).toEqual([]);
    expectOutcome(
      await t().app.inject({ url: '/fhir/R4/Appointment?date=sa2026-12-01', headers: bearer(patient()) }),
      400,
      'VALIDATION_FAILED',
    );
  });

  it('refuses what REST refuses: no Idempotency-Key, a provider booking, a slot off the grid', async () => {
    const [offer] = await find(`service-type=${p.free}&start=2026-11-27T14:00:00Z&end=2026-11-27T15:00:00Z`);
    expectOutcome(
      await op('hold', [{ name: 'appointment', resource: offer }], patient(), null),
      400,
      'VALIDATION_FAILED',
    );
    expectOutcome(
      await op('hold', [{ name: 'appointment', resource: offer }], p.cast.owner.tokens.accessToken),
      403,
      'FORBIDDEN',
    );
    const offGrid = Math.round(Date.parse('2026-11-27T14:05:00Z') / 60_000).toString();
    expectOutcome(
      await op('hold', [{ name: 'slot', valueReference: { reference: `Slot/${p.free}.${offGrid}` } }]),
      409,
      'NOT_BOOKABLE',
    );
    expectOutcome(await op('hold', [{ name: 'reason', valueString: 'x' }]), 400, 'VALIDATION_FAILED');
    expectOutcome(
      await op('hold', [{ name: 'appointment', resource: offer }], 'bad.token'),
      401,
      'INVALID_TOKEN',
    );
  });
});
