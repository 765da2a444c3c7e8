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
    expect(c.databases.inventory.relayPoolSize).toBe(2);
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
    expect(problems.join('\n')).toMatch(/ENCRYPTION_KEYS: required in the production profile/);
    expect(problems.join('\n')).toMatch(/CACHE_URL: required/);
    expect(problems.join('\n')).toMatch(/S3_BUCKET: required/);
    expect(problems.join('\n')).toMatch(/STRIPE_SECRET_KEY: required/);
    expect(problems.join('\n')).toMatch(/STRIPE_PUBLISHABLE_KEY: required/);
    expect(problems.join('\n')).toMatch(/EVENT_BUS_URL: required/);
    expect(problems.join('\n')).toMatch(/SEARCH_URL: required/);
    const rest = {
      EVENT_BUS_URL: 'redis://127.0.0.1:6379',
      CACHE_URL: 'redis://127.0.0.1:6379',
      S3_BUCKET: 'media',
      STRIPE_SECRET_KEY: 'sk_test_123',
      STRIPE_WEBHOOK_SECRET: 'whsec_123',
      STRIPE_PUBLISHABLE_KEY: 'pk_test_123',
      SMTP_URL: 'smtp://mail.example.test:587',
      SEARCH_URL: 'http://search.example.test:9200',
      ENCRYPTION_KEYS: `kek-1:${Buffer.alloc(32, 3).toString('base64')}`,
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
      problemsOf({
        ...prod,
        CACHE_URL: 'memory',
        BLOB_STORE: 'local',
        PAYMENTS: 'simulated',
        EVENT_BUS_URL: 'memory',
      }).sort(),
    ).toEqual([
      'BLOB_STORE: the production profile stores media in S3 (BLOB_STORE=s3)',
      'CACHE_URL: the production profile needs Redis, not the in-process cache',
      'EVENT_BUS_URL: the production profile needs Redis Streams or Kafka, not the in-process bus',
      'PAYMENTS: the production profile takes real payments (PAYMENTS=stripe)',
    ]);
    const ok = loadConfig(prod);
    expect(ok.blobs).toEqual({ kind: 's3', bucket: 'media', region: 'us-east-1', forcePathStyle: false });
    expect(ok.seedDemoData).toBe(false);
    expect(ok.migrateOnStart).toBe(false);
  });

  it('reads the cluster settings and names each bad one', () => {
    const ok = loadConfig({
      INSTANCE_ID: 'api-a',
      EVENT_BUS_URL: 'kafka://k1:9092,k2:9092',
      READ_DATABASE_URL: 'mysql://reader@replica/carebook',
      ARCHIVE_STORE: 'dynamodb',
      ARCHIVE_DYNAMODB_TABLE: 'carebook-archive',
      ARCHIVE_DYNAMODB_ENDPOINT: 'http://127.0.0.1:4567',
      ARCHIVE_AFTER_DAYS: '30',
      SEARCH_URL: 'embedded',
      DB_POOL_SIZE: '25',
      DB_POOL_IDLE_TIMEOUT_MS: '5000',
      DB_RELAY_POOL_SIZE: '3',
    });
    expect(ok.cluster).toMatchObject({
      instanceId: 'api-a',
      eventBusUrl: 'kafka://k1:9092,k2:9092',
      readDatabaseUrl: 'mysql://reader@replica/carebook',
      archive: {
        kind: 'dynamodb',
        table: 'carebook-archive',
        endpoint: 'http://127.0.0.1:4567',
        region: 'us-east-1',
      },
      archiveAfterDays: 30,
    });
    expect(ok.searchUrl).toBe('');
    expect(ok.databases.bookings).toMatchObject({ poolSize: 25, poolIdleTimeoutMs: 5000, relayPoolSize: 3 });
    expect(
      problemsOf({
        INSTANCE_ID: 'has space',
        EVENT_BUS_URL: 'amqp://x',
        READ_DATABASE_URL: 'sqlite:./r.db',
        ARCHIVE_STORE: 'dynamodb',
        PAYMENTS: 'stripe',
        STRIPE_SECRET_KEY: 'sk_test_1',
        STRIPE_WEBHOOK_SECRET: 'whsec_1',
        STRIPE_PUBLISHABLE_KEY: 'pk_test_1',
        STRIPE_API_URL: 'ftp://stripe',
      }).sort(),
    ).toEqual([
      'ARCHIVE_DYNAMODB_TABLE: required with ARCHIVE_STORE=dynamodb',
      'EVENT_BUS_URL: must be "memory", redis:// or kafka:// (got "amqp://x")',
      'INSTANCE_ID: letters, digits and . _ : - only, at most 100 characters',
      'READ_DATABASE_URL: must be a mysql:// URL of a read replica',
      'STRIPE_API_URL: must be an http(s) URL (got "ftp://stripe")',
    ]);
    const stripe = loadConfig({
      PAYMENTS: 'stripe',
      STRIPE_SECRET_KEY: 'sk_test_1',
      STRIPE_WEBHOOK_SECRET: 'whsec_1',
      STRIPE_PUBLISHABLE_KEY: 'pk_test_1',
      STRIPE_API_URL: 'http://127.0.0.1:12111',
    });
    expect(stripe.payments).toMatchObject({ api: { host: '127.0.0.1', port: 12111, protocol: 'http' } });
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

  it('accepts a test clock file only outside the production profile', () => {
    expect(loadConfig({}, '/srv/carebook').testClockFile).toBeNull();
    expect(loadConfig({ CAREBOOK_TEST_CLOCK_FILE: 'tmp/offset-ms' }, '/srv/carebook').testClockFile).toBe(
      '/srv/carebook/tmp/offset-ms',
    );
    const prod = {
      CAREBOOK_PROFILE: 'production',
      DATABASE_URL: 'mysql://u:p@db/carebook',
      JWT_KEYS: key,
      CACHE_URL: 'redis://cache:6379',
      EVENT_BUS_URL: 'redis://cache:6379',
      SEARCH_URL: 'embedded',
      BLOB_STORE: 's3',
      S3_BUCKET: 'media',
      PAYMENTS: 'stripe',
      STRIPE_SECRET_KEY: 'sk_test_x',
      STRIPE_WEBHOOK_SECRET: 'whsec_x',
      STRIPE_PUBLISHABLE_KEY: 'pk_test_x',
      SMTP_URL: 'smtp://mail:587',
      ENCRYPTION_KEYS: `kek1:${Buffer.alloc(32, 3).toString('base64')}`,
    };
    expect(problemsOf(prod)).toEqual([]);
    expect(problemsOf({ ...prod, CAREBOOK_TEST_CLOCK_FILE: '/tmp/offset-ms' })).toEqual([
      expect.stringMatching(/^CAREBOOK_TEST_CLOCK_FILE: /),
    ]);
  });

  it('reads ENCRYPTION_KEYS in order and refuses keys that are not 256-bit', () => {
    const c = loadConfig({
      ENCRYPTION_KEYS: `new:${Buffer.alloc(32, 1).toString('base64')},old:${Buffer.alloc(32, 2).toString('base64')}`,
    });
    expect(c.privacy.encryptionKeys !== 'generate' && c.privacy.encryptionKeys.map((k) => k.kid)).toEqual([
      'new',
      'old',
    ]);
    expect(loadConfig({}).privacy.encryptionKeys).toBe('generate');
    expect(problemsOf({ ENCRYPTION_KEYS: `k:${Buffer.alloc(16).toString('base64')}` })[0]).toMatch(
      /exactly 32 bytes/,
    );
    expect(problemsOf({ ENCRYPTION_KEYS: 'nocolon' })[0]).toMatch(/kid:base64key/);
    expect(problemsOf({ RETAIN_READ_NOTIFICATIONS_DAYS: '0' })[0]).toMatch(/RETAIN_READ_NOTIFICATIONS_DAYS/);
  });

  it('redacts passwords in URLs it reports', () => {
    expect(problemsOf({ DATABASE_URL: 'pg://user:s3cret@h/d' }).join()).not.toContain('s3cret');
  });
});
