import type { Booking } from '@carebook/contracts';
import fc from 'fast-check';
import { beforeAll, expect, it } from 'vitest';
import { describeAppEachDialect } from '../support/app';
import { at, book, type Ctx, type Practice, practice, WED_0900_NY } from '../support/bookings';
import { bearer } from '../support/http';
import { Findings, send } from './attack';
import { hostileValue } from './hostile';

const SEED = 20261206;

/** Start times an attacker tries: off the grid, outside hours, impossible dates, far away. */
const starts = fc.oneof(
  fc.integer({ min: -2000, max: 20_000 }).map((m) => at(WED_0900_NY, m)),
  fc.constantFrom(
    '2026-02-30T10:00:00Z',
    '2026-11-25T14:00:00+14:00',
    '2026-11-25T14:00:00.000000001Z',
    '1970-01-01T00:00:00Z',
    '9999-12-31T23:59:59Z',
    '2026-11-25T14:00:00',
    '2026-11-25 14:00:00Z',
    '+275760-09-13T00:00:00Z',
    '2026-03-08T07:00:00Z',
  ),
);

describeAppEachDialect('booking fuzz leaves no half-written state', (t) => {
  let p: Practice;
  beforeAll(async () => {
    p = await practice(t() as Ctx);
  });
  const db = () => t().db.dbs.bookings.db;
  const claimsOf = async (bookingId: string) =>
    (await db().selectFrom('booking_claims').select(['unit']).where('booking_id', '=', bookingId).execute())
      .map((c) => String(c.unit))
      .sort();

  it('only bookings that answered 201 exist, and every claim belongs to one of them', async () => {
    const findings = new Findings();
    const app = t().app;
    const token = p.cast.patient.tokens.accessToken;
    const bodies = fc.record({
      providerId: fc.constantFrom(
        p.listing.id,
        p.listing.id.toUpperCase(),
        '00000000-0000-0000-0000-000000000000',
      ),
      serviceId: fc.constantFrom(p.paid, p.free),
      start: fc.oneof(starts, hostileValue),
      reasonForVisit: fc.oneof(fc.constantFrom('Rash', ''), hostileValue),
      newPatient: fc.oneof(fc.boolean(), hostileValue),
    });
    const created = new Set<string>();
    let seriesCreated = 0;
    for (const [body, series] of fc.sample(fc.tuple(bodies, fc.boolean()), { seed: SEED, numRuns: 150 })) {
      const url = series ? '/api/v1/booking-series' : '/api/v1/bookings';
      const payload = series ? { ...body, intervalWeeks: 1, occurrences: 3 } : body;
      const res = await app.inject({
        method: 'POST',
        url,
        headers: { ...bearer(token), 'idempotency-key': `fuzz-${Math.random()}` },
        payload: JSON.stringify(payload),
      });
      if (res.statusCode === 201 && series) seriesCreated++;
      else if (res.statusCode === 201) created.add((res.json() as Booking).id);
      await send(
        app,
        findings,
        { method: 'POST', path: url },
        { method: 'POST', url, headers: bearer(token), payload: JSON.stringify(payload) },
        'replay',
      );
    }
    expect(findings.list()).toEqual([]);
    const orphans = await db()
      .selectFrom('booking_claims')
      .leftJoin('bookings', 'bookings.id', 'booking_claims.booking_id')
      .select(['booking_claims.booking_id'])
      .where('bookings.id', 'is', null)
      .execute();
    expect(orphans).toEqual([]);
    const patientId = p.cast.patient.user.id;
    const series = await db()
      .selectFrom('booking_series')
      .select(['id'])
      .where('patient_id', '=', patientId)
      .execute();
    expect(series.length).toBe(seriesCreated);
    const single = await db()
      .selectFrom('bookings')
      .leftJoin('booking_series_occurrences', 'booking_series_occurrences.booking_id', 'bookings.id')
      .select(['bookings.id'])
      .where('bookings.patient_id', '=', patientId)
      .where('booking_series_occurrences.series_id', 'is', null)
      .execute();
    expect(single.map((b) => b.id).sort()).toEqual([...created].sort());
  });

  it('a refused reschedule leaves the booking and its claims as they were', async () => {
    const app = t().app;
    const token = p.cast.patient.tokens.accessToken;
    const res = await book(app, token, {
      providerId: p.listing.id,
      serviceId: p.free,
      start: at(WED_0900_NY, 24 * 60 * 2),
    });
    expect(res.statusCode, res.body).toBe(201);
    const booking = res.json() as Booking;
    const before = await claimsOf(booking.id);
    expect(before.length).toBeGreaterThan(0);
    const findings = new Findings();
    for (const [start, reason] of fc.sample(
      fc.tuple(fc.oneof(starts, hostileValue), fc.oneof(fc.constant(undefined), hostileValue)),
      {
        seed: SEED,
        numRuns: 60,
      },
    )) {
      const url = `/api/v1/bookings/${booking.id}/reschedule`;
      const payload = JSON.stringify({ start, ...(reason === undefined ? {} : { reason }) });
      const headers = { ...bearer(token), 'content-type': 'application/json' };
      const r = await app.inject({ method: 'POST', url, headers, payload });
      if (r.statusCode < 300) continue;
      await send(
        app,
        findings,
        { method: 'POST', path: '/api/v1/bookings/{id}/reschedule' },
        { method: 'POST', url, headers: { ...bearer(token), 'content-type': 'application/json' }, payload },
        JSON.stringify(start).slice(0, 30),
      );
    }
    expect(findings.list()).toEqual([]);
    // Follow accepted reschedules to the booking that holds the time now.
    let current = booking;
    const claimed: string[][] = [];
    for (;;) {
      current = (
        await app.inject({ url: `/api/v1/bookings/${current.id}`, headers: bearer(token) })
      ).json() as Booking;
      claimed.push(await claimsOf(current.id));
      if (!current.rescheduledTo) break;
      current = { ...current, id: current.rescheduledTo };
    }
    // Only the latest booking of the chain holds claims, as many as the original did.
    expect(claimed.slice(0, -1).every((c) => c.length === 0)).toBe(true);
    expect(claimed.at(-1)?.length).toBe(before.length);
    if (current.id === booking.id) expect(claimed.at(-1)).toEqual(before);
  });
});
