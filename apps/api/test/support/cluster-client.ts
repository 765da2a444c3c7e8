import type { AuthResult, Listing } from '@carebook/contracts';
import { afterAll, beforeAll, expect } from 'vitest';
import WebSocket from 'ws';
import { freePort } from '../../../../tools/free-port';
import { createAdmin } from '../../src/modules/accounts/create-admin';
import { PasswordHasher } from '../../src/modules/auth/passwords';
import { systemClock } from '../../src/ports/clock';
import { type FreshDatabases, freshDatabases } from './databases';
import { PASSWORD } from './http';
import { leaves, parseMime } from './mime';
import {
  ApiProcess,
  type Mail,
  newJwtKeys,
  productionEnv,
  RedisServer,
  Surroundings,
  until,
} from './processes';
import { listingInput, serviceInput, weekdaysNineToFive } from './providers';

/** JSON from the wire in whole-process tests: untyped, and asserted field by field. */
// biome-ignore lint/suspicious/noExplicitAny: see above
type Json = any;

/** A small HTTP client for whole-process tests: JSON in, JSON or problem+json out. */
export async function call(
  base: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: Json; headers: Headers }> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
  });
  const text = await res.text();
  let body: Json = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body, headers: res.headers };
}

let counter = 0;
/**
 * Signs up on `base`, confirms the address with the link the API mailed to the SMTP sink (`mail`),
 * and signs in: a ready account, the way a person gets one.
 */
export async function registerAt(
  base: string,
  role: 'patient' | 'provider',
  name: string,
  mail: readonly Mail[],
): Promise<AuthResult> {
  const email = `${name.toLowerCase().replace(/\W+/g, '-')}-${Date.now().toString(36)}-${++counter}@example.test`;
  const res = await call(base, 'POST', '/api/v1/auth/register', {
    body: { email, password: PASSWORD, displayName: name, role },
  });
  if (res.status !== 202) throw new Error(`register ${res.status}: ${JSON.stringify(res.body)}`);
  let token: string | undefined;
  await until(`the verification e-mail to ${email}`, async () => {
    token = verificationToken(mail, email);
    return token !== undefined;
  });
  const verified = await call(base, 'POST', '/api/v1/auth/verify-email', { body: { token } });
  if (verified.status !== 200) throw new Error(`verify ${verified.status}: ${JSON.stringify(verified.body)}`);
  const login = await call(base, 'POST', '/api/v1/auth/login', { body: { email, password: PASSWORD } });
  if (login.status !== 200) throw new Error(`login ${login.status}: ${JSON.stringify(login.body)}`);
  return login.body as AuthResult;
}

function verificationToken(mail: readonly Mail[], to: string): string | undefined {
  for (const m of mail) {
    if (!m.to.includes(to)) continue;
    for (const part of leaves(parseMime(m.raw))) {
      const token = /verify-email#token=([A-Za-z0-9_-]+)/.exec(part.body.toString('utf8'))?.[1];
      if (token) return token;
    }
  }
  return undefined;
}

export async function loginAt(base: string, email: string, password: string): Promise<string> {
  const res = await call(base, 'POST', '/api/v1/auth/login', { body: { email, password } });
  if (res.status !== 200) throw new Error(`login ${res.status}: ${JSON.stringify(res.body)}`);
  return (res.body as AuthResult).tokens.accessToken;
}

function expectStatus(res: { status: number; body: unknown }, status: number, what: string) {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
}

/** A published New York listing (weekdays 09–17, 15-minute slots) with free 15- and 45-minute services. */
export async function publishedPractice(
  base: string,
  ownerToken: string,
): Promise<{ listing: Listing; short: string; long: string }> {
  const created = await call(base, 'POST', '/api/v1/providers', { token: ownerToken, body: listingInput() });
  expectStatus(created, 201, 'create listing');
  const id = (created.body as Listing).id;
  const service = async (version: number, body: object) => {
    const res = await call(base, 'POST', `/api/v1/providers/${id}/services`, {
      token: ownerToken,
      body,
      headers: { 'if-match': `"${version}"` },
    });
    expectStatus(res, 201, 'add service');
    return res.body.service.id as string;
  };
  const short = await service(1, serviceInput({ name: 'Quick check', durationMinutes: 15, priceCents: 0 }));
  const long = await service(2, serviceInput({ name: 'Long review', durationMinutes: 45, priceCents: 0 }));
  const schedule = await call(base, 'PUT', `/api/v1/providers/${id}/schedule`, {
    token: ownerToken,
    body: weekdaysNineToFive({ slotIntervalMinutes: 15 }),
    headers: { 'if-match': '"3"' },
  });
  expectStatus(schedule, 200, 'schedule');
  const published = await call(base, 'POST', `/api/v1/providers/${id}/publish`, {
    token: ownerToken,
    headers: { 'if-match': '"4"' },
  });
  expectStatus(published, 200, 'publish');
  return { listing: published.body as Listing, short, long };
}

