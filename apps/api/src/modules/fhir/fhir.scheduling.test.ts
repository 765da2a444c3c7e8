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
    // Free services are confirmed by the booking service as soon as the time is held.
    expect(heldAppt.status).toBe('booked');
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
