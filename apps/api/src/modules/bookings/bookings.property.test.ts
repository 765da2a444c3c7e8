import type { Booking } from '@carebook/contracts';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, describeAppEachDialect, type TestApp } from '../../../test/support/app';
import { at, book, type Ctx, type Practice, practice, WED_0900_NY } from '../../../test/support/bookings';
import { type FreshDatabases, freshDatabases, mariadbAvailable } from '../../../test/support/databases';
import { bearer, register } from '../../../test/support/http';
import { serviceInput } from '../../../test/support/providers';
import type { Config } from '../../config/config';
import { openDatabases } from '../../db/open-databases';

const DAY = 24 * 60;

/** The n-th weekday after Wednesday 25 November 2026 (the listing is closed at weekends). */
function weekdayOffset(n: number): number {
  let offset = 0;
  for (let found = 0; found < n; ) {
    offset++;
    const weekday = (3 + offset) % 7; // 0 = Sunday
    if (weekday !== 0 && weekday !== 6) found++;
  }
  return offset;
}

/** Adds services of several lengths and buffers, so random bookings overlap in many ways. */
async function addServices(t: Ctx, p: Practice): Promise<string[]> {
  const h = bearer(p.cast.owner.tokens.accessToken);
  let version = p.listing.version;
  const ids = [p.free];
  for (const [duration, before, after] of [
    [45, 5, 10],
    [60, 0, 15],
    [20, 10, 0],
  ] as const) {
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/providers/${p.listing.id}/services`,
      headers: { ...h, 'if-match': `"${version}"` },
      payload: serviceInput({
        name: `Visit ${duration}`,
        durationMinutes: duration,
        priceCents: 0,
        bufferBeforeMinutes: before,
        bufferAfterMinutes: after,
      }),
    });
    expect(res.statusCode, res.body).toBe(201);
    version = res.json().version;
    ids.push(res.json().service.id);
  }
  return ids;
}

describeAppEachDialect('no double booking (property)', (t) => {
  let p: Practice;
  let services: string[];
  let patients: string[];
  beforeAll(async () => {
    p = await practice(t() as Ctx);
    services = await addServices(t() as Ctx, p);
    patients = (await Promise.all(Array.from({ length: 6 }, () => register(t().app)))).map(
      (r) => r.tokens.accessToken,
    );
  });

  it('random concurrent bookings of different lengths never leave two active bookings overlapping', async () => {
    let day = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            service: fc.nat(services.length - 1),
            slot: fc.integer({ min: 1, max: 27 }), // 09:15–15:45: a valid start for every service here
            patient: fc.nat(5),
          }),
          {
            minLength: 2,
            maxLength: 14,
          },
        ),
        async (attempts) => {
          // Each run books on its own weekday, so runs cannot interfere.
          day++;
          const base = at(WED_0900_NY, weekdayOffset(day) * DAY);
          const results = await Promise.all(
            attempts.map((a) =>
              book(t().app, patients[a.patient] as string, {
                providerId: p.listing.id,
                serviceId: services[a.service] as string,
                start: at(base, a.slot * 15),
              }),
            ),
          );
          for (const r of results) {
            expect([201, 409]).toContain(r.statusCode);
            if (r.statusCode === 409) expect(r.json().code).toBe('SLOT_TAKEN');
          }
          const created = results.filter((r) => r.statusCode === 201).map((r) => r.json() as Booking);
          const rows = await t()
            .db.dbs.bookings.db.selectFrom('bookings')
            .select(['id', 'block_start_at', 'block_end_at'])
            .where('provider_id', '=', p.listing.id)
            .where('status', 'in', ['pending', 'payment_pending', 'confirmed', 'in_progress'])
            .where('start_at', '>=', base)
            .where('start_at', '<', at(base, 12 * 60))
            .orderBy('block_start_at')
            .execute();
          expect(rows.map((r) => r.id).sort()).toEqual(created.map((b) => b.id).sort());
          for (let i = 1; i < rows.length; i++) {
            expect(
              (rows[i - 1] as (typeof rows)[number]).block_end_at <=
                (rows[i] as (typeof rows)[number]).block_start_at,
            ).toBe(true);
          }
          // Whatever was refused overlapped something that won.
          expect(created.length).toBeGreaterThanOrEqual(1);
        },
      ),
      { numRuns: 12 },
    );
  });
});

describe.skipIf(!mariadbAvailable())('two app instances on one MariaDB', () => {
  let db: FreshDatabases;
  let a: TestApp;
  let b: TestApp;
  let second: ReturnType<typeof openDatabases>;
  beforeAll(async () => {
    db = await freshDatabases('mariadb');
    // Instances of one deployment share their key-encryption keys (each seals with patient keys).
    const env = { ENCRYPTION_KEYS: `shared-kek:${Buffer.alloc(32, 5).toString('base64')}` };
    a = await buildTestApp(db.dbs, env);
    second = openDatabases({
      databases: { inventory: { url: db.url, poolSize: 10 }, bookings: { url: db.url, poolSize: 10 } },
    } as Config);
    b = await buildTestApp(second, env);
  });
  afterAll(async () => {
    await a.app.close();
    await b.app.close();
    await second.inventory.close();
    await db.drop();
  });

  it('50 concurrent attempts at one slot spread over both instances: exactly one wins', async () => {
    const p = await practice({ ...a, db });
    const patients = await Promise.all(Array.from({ length: 10 }, (_, i) => register(i % 2 ? a.app : b.app)));
    const start = at(WED_0900_NY, 60);
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        book(i % 2 ? a.app : b.app, (patients[i % 10] as (typeof patients)[number]).tokens.accessToken, {
          providerId: p.listing.id,
          serviceId: p.paid,
          start,
        }),
      ),
    );
    const codes = results.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 201)).toHaveLength(1);
    expect(codes.filter((c) => c === 409)).toHaveLength(49);
  });
});