/** A WebSocket client on /api/v1/ws that collects every message after `ready`. */
export async function liveClient(base: string, token: string): Promise<{ messages: Json[]; close(): void }> {
  const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/api/v1/ws`);
  const messages: Json[] = [];
  await new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    ws.once('open', () => ws.send(JSON.stringify({ type: 'auth', token })));
    ws.on('message', (raw) => {
      const msg = JSON.parse(raw.toString());
      if (msg.type === 'ready') resolve();
      else if (msg.type === 'error') reject(new Error(`ws refused: ${msg.code}`));
      else messages.push(msg);
    });
  });
  return { messages, close: () => ws.close() };
}

/** Two production-profile API processes on a fresh MariaDB schema and a Redis of their own. */
export interface TwoInstances {
  db: FreshDatabases;
  redis: RedisServer;
  around: Surroundings;
  a: ApiProcess;
  b: ApiProcess;
  /** A verified provider account's access token (registered on A, verified by an admin on B). */
  ownerToken: string;
  /** Stops both processes (returning their exit codes) and everything around them. */
  stop(): Promise<(number | null)[]>;
}

/**
 * `extra` overrides the production environment (e.g. Kafka and OpenSearch for both instances);
 * `startTimeoutMs` bounds each instance's start (Kafka group joins make it slower).
 */
export async function startTwoInstances(
  extra: Record<string, string> = {},
  startTimeoutMs = 60_000,
): Promise<TwoInstances> {
  const backends = await startBackends(extra);
  const { db, redis, around, env } = backends;
  const a = new ApiProcess('instance A', await env('api-a'));
  const b = new ApiProcess('instance B', await env('api-b'));
  const stop = async () => {
    const codes = await Promise.all([a.stop(), b.stop()]);
    await backends.stop();
    return codes;
  };
  try {
    await Promise.all([a.start(startTimeoutMs), b.start(startTimeoutMs)]);
    const owner = await verifiedOwner(backends, a.url, b.url, 'cluster', 'Cluster Owner');
    return { db, redis, around, a, b, ownerToken: owner.tokens.accessToken, stop };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}

/**
 * The suite's two instances (`startTwoInstances()`): started before its tests, stopped after them,
 * and both must exit with 0. The answer reads them once started.
 */
export function twoInstancesForSuite(): () => TwoInstances {
  let c: TwoInstances | undefined;
  beforeAll(async () => {
    c = await startTwoInstances();
  }, 120_000);
  afterAll(async () => {
    expect(await c?.stop()).toEqual([0, 0]);
  }, 60_000);
  return () => {
    if (!c) throw new Error('the two instances did not start');
    return c;
  };
}

/** What production-profile instances run beside, and `env(id)`: one instance's environment on it. */
export interface Backends {
  db: FreshDatabases;
  redis: RedisServer;
  around: Surroundings;
  env(instanceId: string): Promise<Record<string, string>>;
  /** Stops S3, SMTP and Stripe, halts the Redis and drops the databases. */
  stop(): Promise<void>;
}

/**
 * A fresh MariaDB schema, a Redis of their own, S3, SMTP and Stripe's wire format, and one JWT
 * key set for every instance; `extra` overrides the production environment.
 */
export async function startBackends(extra: Record<string, string> = {}): Promise<Backends> {
  const [db, redis, around] = await Promise.all([
    freshDatabases('mariadb', true),
    RedisServer.start(),
    Surroundings.start(),
  ]);
  const jwtKeys = newJwtKeys();
  return {
    db,
    redis,
    around,
    env: async (instanceId) =>
      productionEnv({
        instanceId,
        port: await freePort(),
        databaseUrl: db.url,
        redisUrl: redis.url,
        around,
        jwtKeys,
        extra,
      }),
    async stop() {
      await Promise.all([around.stop(), redis.halt(), db.drop()]);
    },
  };
}

/**
 * The first admin (`ops@<tag>.test`, made by create-admin as production makes it: the production
 * profile seeds no accounts) and a provider who signed up on `a` and was verified by that admin
 * on `b`: the provider's session.
 */
export async function verifiedOwner(
  backends: Backends,
  a: string,
  b: string,
  tag: string,
  name: string,
): Promise<AuthResult> {
  const email = `ops@${tag}.test`;
  const password = `${tag}-admin-password`;
  await createAdmin(backends.db.dbs.inventory.db, new PasswordHasher(1024), systemClock, {
    email,
    displayName: 'Ops',
    password,
  });
  const admin = await loginAt(b, email, password);
  const owner = await registerAt(a, 'provider', name, backends.around.mail);
  const verified = await call(b, 'POST', `/api/v1/admin/users/${owner.user.id}/verify`, { token: admin });
  expectStatus(verified, 200, 'verify the provider');
  return owner;
}

/** The next weekday (not today) at `hour`:00 in New York plus `minutes`, as UTC ISO. */
export function nextWeekdayAt(hour: number, minutes: number): string {
  const day = new Date();
  do day.setUTCDate(day.getUTCDate() + 1);
  while (day.getUTCDay() === 0 || day.getUTCDay() === 6);
  const date = day.toISOString().slice(0, 10);
  // New York is UTC-5 in winter and UTC-4 in summer; probe both and keep the one that is `hour`.
  for (const offset of [5, 4]) {
    const candidate = new Date(`${date}T${String(hour + offset).padStart(2, '0')}:00:00.000Z`);
    const local = Number(
      new Intl.DateTimeFormat('en-US', {
        timeZone: 'America/New_York',
        hour: 'numeric',
        hourCycle: 'h23',
      }).format(candidate),
    );
    if (local === hour) return new Date(candidate.getTime() + minutes * 60_000).toISOString();
  }
  throw new Error('no New York offset matched');
}
