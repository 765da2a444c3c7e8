import type { AuthResult } from '@carebook/contracts';
import { describe, expect, it } from 'vitest';
import {
  call,
  liveClient,
  publishedPractice,
  registerAt,
  twoInstancesForSuite,
} from './support/cluster-client';
import { mariadbAvailable } from './support/databases';
import { until } from './support/processes';
import { listingInput } from './support/providers';

/**
 * Issue 7's multi-instance test: two API processes in the production profile on one MariaDB and
 * one Redis (cache L2 + pub/sub, event stream), with S3, SMTP and Stripe's wire format beside them.
 */
describe.skipIf(!mariadbAvailable())('two API instances on one MariaDB and Redis', () => {
  const cluster = twoInstancesForSuite();

  it('serves from B a listing updated on A as soon as the event is out', async () => {
    const { a, b, ownerToken } = cluster();
    const { listing } = await publishedPractice(a.url, ownerToken);
    const readB = () => call(b.url, 'GET', `/api/v1/providers/${listing.id}`);
    const first = await readB();
    expect(first.status).toBe(200);
    expect(first.body.name).toBe(listing.name);
    await readB(); // now cached on B (L1 and Redis)
    const updated = await call(a.url, 'PUT', `/api/v1/providers/${listing.id}`, {
      token: ownerToken,
      body: listingInput({ name: 'Dr. Ines Okafor-Baptiste' }),
      headers: { 'if-match': `"${listing.version}"` },
    });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    await until(
      'B to serve the new name',
      async () => (await readB()).body.name === 'Dr. Ines Okafor-Baptiste',
    );
    // Once served new, never the old version again.
    for (let i = 0; i < 20; i++) expect((await readB()).body.version).toBe(updated.body.version);
  });

  it('pushes a booking made on A to a WebSocket client on B', async () => {
    const c = cluster();
    const { a, b, ownerToken } = c;
    const { listing, short } = await publishedPractice(a.url, ownerToken);
    const patient = await registerAt(a.url, 'patient', 'Live Patient', c.around.mail);
    const live = await liveClient(b.url, ownerToken);
    try {
      const start = nextWeekdayAt(10);
      const res = await call(a.url, 'POST', '/api/v1/bookings', {
        token: patient.tokens.accessToken,
        headers: { 'idempotency-key': `live-${Date.now()}` },
        body: {
          providerId: listing.id,
          serviceId: short,
          start,
          reasonForVisit: 'Check-up',
          newPatient: true,
        },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      await until('B to push the booking', async () =>
        live.messages.some((m) => m.bookingId === res.body.id),
      );
      expect(live.messages.find((m) => m.bookingId === res.body.id)).toMatchObject({
        providerId: listing.id,
      });
    } finally {
      live.close();
    }
  });

  it('never lets 200 concurrent booking attempts over both instances overlap', async () => {
    const c = cluster();
    const { a, b, ownerToken } = c;
    const { listing, short, long } = await publishedPractice(b.url, ownerToken);
    const patients = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        registerAt(i % 2 ? a.url : b.url, 'patient', `Crowd ${i}`, c.around.mail),
      ),
    );
    // 200 attempts at 16 quarter-hours (09:00–12:45) of one day, with 15- and 45-minute services:
    // most of them collide.
    const day = nextWeekdayAt(9);
    const attempts = Array.from({ length: 200 }, (_, i) => {
      const quarter = (i * 7) % 16;
      return {
        base: i % 2 ? a.url : b.url,
        token: (patients[i % 40] as AuthResult).tokens.accessToken,
        body: {
          providerId: listing.id,
          serviceId: i % 3 === 0 ? long : short,
          start: new Date(Date.parse(day) + quarter * 15 * 60_000).toISOString(),
          reasonForVisit: 'Crowd',
          newPatient: true,
        },
        key: `crowd-${i}-${Date.now()}`,
      };
    });
    const results = await Promise.all(
      attempts.map((t) =>
        call(t.base, 'POST', '/api/v1/bookings', {
          token: t.token,
          body: t.body,
          headers: { 'idempotency-key': t.key },
        }),
      ),
    );
    const outcomes: Record<string, number> = {};
    for (const r of results) {
      const k = r.status === 201 ? '201' : `${r.status} ${r.body?.code}`;
      outcomes[k] = (outcomes[k] ?? 0) + 1;
    }
    expect(Object.keys(outcomes).sort()).toEqual(['201', '409 SLOT_TAKEN']);
    const active = await c.db.dbs.bookings.db
      .selectFrom('bookings')
      .select(['id', 'block_start_at', 'block_end_at', 'status'])
      .where('provider_id', '=', listing.id)
      .where('status', 'in', ['pending', 'payment_pending', 'confirmed', 'in_progress'])
      .orderBy('block_start_at')
      .execute();
    expect(active.length).toBe(outcomes['201']);
    for (let i = 1; i < active.length; i++) {
      const prev = active[i - 1] as (typeof active)[number];
      expect(Date.parse((active[i] as (typeof active)[number]).block_start_at)).toBeGreaterThanOrEqual(
        Date.parse(prev.block_end_at),
      );
    }
  }, 120_000);
});

/** The next weekday (not today) at `hour`:00 in New York, as UTC ISO. */
function nextWeekdayAt(hour: number): string {
  const now = new Date();
  for (let d = 2; d < 10; d++) {
    const day = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + d));
    const weekday = day.getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    // New York is UTC-5 in winter and UTC-4 in summer; ask Intl for the offset of that day.
    const probe = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), 12));
    const offset = new Intl.DateTimeFormat('en-US', {
      timeZone: 'America/New_York',
      timeZoneName: 'longOffset',
    })
      .formatToParts(probe)
      .find((p) => p.type === 'timeZoneName')?.value;
    const hours = Number(/GMT([+-]\d{2})/.exec(offset ?? 'GMT-05')?.[1] ?? -5);
    return new Date(
      Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate(), hour - hours),
    ).toISOString();
  }
  throw new Error('no weekday found');
}
