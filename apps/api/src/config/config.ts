import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { type ClusterConfig, readClusterConfig } from './cluster';
import { type HistoryConfig, readHistoryConfig } from './history';
import { type MessagingConfig, readMessagingConfig } from './messaging';
import { type ObservabilityConfig, readObservabilityConfig } from './observability';
import { type PrivacyConfig, readPrivacyConfig } from './privacy';
import { redactUrl } from './redact';
import { type ReplicaConfig, readReplicaConfig } from './replicas';
import { type ResilienceConfig, readResilienceConfig } from './resilience';
import { readReviewWindowDays } from './reviews';
import { readShardConfig, type ShardConfig } from './shards';
import { stripeApi } from './stripe';

export { redactUrl };

import { PROCESS_ROLES, type ProcessRole, processRoleProblem } from './process-role';

export type Profile = 'embedded' | 'production';

export interface DatabaseConfig {
  /** sqlite:./path.db, sqlite::memory:, or mysql://user:pass@host:port/db */
  url: string;
  /** MySQL pool: connections at most, how long an idle one is kept, how long a connect may take. */
  poolSize: number;
  poolIdleTimeoutMs: number;
  connectTimeoutMs: number;
  /**
   * MySQL: connections of the outbox relay's own pool (its reads and marks, and the WebSocket
   * push's session re-check), apart from the requests' and consumers' pool; 0 shares that pool.
   */
  relayPoolSize?: number;
}

export interface Config {
  profile: Profile;
  processRole: ProcessRole;
  host: string;
  port: number;
  publicUrl: string;
  dataDir: string;
  logLevel: string;
  bodyLimitBytes: number;
  trustProxy: boolean;
  databases: { inventory: DatabaseConfig; bookings: DatabaseConfig };
  auth: {
    /** Key ring; the first key signs, all of them verify. */
    jwtKeys: { kid: string; secret: Uint8Array }[] | 'generate';
    issuer: string;
    audience: string;
    accessTokenTtlSeconds: number;
    refreshTokenTtlSeconds: number;
    /** argon2id cost; lowered only by tests. */
    passwordHashMemoryKiB: number;
    loginFailureLimitPerAccount: number;
    loginFailureLimitPerIp: number;
    loginFailureWindowSeconds: number;
    /** Growing delay after the free failures: base × 2^(failures − free), at most max (seconds). */
    loginDelayBaseSeconds: number;
    loginDelayMaxSeconds: number;
    /** Account e-mail links (modules/accounts): lifetimes and the per-address / per-IP request limits. */
    passwordResetTtlMinutes: number;
    emailVerificationTtlHours: number;
    accountMailLimitPerAddress: number;
    accountMailLimitPerIp: number;
    accountMailWindowSeconds: number;
  };
  blobs:
    | { kind: 'local'; root: string }
    | { kind: 's3'; bucket: string; region: string; endpoint?: string; forcePathStyle: boolean };
  bookings: { holdMinutes: number; lifecycleIntervalSeconds: number; paymentLeaseSeconds: number };
  /** How long a waitlist offer holds its time (modules/waitlist). */
  waitlist: { offerMinutes: number };
  payments:
    | { kind: 'simulated'; webhookSecret: string | 'generate' }
    | {
        kind: 'stripe';
        secretKey: string;
        webhookSecret: string;
        /** Given to browsers for Stripe.js (card entry happens on Stripe's side, never here). */
        publishableKey: string;
        /** Another API host (stripe-mock, a proxy); Stripe's own when absent. */
        api?: { host: string; port: number; protocol: 'http' | 'https' };
      };
  /** 'memory' (embedded) or a redis:// URL. */
  cacheUrl: string;
  /** '' for the embedded engine, or an Elasticsearch/OpenSearch URL. */
  searchUrl: string;
  /** 'mailbox' (embedded: a dev mailbox at /dev/mailbox) or smtp(s):// */
  mail: { url: string; from: string };
  rateLimitPerMinute: number;
  seedDemoData: boolean;
  /** How many demo listings the embedded profile seeds into an empty database. */
  demoListings: number;
  webDistDir: string;
  migrateOnStart: boolean;
  cluster: ClusterConfig;
  /** The booking databases (booking shards, config/shards.ts); the first is `databases.bookings`. */
  shards: ShardConfig;
  /** Read replicas per logical database (none on SQLite). */
  replicas: ReplicaConfig;
  /** Partitioned booking history and archive retention. */
  history: HistoryConfig;
  messaging: MessagingConfig;
  reviews: { windowDays: number };
  /** Browser tests only (embedded profile): a file holding a clock offset in ms; see adapters/clock. */
  testClockFile: string | null;
  observability: ObservabilityConfig;
  /** Timeouts and circuit breakers, shared rate limits, CDN origins (config/resilience.ts). */
  resilience: ResilienceConfig;
  /** Encryption keys and retention ages (config/privacy.ts, docs/security.md). */
  privacy: PrivacyConfig;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

/**
 * Builds the one typed config object from environment variables. Every problem found is
 * reported at once, each naming its variable; nothing falls back silently in production.
 */
export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const problems: string[] = [];
  const read = new Reader(env, problems);

