import type { Listing } from '@carebook/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeAppEachDialect } from '../../../test/support/app';
import { bearer, expectProblem, register } from '../../../test/support/http';
import {
  type Cast,
  castOf,
  listingInput,
  listingRequests,
  serviceInput,
  weekdaysNineToFive,
} from '../../../test/support/providers';

describeAppEachDialect('provider listings', (t) => {
  let cast: Cast;
  beforeAll(async () => {
    cast = await castOf(t());
  });
  const { create, get, put, publishable, publish, as } = listingRequests(t, () => cast);

  describe('create', () => {
    it('makes a draft owned by the provider, with an ETag, normalised lists and a Location', async () => {
      const res = await t().app.inject({
        method: 'POST',
        url: '/api/v1/providers',
        headers: as('owner'),
        payload: listingInput(),
      });
      expect(res.statusCode).toBe(201);
      expect(res.headers.etag).toBe('"1"');
      const listing = res.json() as Listing;
      expect(res.headers.location).toBe(`/api/v1/providers/${listing.id}`);
      expect(listing).toMatchObject({ ownerId: cast.owner.user.id, status: 'draft', version: 1 });
      expect(listing.insurance).toEqual(['Blue Cross Blue Shield', 'Aetna']);
      expect(listing.conditions).toEqual(['acne', 'Eczema']);
    });

    it('staff create listings for the provider they act for', async () => {
      expect((await create('staff')).ownerId).toBe(cast.owner.user.id);
    });

    it('is refused to patients (403), admins (403) and anonymous callers (401)', async () => {
      for (const [who, status, code] of [
        ['patient', 403, 'FORBIDDEN'],
        ['admin', 403, 'FORBIDDEN'],
        [null, 401, 'UNAUTHENTICATED'],
      ] as const) {
        const res = await t().app.inject({
          method: 'POST',
          url: '/api/v1/providers',
          headers: as(who),
          payload: listingInput(),
        });
        expectProblem(res, status, code);
      }
    });

    it('validates coordinates, zone, vocabulary and shape with field paths', async () => {
      const bad = [
        [{ location: { lat: 200, lon: 0 } }, '/body/location/lat'],
        [{ timeZone: 'Mars/Olympus_Mons' }, '/body/timeZone'],
        [{ specialties: ['witchcraft'] }, '/body/specialties/0'],
        [{ languages: ['english'] }, '/body/languages/0'],
        [{ address: { line1: 'x', city: 'y', postcode: 'z', country: 'usa' } }, '/body/address/country'],
        [{ visitTypes: [] }, '/body/visitTypes'],
      ] as const;
      for (const [overrides, path] of bad) {
        const res = await t().app.inject({
          method: 'POST',
          url: '/api/v1/providers',
          headers: as('owner'),
          payload: listingInput(overrides as object),
        });
        const problem = expectProblem(res, 400, 'VALIDATION_FAILED') as unknown as {
          errors: { path: string }[];
        };
        expect(problem.errors.map((e) => e.path)).toContain(path);
      }
    });
  });

  describe('read', () => {
    it('shows a draft to its owner, staff and admins only; others get 404', async () => {
      const listing = await create();
      for (const who of ['owner', 'staff', 'admin'] as const)
        expect((await get(listing.id, who)).statusCode).toBe(200);
      for (const who of ['other', 'patient', null] as const)
        expectProblem(await get(listing.id, who), 404, 'NOT_FOUND');
    });

    it('lists your own listings with a total; the public list shows published ones only', async () => {
      const mine = await t().app.inject({
        url: '/api/v1/providers?scope=mine&pageSize=2',
        headers: as('owner'),
      });
      const body = mine.json() as { items: { ownerId: string }[]; total: number };
      expect(body.items.length).toBeLessThanOrEqual(2);
      expect(body.total).toBeGreaterThanOrEqual(2);
      expect(body.items.every((i) => i.ownerId === cast.owner.user.id)).toBe(true);
      const others = (
        await t().app.inject({ url: '/api/v1/providers?scope=mine', headers: as('other') })
      ).json();
      expect(others.items.every((i: { ownerId: string }) => i.ownerId === cast.other.user.id)).toBe(true);
      const pub = (await t().app.inject({ url: '/api/v1/providers' })).json() as {
        items: { status: string }[];
      };
      expect(pub.items.every((i) => i.status === 'published')).toBe(true);
      expectProblem(await t().app.inject({ url: '/api/v1/providers?scope=mine' }), 401, 'UNAUTHENTICATED');
      expectProblem(
        await t().app.inject({ url: '/api/v1/providers?scope=mine', headers: as('patient') }),
        403,
        'FORBIDDEN',
      );
    });
  });

  describe('caching', () => {
    it('serves repeat reads from the cache and never a stale one after an acknowledged update', async () => {
      const listing = await create();
      const stats = () => t().services.cache.stats();
      await get(listing.id, 'owner');
      const hitsBefore = stats().hits;
      expect((await get(listing.id, 'patient')).statusCode).toBe(404); // visibility is per request, not cached
      await get(listing.id, 'owner');
      expect(stats().hits).toBeGreaterThan(hitsBefore);
      for (let v = 1; v <= 5; v++) {
        const res = await put(listing.id, 'owner', v, listingInput({ name: `Name v${v + 1}` }));
        expect(res.statusCode).toBe(200);
        expect((await get(listing.id, 'owner')).json()).toMatchObject({
          name: `Name v${v + 1}`,
          version: v + 1,
        });
      }
    });
  });

  describe('anonymous reads (served as the cached serialised body)', () => {
    it('repeat the same body, ETag and type, and follow an acknowledged update at once', async () => {
      const ready = await publishable();
      await publish(ready);
      const first = await get(ready.id, null);
      expect(first.statusCode).toBe(200);
      expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(first.headers.etag).toBe('"4"');
      const body = first.json() as Listing;
      expect(body).toMatchObject({ id: ready.id, status: 'published', version: 4 });
      expect(body.documents).toBeUndefined();
      // The manager's view of the same version, minus what only managers see.
      const { documents: _documents, ...managed } = (await get(ready.id, 'owner')).json() as Listing;
      expect(body).toEqual(managed);
      const hits = t().services.cache.stats().hits;
      const again = await get(ready.id, null);
      expect(again.body).toBe(first.body);
      expect(again.headers.etag).toBe('"4"');
      expect(t().services.cache.stats().hits).toBeGreaterThan(hits);
      const edited = await put(ready.id, 'owner', 4, listingInput({ name: 'Renamed for everyone' }));
      expect(edited.statusCode).toBe(200);
      const after = await get(ready.id, null);
      expect(after.headers.etag).toBe('"5"');
      expect(after.json()).toMatchObject({ name: 'Renamed for everyone', version: 5 });
    });

    it('a missing listing is a 404 problem, never a cached body', async () => {
      const missing = '0190d5a0-0000-7000-8000-000000000000';
      expectProblem(await get(missing, null), 404, 'NOT_FOUND');
      expectProblem(await get(missing, null), 404, 'NOT_FOUND');
    });
  });

  describe('optimistic locking', () => {
    it('needs If-Match (428), refuses a stale version (409 naming the current one)', async () => {
      const listing = await create();
      expectProblem(await put(listing.id, 'owner', null), 428, 'PRECONDITION_REQUIRED');
      const ok = await put(listing.id, 'owner', 1, listingInput({ name: 'Renamed once' }));
      expect(ok.statusCode).toBe(200);
      expect(ok.headers.etag).toBe('"2"');
      const stale = await put(listing.id, 'owner', 1, listingInput({ name: 'Lost update' }));
      const problem = expectProblem(stale, 409, 'VERSION_CONFLICT') as unknown as { currentVersion: number };
      expect(problem.currentVersion).toBe(2);
      expect(stale.headers.etag).toBe('"2"');
      expect((await get(listing.id, 'owner')).json().name).toBe('Renamed once');
    });

    it('of two concurrent edits one wins and the other conflicts; nothing is half-applied', async () => {
      const listing = await create();
      const [a, b] = await Promise.all([
        put(listing.id, 'owner', 1, listingInput({ name: 'Edit A', bio: 'bio A' })),
        put(listing.id, 'staff', 1, listingInput({ name: 'Edit B', bio: 'bio B' })),
      ]);
      expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
      const winner = (a.statusCode === 200 ? a : b).json() as Listing;
      const now = (await get(listing.id, 'owner')).json() as Listing;
      expect(now.version).toBe(2);
      expect({ name: now.name, bio: now.bio }).toEqual({ name: winner.name, bio: winner.bio });
    });

    it('another provider gets 404, a patient 403, an admin may edit', async () => {
      const listing = await create();
      expectProblem(await put(listing.id, 'other', 1), 404, 'NOT_FOUND');
      expectProblem(await put(listing.id, 'patient', 1), 403, 'FORBIDDEN');
      expect((await put(listing.id, 'admin', 1, listingInput({ name: 'Fixed by admin' }))).statusCode).toBe(
        200,
      );
    });
  });

  describe('publishing', () => {
    it('needs a service and opening hours', async () => {
      const listing = await create();
      expect((await publish(listing)).json().detail).toMatch(/at least one active service and opening hours/);
    });

    it('needs a verified provider account', async () => {
      // E-mail confirmed, but not verified by an admin.
      const unverified = await register(t().app, { role: 'provider' });
      const token = unverified.tokens.accessToken;
      const l = (
        await t().app.inject({
          method: 'POST',
          url: '/api/v1/providers',
          headers: bearer(token),
          payload: listingInput(),
        })
      ).json();
      await t().app.inject({
        method: 'POST',
        url: `/api/v1/providers/${l.id}/services`,
        headers: { ...bearer(token), 'if-match': '"1"' },
        payload: serviceInput(),
      });
      await t().app.inject({
        method: 'PUT',
        url: `/api/v1/providers/${l.id}/schedule`,
        headers: { ...bearer(token), 'if-match': '"2"' },
        payload: weekdaysNineToFive(),
      });
      const res = await t().app.inject({
        method: 'POST',
        url: `/api/v1/providers/${l.id}/publish`,
        headers: { ...bearer(token), 'if-match': '"3"' },
      });
      expect(expectProblem(res, 403, 'FORBIDDEN').detail).toMatch(/verified/);
    });

    it('goes live for everyone, then back to draft', async () => {
      const ready = await publishable();
      const res = await publish(ready);
      expect(res.json()).toMatchObject({ status: 'published', version: 4 });
      expect(res.json().publishedAt).toEqual(expect.any(String));
      const anon = await get(ready.id, null);
      expect(anon.statusCode).toBe(200);
      expect(anon.json().documents).toBeUndefined();
      const pub = (await t().app.inject({ url: '/api/v1/providers?pageSize=100' })).json() as {
        items: { id: string }[];
      };
      expect(pub.items.map((i) => i.id)).toContain(ready.id);
      const un = await t().app.inject({
        method: 'POST',
        url: `/api/v1/providers/${ready.id}/unpublish`,
        headers: { ...as('staff'), 'if-match': '"4"' },
      });
      expect(un.json().status).toBe('draft');
      expectProblem(await get(ready.id, null), 404, 'NOT_FOUND');
    });

    it('admins suspend a listing, which the owner then cannot publish; it is audited', async () => {
      const ready = await publishable();
      expectProblem(
        await t().app.inject({
          method: 'POST',
          url: `/api/v1/providers/${ready.id}/suspend`,
          headers: as('owner'),
          payload: { reason: 'self' },
        }),
        403,
        'FORBIDDEN',
      );
      const s = await t().app.inject({
        method: 'POST',
        url: `/api/v1/providers/${ready.id}/suspend`,
        headers: as('admin'),
        payload: { reason: 'licence expired' },
      });
      expect(s.json()).toMatchObject({ status: 'suspended' });
      expectProblem(await publish(s.json() as Listing), 409, 'CONFLICT');
      const audit = await t().app.inject({
        url: `/api/v1/admin/audit-events?targetId=${ready.id}`,
        headers: as('admin'),
      });
      expect(audit.json().items[0]).toMatchObject({
        action: 'admin.listing_suspended',
        details: { reason: 'licence expired' },
      });
    });
  });

  describe('services and schedule', () => {
    it('rejects an invalid schedule with field paths and leaves the listing unchanged', async () => {
      const listing = await create();
      const res = await t().app.inject({
        method: 'PUT',
        url: `/api/v1/providers/${listing.id}/schedule`,
        headers: { ...as('owner'), 'if-match': '"1"' },
        payload: weekdaysNineToFive({
          weekly: {
            ...weekdaysNineToFive().weekly,
            mon: [
              { start: '09:00', end: '12:00' },
              { start: '11:00', end: '13:00' },
            ],
          },
        }),
      });
      const problem = expectProblem(res, 400, 'VALIDATION_FAILED') as unknown as {
        errors: { path: string }[];
      };
      expect(problem.errors[0]?.path).toMatch(/^\/body\/weekly\/mon\/1/);
      expect((await get(listing.id, 'owner')).json().version).toBe(1);
    });

    it('refuses opening hours off the 5-minute grid bookings are claimed on, naming the field', async () => {
      const listing = await create();
      const res = await t().app.inject({
        method: 'PUT',
        url: `/api/v1/providers/${listing.id}/schedule`,
        headers: { ...as('owner'), 'if-match': '"1"' },
        payload: weekdaysNineToFive({
          overrides: [{ date: '2026-12-01', intervals: [{ start: '22:13', end: '23:00' }] }],
        }),
      });
      const problem = expectProblem(res, 400, 'VALIDATION_FAILED') as unknown as {
        errors: { path: string; message: string }[];
      };
      expect(problem.errors).toEqual([
        {
          path: '/body/overrides/0/intervals/0/start',
          message: 'must be a local time HH:mm on a 5-minute boundary (00:00 to 24:00)',
        },
      ]);
      expect((await get(listing.id, 'owner')).json().version).toBe(1);
    });

    it('hides withdrawn services from the public and shows them to managers', async () => {
      const ready = await publishable();
      await publish(ready);
      const svcId = ready.services[0]?.id as string;
      const res = await t().app.inject({
        method: 'PUT',
        url: `/api/v1/providers/${ready.id}/services/${svcId}`,
        headers: { ...as('owner'), 'if-match': '"4"' },
        payload: serviceInput({ active: false }),
      });
      expect(res.json()).toMatchObject({ service: { active: false }, version: 5 });
      expect((await t().app.inject({ url: `/api/v1/providers/${ready.id}/services` })).json().items).toEqual(
        [],
      );
      expect(
        (await t().app.inject({ url: `/api/v1/providers/${ready.id}/services`, headers: as('owner') })).json()
          .items,
      ).toHaveLength(1);
    });
  });

  describe('availability', () => {
    it('returns slots grouped by day in the patient’s zone, honouring notice', async () => {
      const ready = await publishable();
      await publish(ready);
      const svc = ready.services[0]?.id as string;
      const before = t().clock.now();
      t().clock.set(new Date('2026-12-07T13:15:00Z')); // Monday 08:15 in New York
      const res = await t().app.inject({
        url: `/api/v1/providers/${ready.id}/availability?serviceId=${svc}&from=2026-12-07T13:00:00Z&to=2026-12-09T05:00:00Z&tz=Europe/Berlin`,
      });
      t().clock.set(before); // the cast's access tokens live on the test clock
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json() as {
        timeZone: string;
        providerTimeZone: string;
        days: { date: string; slots: { start: string }[] }[];
      };
      expect(body).toMatchObject({ timeZone: 'Europe/Berlin', providerTimeZone: 'America/New_York' });
      // Monday: 09:00 NY is inside the 60-minute notice from 08:15, so the first slot is 09:30 NY = 15:30 Berlin.
      expect(body.days[0]).toMatchObject({ date: '2026-12-07' });
      expect(body.days[0]?.slots[0]?.start).toBe('2026-12-07T15:30:00+01:00');
      // 16:30 NY is 22:30 Berlin, the same day; Tuesday's slots start at 15:00 Berlin.
      expect(body.days[0]?.slots.at(-1)?.start).toBe('2026-12-07T22:30:00+01:00');
      expect(body.days[1]?.slots[0]?.start).toBe('2026-12-08T15:00:00+01:00');
      expect(body.days[0]?.slots).toHaveLength(15);
    });

    it('refuses a bad zone, an absurd range and an unknown service', async () => {
      const ready = await publishable();
      await publish(ready);
      const svc = ready.services[0]?.id as string;
      const url = (q: string) => `/api/v1/providers/${ready.id}/availability?${q}`;
      expectProblem(
        await t().app.inject({ url: url(`serviceId=${svc}&tz=Nowhere/Land`) }),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(
        await t().app.inject({
          url: url(`serviceId=${svc}&from=2026-12-01T00:00:00Z&to=2027-06-01T00:00:00Z`),
        }),
        400,
        'VALIDATION_FAILED',
      );
      expectProblem(
        await t().app.inject({ url: url('serviceId=01a20000-0000-7000-8000-000000000000') }),
        404,
        'NOT_FOUND',
      );
    });
  });
});
