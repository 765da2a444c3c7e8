import type { AuthResult, Booking, Listing } from '@carebook/contracts';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import type { TestApp } from './app';
import type { FreshDatabases } from './databases';
import { bearer, PASSWORD } from './http';
import { type Cast, castOf, listingInput, serviceInput, weekdaysNineToFive } from './providers';

export type Ctx = TestApp & { db: FreshDatabases };

/** Wednesday 25 November 2026, 09:00 in New York: the first slot of the test listing's day. */
export const WED_0900_NY = '2026-11-25T14:00:00.000Z';
export const at = (iso: string, plusMinutes: number) =>
  new Date(Date.parse(iso) + plusMinutes * 60_000).toISOString();

export interface Practice {
  cast: Cast;
  listing: Listing;
  paid: string;
  free: string;
}

/** A published listing in New York, weekdays 09–17, with a paid 30-minute and a free 15-minute service. */
export async function practice(t: Ctx): Promise<Practice> {
  const cast = await castOf(t);
  const h = bearer(cast.owner.tokens.accessToken);
  const app = t.app;
  const listing = (
    await app.inject({ method: 'POST', url: '/api/v1/providers', headers: h, payload: listingInput() })
  ).json() as Listing;
  const paid = await app.inject({
    method: 'POST',
    url: `/api/v1/providers/${listing.id}/services`,
    headers: { ...h, 'if-match': '"1"' },
    payload: serviceInput({ bufferAfterMinutes: 5 }),
  });
  const free = await app.inject({
    method: 'POST',
    url: `/api/v1/providers/${listing.id}/services`,
    headers: { ...h, 'if-match': '"2"' },
    payload: serviceInput({ name: 'Repeat prescription', durationMinutes: 15, priceCents: 0 }),
  });
  await app.inject({
    method: 'PUT',
    url: `/api/v1/providers/${listing.id}/schedule`,
    headers: { ...h, 'if-match': '"3"' },
    payload: weekdaysNineToFive({ slotIntervalMinutes: 15, cancellationWindowHours: 24 }),
  });
  const pub = await app.inject({
    method: 'POST',
    url: `/api/v1/providers/${listing.id}/publish`,
    headers: { ...h, 'if-match': '"4"' },
  });
  expect(pub.statusCode, pub.body).toBe(200);
  return { cast, listing: pub.json() as Listing, paid: paid.json().service.id, free: free.json().service.id };
}

/** Lets patients book series at the practice's listing. */
export async function allowSeries(t: Ctx, p: Practice): Promise<void> {
  const res = await t.app.inject({
    method: 'PUT',
    url: `/api/v1/providers/${p.listing.id}`,
    headers: { ...bearer(p.cast.owner.tokens.accessToken), 'if-match': `"${p.listing.version}"` },
    payload: listingInput({ allowsRecurring: true }),
  });
  expect(res.statusCode, res.body).toBe(200);
  expect((res.json() as Listing).allowsRecurring).toBe(true);
}

let keyCounter = 0;
export const newKey = () => `key-${Date.now().toString(36)}-${++keyCounter}`;

export function book(
  app: FastifyInstance,
  token: string,
  body: {
    providerId: string;
    serviceId: string;
    start: string;
    reasonForVisit?: string;
    newPatient?: boolean;
  },
  key: string = newKey(),
) {
  return app.inject({
    method: 'POST',
    url: '/api/v1/bookings',
    headers: { ...bearer(token), 'idempotency-key': key },
    payload: { reasonForVisit: 'Rash on my arm', newPatient: true, ...body },
  });
}

/** Signs in again (the test clock may have outlived the first access token). */
export async function signIn(app: FastifyInstance, who: AuthResult, password = PASSWORD): Promise<string> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: who.user.email, password },
  });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as AuthResult).tokens.accessToken;
}

export async function pay(app: FastifyInstance, booking: Booking, card = '4242424242424242') {
  return app.inject({
    method: 'POST',
    url: `/api/v1/payments/simulated/intents/${booking.payment?.intentId}/pay`,
    payload: { clientSecret: booking.payment?.clientSecret, cardNumber: card },
  });
}