  const profile = read.oneOf('CAREBOOK_PROFILE', ['embedded', 'production'], 'embedded') as Profile;
  const prod = profile === 'production';
  const dataDir = resolve(cwd, read.string('DATA_DIR', './data'));
  const port = read.int('PORT', 3000, 0, 65535);
  const host = read.string('HOST', prod ? '0.0.0.0' : '127.0.0.1');

  const defaultDbUrl = prod ? undefined : `sqlite:${resolve(dataDir, 'carebook.db')}`;
  const databaseUrl = env.DATABASE_URL ?? defaultDbUrl;
  const poolSize = read.int('DB_POOL_SIZE', 10, 1, 500);
  const pool = {
    poolSize,
    poolIdleTimeoutMs: read.int('DB_POOL_IDLE_TIMEOUT_MS', 60_000, 1000, 3_600_000),
    connectTimeoutMs: read.int('DB_CONNECT_TIMEOUT_MS', 10_000, 100, 120_000),
    relayPoolSize: read.int('DB_RELAY_POOL_SIZE', 2, 0, 100),
  };
  const dbUrl = (name: string, fallback: string | undefined): string => {
    const url = env[name] ?? fallback;
    if (!url) {
      problems.push(`${name}: required in the production profile (or set DATABASE_URL)`);
      return '';
    }
    if (!/^(sqlite:|mysql:\/\/)/.test(url)) {
      problems.push(`${name}: must start with sqlite: or mysql:// (got "${redactUrl(url)}")`);
    } else if (prod && url.startsWith('sqlite:')) {
      problems.push(`${name}: the production profile needs MySQL/MariaDB, not SQLite`);
    }
    return url;
  };
  const inventoryUrl = dbUrl('INVENTORY_DATABASE_URL', databaseUrl);
  const bookingsUrl = dbUrl('BOOKING_DATABASE_URL', databaseUrl);
  if (!env.INVENTORY_DATABASE_URL && !env.BOOKING_DATABASE_URL && prod && !env.DATABASE_URL) {
    // reported above per variable; add the umbrella hint once
    problems.push('DATABASE_URL: required in the production profile');
  }

