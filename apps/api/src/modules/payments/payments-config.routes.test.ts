import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app';
import { type FreshDatabases, freshDatabases } from '../../../test/support/databases';

const stripeEnv = {
  PAYMENTS: 'stripe',
  STRIPE_SECRET_KEY: 'sk_test_config_route',
  STRIPE_WEBHOOK_SECRET: 'whsec_config_route',
  STRIPE_PUBLISHABLE_KEY: 'pk_test_config_route',
};

describe('GET /api/v1/payments/config', () => {
  let db: FreshDatabases;
  let simulated: TestApp;
  let stripe: TestApp;
  beforeAll(async () => {
    db = await freshDatabases('sqlite');
    [simulated, stripe] = await Promise.all([buildTestApp(db.dbs), buildTestApp(db.dbs, stripeEnv)]);
  });
  afterAll(async () => {
    await Promise.all([simulated?.app.close(), stripe?.app.close()]);
    await db?.drop();
  });

  it('names the built-in checkout on the embedded profile, and Stripe keeps out of the CSP', async () => {
    const res = await simulated.app.inject({ url: '/api/v1/payments/config' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ provider: 'simulated' });
    expect(res.headers['content-security-policy']).not.toContain('stripe.com');
  });

  it('gives the publishable key (never the secret) with Stripe, and lets Stripe.js load and frame', async () => {
    const res = await stripe.app.inject({ url: '/api/v1/payments/config' });
    expect(res.json()).toEqual({ provider: 'stripe', publishableKey: 'pk_test_config_route' });
    expect(res.body).not.toContain('sk_test');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toMatch(/script-src 'self' https:\/\/js\.stripe\.com/);
    expect(csp).toMatch(/frame-src 'self' https:\/\/js\.stripe\.com https:\/\/hooks\.stripe\.com/);
    expect(csp).toMatch(/connect-src [^;]*https:\/\/api\.stripe\.com/);
  });
});
