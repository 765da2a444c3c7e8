import type { SearchResponse } from '@carebook/contracts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort } from '../../../../../tools/free-port';
import { FakeStripeServer } from '../../../../../tools/stand-ins/fake-stripe-server';
import { buildTestApp, type TestApp } from '../../../test/support/app';
import { book, type Practice, practice, WED_0900_NY } from '../../../test/support/bookings';
import { describeEachDialect, type FreshDatabases } from '../../../test/support/databases';
import { FaultProxy } from '../../../test/support/fault-proxy';
import { expectProblem } from '../../../test/support/http';
import { until } from '../../../test/support/processes';

/**
 * The breakers as users meet them, through the whole app: Stripe behind a proxy that hangs, and a
 * search cluster that resets every connection (there is no cluster: the proxy's target is a free
 * port). Search answers from the database with `degraded: true`; booking a paid service answers
 * 503 with Retry-After, at once once the circuit is open, and works again after recovery;
 * /readyz shows each breaker.
 */
describeEachDialect('circuit breakers in the app', (db) => {
  let stripe: FakeStripeServer;
  let stripeProxy: FaultProxy;
  let searchProxy: FaultProxy;
  let t: TestApp & { db: FreshDatabases };
  let p: Practice;

  beforeAll(async () => {
    stripe = await FakeStripeServer.start();
    stripeProxy = await FaultProxy.start({ port: stripe.port });
    searchProxy = await FaultProxy.start({ port: await freePort() });
    searchProxy.setMode('reset');
    const built = await buildTestApp(db().dbs, {
      PAYMENTS: 'stripe',
      STRIPE_SECRET_KEY: stripe.secretKey,
      STRIPE_WEBHOOK_SECRET: stripe.webhookSecret,
      STRIPE_PUBLISHABLE_KEY: stripe.publishableKey,
      STRIPE_API_URL: `http://127.0.0.1:${stripeProxy.port}`,
      SEARCH_URL: `http://127.0.0.1:${searchProxy.port}`,
      BREAKER_FAILURE_THRESHOLD: '2',
      BREAKER_HALF_OPEN_AFTER_MS: '300',
      PAYMENTS_TIMEOUT_MS: '2000',
      SEARCH_TIMEOUT_MS: '2000',
    });
    t = { ...built, db: db() };
    p = await practice(t);
  });
  afterAll(async () => {
    await t?.app.close();
    await Promise.all([stripeProxy?.stop(), searchProxy?.stop(), stripe?.stop()]);
  });

  const readiness = async () => {
    const res = await t.app.inject({ method: 'GET', url: '/readyz' });
    return res.json() as { status: string; checks: { name: string; ok: boolean; detail?: string }[] };
  };

  it('search answers from the database, flagged degraded, while the search cluster is down', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/v1/search?q=okafor&specialty=dermatology&language=de',
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as SearchResponse;
    expect(body.degraded).toBe(true);
    expect(body.total).toBe(1);
    expect(body.results.map((r) => r.id)).toEqual([p.listing.id]);
    // Plain filters: a filter that excludes the listing excludes it, and there is no typo tolerance.
    const none = await t.app.inject({ method: 'GET', url: '/api/v1/search?q=okafro' });
    expect((none.json() as SearchResponse).total).toBe(0);
    const other = await t.app.inject({ method: 'GET', url: '/api/v1/search?language=fr' });
    expect((other.json() as SearchResponse).results).toEqual([]);
    const near = await t.app.inject({
      method: 'GET',
      url: '/api/v1/search?lat=40.75&lon=-73.99&radiusKm=5&sort=distance',
    });
    expect((near.json() as SearchResponse).results.map((r) => r.id)).toEqual([p.listing.id]);
    const far = await t.app.inject({ method: 'GET', url: '/api/v1/search?lat=48.85&lon=2.35&radiusKm=50' });
    expect((far.json() as SearchResponse).total).toBe(0);

    const ready = await readiness();
    expect(ready.status).toBe('degraded');
    expect(ready.checks.find((c) => c.name === 'breaker:search')).toMatchObject({
      ok: false,
      detail: 'circuit open',
    });
  });

  it('availability filters cannot be answered without the index: 503 with Retry-After, not a wrong answer', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/search?availableWithinDays=3' });
    expectProblem(res, 503, 'SERVICE_UNAVAILABLE');
    expect(res.headers['retry-after']).toBe('1');
  });

  it('a hung Stripe: bookings get 503 + Retry-After, refused at once while open, and book again after recovery', async () => {
    const patient = p.cast.patient.tokens.accessToken;
    const body = { providerId: p.listing.id, serviceId: p.paid, start: WED_0900_NY };
    expect((await readiness()).checks.find((c) => c.name === 'breaker:payments')).toMatchObject({ ok: true });
    stripeProxy.setMode('hang');
    for (let i = 0; i < 2; i++) {
      const res = await book(t.app, patient, body);
      expectProblem(res, 503, 'SERVICE_UNAVAILABLE');
      expect(res.headers['retry-after']).toBe('1');
    }
    const before = stripe.requests.length;
    const refused = await book(t.app, patient, body);
    expectProblem(refused, 503, 'SERVICE_UNAVAILABLE');
    expect(refused.headers['retry-after']).toBe('1');
    expect(stripe.requests.length).toBe(before);
    expect((await readiness()).checks.find((c) => c.name === 'breaker:payments')).toMatchObject({
      ok: false,
      detail: 'circuit open',
    });

    // The failed attempts held nothing: once Stripe answers, the same slot books.
    stripeProxy.setMode('pass');
    await until('booking to work again', async () => (await book(t.app, patient, body)).statusCode === 201);
    expect((await readiness()).checks.find((c) => c.name === 'breaker:payments')).toMatchObject({
      ok: true,
      detail: 'circuit closed',
    });
  });
});
