import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

const key = `main:${Buffer.alloc(32, 1).toString('base64')}`;
const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env, '/srv/carebook');
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
};

describe('config', () => {
  it('defaults to the embedded profile on SQLite under ./data', () => {
    const c = loadConfig({}, '/srv/carebook');
    expect(c.profile).toBe('embedded');
    expect(c.port).toBe(3000);
    expect(c.databases.inventory.url).toBe('sqlite:/srv/carebook/data/carebook.db');
    expect(c.databases.bookings.url).toBe(c.databases.inventory.url);
    expect(c.seedDemoData).toBe(true);
    expect(c.demoListings).toBe(2000);
    expect(c.auth.jwtKeys).toBe('generate');
  });

  it('lets each logical database override DATABASE_URL', () => {
    const c = loadConfig({
      DATABASE_URL: 'mysql://u:p@db/main',
      BOOKING_DATABASE_URL: 'mysql://u:p@db2/bookings',
    });
    expect(c.databases.inventory.url).toBe('mysql://u:p@db/main');
    expect(c.databases.bookings.url).toBe('mysql://u:p@db2/bookings');
  });

  it('names every bad variable at once', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      LOG_LEVEL: 'loud',
      TRUST_PROXY: 'maybe',
      DATABASE_URL: 'postgres://x',
      DEMO_LISTINGS: 'many',
    });
    expect(problems.join('\n')).toMatch(/^DEMO_LISTINGS: must be an integer from 0 to 1000000/m);
    expect(problems.join('\n')).toMatch(/^PORT: /m);
    expect(problems.join('\n')).toMatch(/^LOG_LEVEL: /m);
    expect(problems.join('\n')).toMatch(/^TRUST_PROXY: /m);
    expect(problems.join('\n')).toMatch(/^INVENTORY_DATABASE_URL: must start with sqlite: or mysql:\/\//m);
  });

  it('never falls back silently in production', () => {
    const problems = problemsOf({ CAREBOOK_PROFILE: 'production' });
    expect(problems.join('\n')).toMatch(/DATABASE_URL: required/);
    expect(problems.join('\n')).toMatch(/JWT_KEYS: required/);
    expect(problems.join('\n')).toMatch(/CACHE_URL: required/);
    expect(problems.join('\n')).toMatch(/S3_BUCKET: required/);
    expect(problems.join('\n')).toMatch(/STRIPE_SECRET_KEY: required/);
    const rest = {
      CACHE_URL: 'redis://127.0.0.1:6379',
      S3_BUCKET: 'media',
      STRIPE_SECRET_KEY: 'sk_test_123',
      STRIPE_WEBHOOK_SECRET: 'whsec_123',
      SMTP_URL: 'smtp://mail.example.test:587',
      SEARCH_URL: 'http://search.example.test:9200',
    };
    expect(
      problemsOf({ CAREBOOK_PROFILE: 'production', DATABASE_URL: 'sqlite:./x.db', JWT_KEYS: key, ...rest }),
    ).toEqual([
      'INVENTORY_DATABASE_URL: the production profile needs MySQL/MariaDB, not SQLite',
      'BOOKING_DATABASE_URL: the production profile needs MySQL/MariaDB, not SQLite',
    ]);
    const prod = { CAREBOOK_PROFILE: 'production', DATABASE_URL: 'mysql://u@h/d', JWT_KEYS: key, ...rest };
    expect(problemsOf({ ...prod, SEED_DEMO_DATA: 'true' })).toEqual([
      'SEED_DEMO_DATA: demo data must not be seeded in production',
    ]);
    expect(
      problemsOf({ ...prod, CACHE_URL: 'memory', BLOB_STORE: 'local', PAYMENTS: 'simulated' }).sort(),
    ).toEqual([
      'BLOB_STORE: the production profile stores media in S3 (BLOB_STORE=s3)',
      'CACHE_URL: the production profile needs Redis, not the in-process cache',
      'PAYMENTS: the production profile takes real payments (PAYMENTS=stripe)',
    ]);
    const ok = loadConfig(prod);
    expect(ok.blobs).toEqual({ kind: 's3', bucket: 'media', region: 'us-east-1', forcePathStyle: false });
    expect(ok.seedDemoData).toBe(false);
    expect(ok.migrateOnStart).toBe(false);
  });

  it('rejects contradictory or weak token settings', () => {
    expect(problemsOf({ ACCESS_TOKEN_TTL_SECONDS: '3600', REFRESH_TOKEN_TTL_SECONDS: '600' })).toEqual([
      'REFRESH_TOKEN_TTL_SECONDS: must be longer than ACCESS_TOKEN_TTL_SECONDS',
    ]);
    expect(problemsOf({ JWT_KEYS: `k:${Buffer.alloc(8).toString('base64')}` })[0]).toMatch(
      /at least 32 bytes/,
    );
    expect(problemsOf({ JWT_KEYS: 'no-colon' })[0]).toMatch(/kid:base64secret/);
  });

  it('reads a key ring in order: the first key signs', () => {
    const second = `old:${Buffer.alloc(32, 2).toString('base64')}`;
    const c = loadConfig({ JWT_KEYS: `${key}, ${second}` });
    expect(c.auth.jwtKeys !== 'generate' && c.auth.jwtKeys.map((k) => k.kid)).toEqual(['main', 'old']);
  });

  it('redacts passwords in URLs it reports', () => {
    expect(problemsOf({ DATABASE_URL: 'pg://user:s3cret@h/d' }).join()).not.toContain('s3cret');
  });
});
