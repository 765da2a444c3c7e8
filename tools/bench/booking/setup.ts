/**
 * Builds the system under test: a fresh, migrated database (a temporary SQLite file or a new
 * `cb_bench_<random>` MariaDB schema), the real app from `buildApp` listening on 127.0.0.1:0 (with
 * `--split`: as PROCESS_ROLE=api, a worker process beside it, Redis Streams between; split.ts), one
 * published listing open 00:00–24:00 every day on a 5-minute grid, and many registered patients.
 * Setup goes through `app.inject` (it is not measured); the measured phases use real HTTP.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuthResult, Listing, Schedule } from '@carebook/contracts';
import type { FastifyInstance } from 'fastify';
import { createConnection } from 'mysql2/promise';
import { buildApp } from '../../../apps/api/src/app';
import { loadConfig } from '../../../apps/api/src/config/config';
import type { Databases, Services } from '../../../apps/api/src/container';
import { closeDatabases, migrateAll, openDatabases } from '../../../apps/api/src/db/open-databases';
import { demoAccounts, seedDemoAccounts } from '../../../apps/api/src/modules/accounts/demo-accounts';
import { type JwtKey, resolveJwtKeys } from '../../../apps/api/src/modules/auth/jwt-keys';
import { systemClock } from '../../../apps/api/src/ports/clock';
import { BenchRedis, WorkerProcess } from './split';

export type BenchDialect = 'sqlite' | 'mariadb';

export const MYSQL_SERVER_URL = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';

export interface System {
  dialect: BenchDialect;
  app: FastifyInstance;
  services: Services;
  dbs: Databases;
  baseUrl: string;
  listingId: string;
  freeServiceId: string;
  paidServiceId: string;
  /** Access tokens of distinct patients. */
  patients: string[];
  /** Access token of the listing's owner (a provider), for the WebSocket subscriber. */
  ownerToken: string;
  /** The access-token key ring, issuer and audience the app verifies with (for the reference server). */
  jwt: { keys: JwtKey[]; issuer: string; audience: string };
  /** Slot i starts at firstSlot + i × 5 minutes; every such slot is bookable. */
  firstSlot: number;
  /** `--split`: this process is the `api`, beside a `worker` process, over Redis Streams (split.ts). */
  split: { worker: WorkerProcess; redis: BenchRedis } | null;
  teardown(): Promise<void>;
}

const SLOT_MS = 5 * 60_000;

async function freshDatabaseUrl(dialect: BenchDialect): Promise<{ url: string; drop: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'carebook-bench-'));
    return {
      url: `sqlite:${join(dir, 'bench.db')}`,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `cb_bench_${randomBytes(5).toString('hex')}`;
  const admin = await createConnection({ uri: MYSQL_SERVER_URL });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const u = new URL(MYSQL_SERVER_URL);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    drop: async () => {
      const conn = await createConnection({ uri: MYSQL_SERVER_URL });
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await conn.end();
    },
  };
}

function expectStatus(res: { statusCode: number; body: string }, status: number, what: string): void {
  if (res.statusCode !== status)
    throw new Error(`${what}: expected ${status}, got ${res.statusCode}: ${res.body}`);
}

