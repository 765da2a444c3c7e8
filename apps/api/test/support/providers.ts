import type { AuthResult, Listing, ListingInput, Schedule, ServiceInput } from '@carebook/contracts';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { demoAccounts, seedDemoAccounts } from '../../src/modules/accounts/demo-accounts';
import type { TestApp } from './app';
import type { FreshDatabases } from './databases';
import { bearer, PASSWORD, register } from './http';

export const listingInput = (overrides: Partial<ListingInput> = {}): ListingInput => ({
  name: 'Dr. Ines Okafor',
  kind: 'practitioner',
  specialties: ['dermatology'],
  conditions: ['Acne', 'Eczema', 'acne'],
  languages: ['en', 'de'],
  insurance: ['bcbs', 'Aetna'],
  gender: 'female',
  visitTypes: ['in-person', 'video'],
  acceptingNewPatients: true,
  bio: 'Board-certified dermatologist.',
  address: { line1: '1 Main St', city: 'New York', region: 'NY', postcode: '10001', country: 'US' },
  location: { lat: 40.7506, lon: -73.9972 },
  timeZone: 'America/New_York',
  ...overrides,
});

export const serviceInput = (overrides: Partial<ServiceInput> = {}): ServiceInput => ({
  name: 'First consultation',
  durationMinutes: 30,
  priceCents: 12000,
  currency: 'USD',
  visitType: 'in-person',
  bufferBeforeMinutes: 0,
  bufferAfterMinutes: 0,
  ...overrides,
});

export const weekdaysNineToFive = (overrides: Partial<Schedule> = {}): Schedule => {
  const day = [{ start: '09:00', end: '17:00' }];
  return {
    weekly: { mon: day, tue: day, wed: day, thu: day, fri: day, sat: [], sun: [] },
    overrides: [],
    timeOff: [],
    slotIntervalMinutes: 30,
    minimumNoticeMinutes: 60,
    bookingHorizonDays: 60,
    cancellationWindowHours: 24,
    ...overrides,
  };
};

export interface Cast {
  admin: AuthResult;
  owner: AuthResult;
  staff: AuthResult;
  other: AuthResult;
  patient: AuthResult;
}

/** The people every listing test needs: a verified owner, their staff, another provider, a patient, an admin. */
export async function castOf(t: TestApp & { db: FreshDatabases }): Promise<Cast> {
  const app: FastifyInstance = t.app;
  await seedDemoAccounts(t.db.dbs.inventory.db, t.services.hasher, t.clock);
  const adminAccount = demoAccounts.find((a) => a.role === 'admin');
  const adminRes = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: adminAccount?.email, password: adminAccount?.password },
  });
  const admin = adminRes.json() as AuthResult;
  const owner = await register(app, { role: 'provider', displayName: 'Owner' });
  const other = await register(app, { role: 'provider', displayName: 'Other provider' });
  const staff = await register(app, { displayName: 'Front desk' });
  const patient = await register(app, { displayName: 'A patient' });
  const h = bearer(admin.tokens.accessToken);
  for (const p of [owner, other]) {
    const v = await app.inject({
      method: 'POST',
      url: `/api/v1/admin/users/${p.user.id}/verify`,
      headers: h,
    });
    expect(v.statusCode, v.body).toBe(200);
  }
  const s = await app.inject({
    method: 'POST',
    url: `/api/v1/admin/users/${staff.user.id}/role`,
    headers: h,
    payload: { role: 'staff', providerId: owner.user.id },
  });
  expect(s.statusCode, s.body).toBe(200);
  // A role change ends the user's sessions: staff sign in again under their new role.
  const relogin = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: staff.user.email, password: PASSWORD },
  });
  expect(relogin.statusCode, relogin.body).toBe(200);
  return { admin, owner, staff: relogin.json() as AuthResult, other, patient };
}

/** HTTP helpers of the listing tests, as `who` (a member of the cast, or nobody). */
export function listingRequests(t: () => TestApp, cast: () => Cast) {
  const as = (who: keyof Cast | null) => (who ? bearer(cast()[who].tokens.accessToken) : {});
  const create = async (who: keyof Cast = 'owner', overrides = {}) => {
    const res = await t().app.inject({
      method: 'POST',
      url: '/api/v1/providers',
      headers: as(who),
      payload: listingInput(overrides),
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Listing;
  };
  const get = (id: string, who: keyof Cast | null) =>
    t().app.inject({ url: `/api/v1/providers/${id}`, headers: as(who) });
  const put = (id: string, who: keyof Cast, version: number | null, payload: object = listingInput()) =>
    t().app.inject({
      method: 'PUT',
      url: `/api/v1/providers/${id}`,
      headers: { ...as(who), ...(version === null ? {} : { 'if-match': `"${version}"` }) },
      payload,
    });
  /** A listing made publishable: a service and weekday hours. */
  const publishable = async () => {
    const listing = await create();
    const svc = await t().app.inject({
      method: 'POST',
      url: `/api/v1/providers/${listing.id}/services`,
      headers: { ...as('owner'), 'if-match': '"1"' },
      payload: serviceInput(),
    });
    expect(svc.statusCode, svc.body).toBe(201);
    const sched = await t().app.inject({
      method: 'PUT',
      url: `/api/v1/providers/${listing.id}/schedule`,
      headers: { ...as('owner'), 'if-match': '"2"' },
      payload: weekdaysNineToFive(),
    });
    expect(sched.statusCode, sched.body).toBe(200);
    return sched.json() as Listing;
  };
  const publish = (l: Listing, who: keyof Cast = 'owner') =>
    t().app.inject({
      method: 'POST',
      url: `/api/v1/providers/${l.id}/publish`,
      headers: { ...as(who), 'if-match': `"${l.version}"` },
    });
  return { as, create, get, put, publishable, publish };
}