  const jwtKeys = parseJwtKeys(env.JWT_KEYS, problems);
  if (prod && jwtKeys === 'generate') {
    problems.push(
      'JWT_KEYS: required in the production profile (format kid:base64secret[,kid:base64secret])',
    );
  }
  const accessTtl = read.int('ACCESS_TOKEN_TTL_SECONDS', 900, 30, 86_400);
  const refreshTtl = read.int('REFRESH_TOKEN_TTL_SECONDS', 30 * 86_400, 300, 365 * 86_400);
  if (refreshTtl <= accessTtl) {
    problems.push('REFRESH_TOKEN_TTL_SECONDS: must be longer than ACCESS_TOKEN_TTL_SECONDS');
  }
  const publicUrl = read.string('PUBLIC_URL', `http://localhost:${port}`);
  if (!/^https?:\/\//.test(publicUrl)) problems.push('PUBLIC_URL: must be an http(s) URL');

  const blobKind = read.oneOf('BLOB_STORE', ['local', 's3'], prod ? 's3' : 'local');
  if (prod && blobKind === 'local')
    problems.push('BLOB_STORE: the production profile stores media in S3 (BLOB_STORE=s3)');
  const s3Bucket = env.S3_BUCKET ?? '';
  if (blobKind === 's3' && !s3Bucket) problems.push('S3_BUCKET: required when BLOB_STORE=s3');
  const s3Endpoint = env.S3_ENDPOINT;
  const blobs: Config['blobs'] =
    blobKind === 's3'
      ? {
          kind: 's3',
          bucket: s3Bucket,
          region: read.string('S3_REGION', 'us-east-1'),
          ...(s3Endpoint ? { endpoint: s3Endpoint } : {}),
          forcePathStyle: read.bool('S3_FORCE_PATH_STYLE', false),
        }
      : { kind: 'local', root: resolve(cwd, read.string('BLOB_DIR', resolve(dataDir, 'blobs'))) };

  const cacheUrl = read.string('CACHE_URL', prod ? '' : 'memory');
  if (!cacheUrl) problems.push('CACHE_URL: required in the production profile (redis://host:6379)');
  else if (cacheUrl !== 'memory' && !/^rediss?:\/\//.test(cacheUrl)) {
    problems.push(`CACHE_URL: must be "memory" or a redis:// URL (got "${redactUrl(cacheUrl)}")`);
  } else if (prod && cacheUrl === 'memory') {
    problems.push('CACHE_URL: the production profile needs Redis, not the in-process cache');
  }

  const paymentsKind = read.oneOf('PAYMENTS', ['simulated', 'stripe'], prod ? 'stripe' : 'simulated');
  if (prod && paymentsKind === 'simulated')
    problems.push('PAYMENTS: the production profile takes real payments (PAYMENTS=stripe)');
  const stripeKey = env.STRIPE_SECRET_KEY ?? '';
  const stripeWebhook = env.STRIPE_WEBHOOK_SECRET ?? '';
  const stripePublishable = env.STRIPE_PUBLISHABLE_KEY ?? '';
  if (paymentsKind === 'stripe') {
    if (!/^pk_(test|live)_/.test(stripePublishable))
      problems.push(
        'STRIPE_PUBLISHABLE_KEY: required with PAYMENTS=stripe (pk_test_… or pk_live_…): the web checkout needs it',
      );
    if (!/^sk_(test|live)_/.test(stripeKey))
      problems.push('STRIPE_SECRET_KEY: required with PAYMENTS=stripe (sk_test_… or sk_live_…)');
    if (!stripeWebhook.startsWith('whsec_'))
      problems.push('STRIPE_WEBHOOK_SECRET: required with PAYMENTS=stripe (whsec_…)');
  }
  const payments: Config['payments'] =
    paymentsKind === 'stripe'
      ? {
          kind: 'stripe',
          secretKey: stripeKey,
          webhookSecret: stripeWebhook,
          publishableKey: stripePublishable,
          ...stripeApi(env.STRIPE_API_URL, problems),
        }
      : { kind: 'simulated', webhookSecret: env.SIMULATED_WEBHOOK_SECRET || 'generate' };

  // "embedded" is an explicit choice: every instance keeps its own index, rebuilt at start and fed
  // by the event stream (fine up to a few hundred thousand listings per instance's memory).
  const searchSetting = read.string('SEARCH_URL', prod ? '' : 'embedded');
  const searchUrl = searchSetting === 'embedded' ? '' : searchSetting;
  if (searchUrl && !/^https?:\/\//.test(searchUrl))
    problems.push('SEARCH_URL: must be "embedded" or an http(s) URL of an Elasticsearch/OpenSearch cluster');
  if (prod && !searchSetting)
    problems.push(
      'SEARCH_URL: required in the production profile (an Elasticsearch/OpenSearch URL, or "embedded")',
    );

  const mailUrl = read.string('SMTP_URL', prod ? '' : 'mailbox');
  if (!mailUrl) problems.push('SMTP_URL: required in the production profile (smtp://user:pass@host:587)');
  else if (mailUrl !== 'mailbox' && !/^smtps?:\/\//.test(mailUrl))
    problems.push('SMTP_URL: must be smtp:// or smtps://');
  else if (prod && mailUrl === 'mailbox')
    problems.push('SMTP_URL: the production profile sends real e-mail, not to the dev mailbox');

  const processRole = read.oneOf('PROCESS_ROLE', PROCESS_ROLES, 'all');
  const config: Config = {
    profile,
    processRole,
    host,
    port,
    publicUrl,
    dataDir,
    logLevel: read.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
    bodyLimitBytes: read.int('BODY_LIMIT_BYTES', 1_048_576, 1024, 50 * 1_048_576),
    trustProxy: read.bool('TRUST_PROXY', false),
    databases: {
      inventory: { url: inventoryUrl, ...pool },
      bookings: { url: bookingsUrl, ...pool },
    },
    auth: {
      jwtKeys,
      issuer: read.string('JWT_ISSUER', 'carebook'),
      audience: read.string('JWT_AUDIENCE', 'carebook-api'),
      accessTokenTtlSeconds: accessTtl,
      refreshTokenTtlSeconds: refreshTtl,
      passwordHashMemoryKiB: read.int('PASSWORD_HASH_MEMORY_KIB', 19_456, 1024, 1_048_576),
      loginFailureLimitPerAccount: read.int('LOGIN_FAILURE_LIMIT_ACCOUNT', 5, 1, 1000),
      loginFailureLimitPerIp: read.int('LOGIN_FAILURE_LIMIT_IP', 30, 1, 100_000),
      loginFailureWindowSeconds: read.int('LOGIN_FAILURE_WINDOW_SECONDS', 900, 10, 86_400),
      loginDelayBaseSeconds: read.int('LOGIN_DELAY_BASE_SECONDS', 2, 1, 3600),
      loginDelayMaxSeconds: read.int('LOGIN_DELAY_MAX_SECONDS', 900, 1, 86_400),
      passwordResetTtlMinutes: read.int('PASSWORD_RESET_TTL_MINUTES', 30, 5, 1440),
      emailVerificationTtlHours: read.int('EMAIL_VERIFICATION_TTL_HOURS', 48, 1, 720),
      accountMailLimitPerAddress: read.int('ACCOUNT_MAIL_LIMIT_ADDRESS', 5, 1, 1000),
      accountMailLimitPerIp: read.int('ACCOUNT_MAIL_LIMIT_IP', 30, 1, 100_000),
      accountMailWindowSeconds: read.int('ACCOUNT_MAIL_WINDOW_SECONDS', 3600, 60, 86_400),
    },
    blobs,
    cacheUrl,
    searchUrl,
    mail: { url: mailUrl, from: read.string('MAIL_FROM', 'Carebook <no-reply@carebook.test>') },
    bookings: {
      holdMinutes: read.int('BOOKING_HOLD_MINUTES', 10, 1, 120),
      lifecycleIntervalSeconds: read.int('LIFECYCLE_INTERVAL_SECONDS', 15, 1, 3600),
      // How long one instance may spend creating a booking's payment intent before another takes
      // over (modules/bookings/payment-start.ts); above the Stripe client's timeout and retries.
      paymentLeaseSeconds: read.int('BOOKING_PAYMENT_LEASE_SECONDS', 75, 1, 600),
    },
    waitlist: { offerMinutes: read.int('WAITLIST_OFFER_MINUTES', 30, 1, 1440) },
    payments,
    rateLimitPerMinute: read.int('RATE_LIMIT_PER_MINUTE', 1200, 1, 1_000_000),
    seedDemoData: read.bool('SEED_DEMO_DATA', !prod),
    demoListings: read.int('DEMO_LISTINGS', 2000, 0, 1_000_000),
    webDistDir: resolve(cwd, read.string('WEB_DIST_DIR', './apps/web/dist')),
    migrateOnStart: read.bool('MIGRATE_ON_START', !prod),
    cluster: readClusterConfig(read, prod, problems),
    shards: readShardConfig(env, { url: bookingsUrl, ...pool }, problems),
    replicas: readReplicaConfig(
      read,
      { inventory: { url: inventoryUrl, ...pool }, bookings: { url: bookingsUrl, ...pool } },
      read.string('READ_DATABASE_URL', ''),
      problems,
    ),
    history: readHistoryConfig(read),
    messaging: readMessagingConfig(env, prod, problems),
    reviews: { windowDays: readReviewWindowDays(env, problems) },
    testClockFile: env.CAREBOOK_TEST_CLOCK_FILE ? resolve(cwd, env.CAREBOOK_TEST_CLOCK_FILE) : null,
    observability: readObservabilityConfig(read, env),
    resilience: readResilienceConfig(read, cacheUrl, problems),
    privacy: readPrivacyConfig(read, env.ENCRYPTION_KEYS, prod, problems),
  };
  if (prod && config.testClockFile)
    problems.push(
      'CAREBOOK_TEST_CLOCK_FILE: a test clock is for browser tests; production runs on the system clock',
    );
  if (prod && config.seedDemoData)
    problems.push('SEED_DEMO_DATA: demo data must not be seeded in production');
  const roleProblem = processRoleProblem(processRole, config.cluster.eventBusUrl);
  if (roleProblem) problems.push(roleProblem);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** Loads `.env` from the working directory when one exists; real env vars win. */
export function loadDotEnv(cwd = process.cwd()): void {
  const file = resolve(cwd, '.env');
  if (existsSync(file)) process.loadEnvFile(file);
}

function parseJwtKeys(raw: string | undefined, problems: string[]): Config['auth']['jwtKeys'] {
  if (!raw) return 'generate';
  const keys: { kid: string; secret: Uint8Array }[] = [];
  for (const part of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const [kid, b64] = part.split(':');
    if (!kid || !b64 || !/^[A-Za-z0-9._-]{1,64}$/.test(kid)) {
      problems.push('JWT_KEYS: each entry must be kid:base64secret');
      return 'generate';
    }
    const secret = Buffer.from(b64, 'base64');
    if (secret.length < 32) {
      problems.push(`JWT_KEYS: key "${kid}" must be at least 32 bytes (256 bits)`);
      return 'generate';
    }
    keys.push({ kid, secret: new Uint8Array(secret) });
  }
  if (keys.length === 0) problems.push('JWT_KEYS: no keys given');
  return keys;
}

class Reader {
  constructor(
    private readonly env: Env,
    private readonly problems: string[],
  ) {}

  string(name: string, fallback: string): string {
    const v = this.env[name];
    return v === undefined || v === '' ? fallback : v;
  }

  int(name: string, fallback: number, min: number, max: number): number {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      this.problems.push(`${name}: must be an integer from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return n;
  }

  bool(name: string, fallback: boolean): boolean {
    const raw = this.env[name]?.toLowerCase();
    if (raw === undefined || raw === '') return fallback;
    if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
    if (['0', 'false', 'no', 'off'].includes(raw)) return false;
    this.problems.push(`${name}: must be true or false (got "${raw}")`);
    return fallback;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const raw = this.env[name];
    if (raw === undefined || raw === '') return fallback;
    if (!(allowed as readonly string[]).includes(raw)) {
      this.problems.push(`${name}: must be one of ${allowed.join(', ')} (got "${raw}")`);
      return fallback;
    }
    return raw as T;
  }
}