export async function buildSystem(
  dialect: BenchDialect,
  patientCount: number,
  splitProcesses = false,
): Promise<System> {
  const fresh = await freshDatabaseUrl(dialect);
  const dataDir = mkdtempSync(join(tmpdir(), 'carebook-bench-data-'));
  const redis = splitProcesses ? await BenchRedis.start() : null;
  // What the api (this process) and, with --split, the worker share.
  const shared: Record<string, string> = {
    PASSWORD_HASH_MEMORY_KIB: '1024',
    RATE_LIMIT_PER_MINUTE: '1000000',
    JWT_KEYS: `bench:${randomBytes(32).toString('base64')}`,
    DATABASE_URL: fresh.url,
    DATA_DIR: dataDir,
    WEB_DIST_DIR: join(dataDir, 'no-web-build'),
    SEED_DEMO_DATA: 'false',
    DEMO_LISTINGS: '0',
    ...(redis ? { EVENT_BUS_URL: redis.url } : {}),
  };
  const config = loadConfig(
    {
      ...shared,
      LOG_LEVEL: 'silent',
      HOST: '127.0.0.1',
      PORT: '0',
      ...(redis ? { PROCESS_ROLE: 'api', INSTANCE_ID: 'bench-api' } : {}),
    },
    process.cwd(),
  );
  const dbs = openDatabases(config);
  let app: FastifyInstance | undefined;
  let worker: WorkerProcess | undefined;
  const teardown = async () => {
    await app?.close();
    await worker?.stop();
    await redis?.stop();
    await closeDatabases(dbs);
    await fresh.drop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await migrateAll(dbs);
    const built = await buildApp(config, { dbs, clock: systemClock });
    app = built.app;
    const { services } = built;
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    if (!address || typeof address === 'string') throw new Error('no TCP address');
    const baseUrl = `http://127.0.0.1:${address.port}`;

    // The people: an admin (demo account), a verified provider, and the patients.
    await seedDemoAccounts(dbs.inventory.db, services.hasher, systemClock);
    const adminAccount = demoAccounts.find((a) => a.role === 'admin');
    const login = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: adminAccount?.email, password: adminAccount?.password },
    });
    expectStatus(login, 200, 'admin login');
    const admin = login.json() as AuthResult;
    const mailbox = services.devMailbox;
    if (!mailbox) throw new Error('the bench runs with the dev mailbox (SMTP_URL unset)');
    // Sign up, follow the verification link from the dev mailbox, sign in.
    const register = async (displayName: string, role: 'patient' | 'provider', n: number) => {
      const email = `bench.${role}.${n}@example.test`;
      const password = 'correct-horse-battery';
      const inject = async (url: string, payload: object, status: number, what: string) => {
        const res = await app?.inject({ method: 'POST', url, payload });
        if (!res) throw new Error('no app');
        expectStatus(res, status, what);
        return res;
      };
      await inject('/api/v1/auth/register', { email, password, displayName, role }, 202, 'register');
      let sent: { id: string } | undefined;
      for (let page = 1; !sent; page++) {
        const { items } = await mailbox.list(page, 200);
        if (items.length === 0) break;
        sent = items.find((m) => m.to === email && m.subject.startsWith('Confirm your e-mail'));
      }
      const text = sent ? (await mailbox.get(sent.id))?.text : undefined;
      const token = text && /verify-email#token=([A-Za-z0-9_-]+)/.exec(text)?.[1];
      if (!token) throw new Error(`no verification e-mail to ${email}`);
      await inject('/api/v1/auth/verify-email', { token }, 200, 'verify e-mail');
      return (await inject('/api/v1/auth/login', { email, password }, 200, 'login')).json() as AuthResult;
    };
    const owner = await register('Bench Provider', 'provider', 0);
    expectStatus(
      await app.inject({
        method: 'POST',
        url: `/api/v1/admin/users/${owner.user.id}/verify`,
        headers: { authorization: `Bearer ${admin.tokens.accessToken}` },
      }),
      200,
      'verify provider',
    );

    // The listing: open all day every day (UTC), 5-minute grid, a free and a paid 5-minute service.
    const h = { authorization: `Bearer ${owner.tokens.accessToken}` };
    const created = await app.inject({
      method: 'POST',
      url: '/api/v1/providers',
      headers: h,
      payload: {
        name: 'Bench Clinic',
        kind: 'clinic',
        specialties: ['dermatology'],
        conditions: [],
        languages: ['en'],
        insurance: [],
        gender: null,
        visitTypes: ['in-person'],
        acceptingNewPatients: true,
        bio: 'Benchmark listing.',
        address: { line1: '1 Main St', city: 'New York', region: 'NY', postcode: '10001', country: 'US' },
        location: { lat: 40.75, lon: -73.99 },
        timeZone: 'UTC',
      },
    });
    expectStatus(created, 201, 'create listing');
    const listingId = (created.json() as Listing).id;
    const service = async (name: string, priceCents: number, version: number) => {
      const res = await app?.inject({
        method: 'POST',
        url: `/api/v1/providers/${listingId}/services`,
        headers: { ...h, 'if-match': `"${version}"` },
        payload: {
          name,
          durationMinutes: 5,
          priceCents,
          currency: 'USD',
          visitType: 'in-person',
          bufferBeforeMinutes: 0,
          bufferAfterMinutes: 0,
        },
      });
      if (!res) throw new Error('no app');
      expectStatus(res, 201, `create service ${name}`);
      return (res.json() as { service: { id: string } }).service.id;
    };
    const freeServiceId = await service('Quick check-in', 0, 1);
    const paidServiceId = await service('Quick paid check-in', 1500, 2);
    const allDay = [{ start: '00:00', end: '24:00' }];
    const schedule: Schedule = {
      weekly: { mon: allDay, tue: allDay, wed: allDay, thu: allDay, fri: allDay, sat: allDay, sun: allDay },
      overrides: [],
      timeOff: [],
      slotIntervalMinutes: 5,
      minimumNoticeMinutes: 0,
      bookingHorizonDays: 365,
      cancellationWindowHours: 0,
    };
    expectStatus(
      await app.inject({
        method: 'PUT',
        url: `/api/v1/providers/${listingId}/schedule`,
        headers: { ...h, 'if-match': '"3"' },
        payload: schedule,
      }),
      200,
      'schedule',
    );
    expectStatus(
      await app.inject({
        method: 'POST',
        url: `/api/v1/providers/${listingId}/publish`,
        headers: { ...h, 'if-match': '"4"' },
      }),
      200,
      'publish',
    );

    const patients: string[] = [];
    for (let i = 0; i < patientCount; i += 25) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(25, patientCount - i) }, (_, j) =>
          register(`Patient ${i + j}`, 'patient', i + j),
        ),
      );
      patients.push(...batch.map((p) => p.tokens.accessToken));
    }

    // The worker last: the data directory holds the embedded key ring the api made.
    if (redis) worker = await WorkerProcess.start(shared);

    // Two days from now at midnight UTC: far from the notice limit, ~100k slots before the horizon.
    const firstSlot = Math.ceil((Date.now() + 2 * 86_400_000) / 86_400_000) * 86_400_000;
    return {
      dialect,
      app,
      services,
      dbs,
      baseUrl,
      listingId,
      freeServiceId,
      paidServiceId,
      patients,
      ownerToken: owner.tokens.accessToken,
      jwt: { keys: resolveJwtKeys(config), issuer: config.auth.issuer, audience: config.auth.audience },
      firstSlot,
      split: redis && worker ? { worker, redis } : null,
      teardown,
    };
  } catch (err) {
    await teardown().catch(() => undefined);
    throw err;
  }
}

export const slotAt = (firstSlot: number, i: number) => new Date(firstSlot + i * SLOT_MS).toISOString();
