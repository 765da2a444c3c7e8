import { spawn } from 'node:child_process';
import type { AuthResult, Listing } from '@carebook/contracts';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config/config';
import {
  type Backends,
  call,
  nextWeekdayAt,
  publishedPractice,
  registerAt,
  startBackends,
  verifiedOwner,
} from './support/cluster-client';
import { mariadbAvailable } from './support/databases';
import { leaves, parseMime } from './support/mime';
import { ApiProcess, type Mail, REPO, until } from './support/processes';

/**
 * PROCESS_ROLE (process-role.ts): an `api` process and a `worker` process on MariaDB and a Redis
 * Streams bus of their own (production profile, SMTP, S3 and Stripe's wire format beside them).
 * A booking made on the api process gets its confirmation e-mail and in-app notification from
 * the worker; with the worker stopped the api sends neither, and the worker sends them once it is
 * back (nothing lost). The refusal of a split on the in-process bus is checked on the config and
 * on a real start.
 */
describe('PROCESS_ROLE configuration', () => {
  it('defaults to all, and refuses a split without a shared event bus', () => {
    expect(loadConfig({}).processRole).toBe('all');
    for (const role of ['api', 'worker']) {
      let problems: string[] = [];
      try {
        loadConfig({ PROCESS_ROLE: role });
      } catch (err) {
        if (err instanceof ConfigError) problems = err.problems;
      }
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^PROCESS_ROLE: .*EVENT_BUS_URL=redis:\/\/… or kafka:\/\//);
    }
    expect(loadConfig({ PROCESS_ROLE: 'worker', EVENT_BUS_URL: 'redis://127.0.0.1:6379' }).processRole).toBe(
      'worker',
    );
    expect(() => loadConfig({ PROCESS_ROLE: 'consumer' })).toThrow(
      /PROCESS_ROLE: must be one of all, api, worker \(got "consumer"\)/,
    );
  });

  it('a process asked to be an api on the in-process bus does not start', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/server.ts'], {
      cwd: REPO,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PROCESS_ROLE: 'api', PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const keep = (c: Buffer) => {
      output += c.toString();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, output).toBe(78);
    expect(output).toContain('Carebook cannot start.');
    expect(output).toContain('PROCESS_ROLE: "api" splits the event consumers between processes');
  }, 60_000);
});

describe.skipIf(!mariadbAvailable())('PROCESS_ROLE: an api process and a worker process on MariaDB', () => {
  let backends: Backends;
  let api: ApiProcess;
  let worker: ApiProcess;
  let patient: AuthResult;
  let listing: Listing;
  let service: string;
  let redis: Redis;

  beforeAll(async () => {
    backends = await startBackends({ LOG_LEVEL: 'error' });
    api = new ApiProcess('api process', { ...(await backends.env('roles-api')), PROCESS_ROLE: 'api' });
    worker = new ApiProcess('worker process', {
      ...(await backends.env('roles-worker')),
      PROCESS_ROLE: 'worker',
    });
    // The worker first: a `once` consumer group starts where the stream is when it is first made.
    await worker.start();
    await api.start();
    redis = new Redis(backends.redis.url);
    const owner = await verifiedOwner(backends, api.url, api.url, 'roles', 'Roles Owner');
    const practice = await publishedPractice(api.url, owner.tokens.accessToken);
    listing = practice.listing;
    service = practice.short;
    patient = await registerAt(api.url, 'patient', 'Roles Patient', backends.around.mail);
  }, 240_000);

  afterAll(async () => {
    redis?.disconnect();
    const codes = await Promise.all([api?.stop(), worker?.stop()]);
    await backends?.stop();
    expect(codes).toEqual([0, 0]);
  }, 60_000);

  const book = async (n: number): Promise<string> => {
    const res = await call(api.url, 'POST', '/api/v1/bookings', {
      token: patient.tokens.accessToken,
      headers: { 'idempotency-key': `roles-${n}` },
      body: {
        providerId: listing.id,
        serviceId: service,
        start: nextWeekdayAt(9, n * 15),
        reasonForVisit: 'Roles test',
        newPatient: true,
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.status).toBe('confirmed');
    return res.body.id as string;
  };
  /** The confirmation e-mails to the patient that name this booking. */
  const confirmationMails = (bookingId: string) =>
    backends.around.mail.filter((m) => m.to.includes(patient.user.email) && mentions(m, bookingId));
  const notified = async (bookingId: string) => {
    const res = await call(api.url, 'GET', '/api/v1/notifications?pageSize=100', {
      token: patient.tokens.accessToken,
    });
    expect(res.status).toBe(200);
    return (res.body.items as { bookingId: string; kind: string }[]).filter(
      (n) => n.bookingId === bookingId && n.kind === 'confirmed',
    ).length;
  };

  it('the worker answers its probes and metrics, and refuses everything else (bookings included)', async () => {
    expect((await fetch(`${worker.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${worker.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${worker.url}/metrics`)).status).toBe(200);
    const refused = await call(worker.url, 'POST', '/api/v1/bookings', {
      token: patient.tokens.accessToken,
      headers: { 'idempotency-key': 'roles-worker' },
      body: {
        providerId: listing.id,
        serviceId: service,
        start: nextWeekdayAt(9, 0),
        reasonForVisit: 'Roles test',
        newPatient: true,
      },
    });
    expect(refused.status).toBe(404);
    expect(refused.body.code).toBe('ROUTE_NOT_FOUND');
    expect(refused.body.detail).toContain('PROCESS_ROLE=worker');
    expect((await call(worker.url, 'GET', `/api/v1/providers/${listing.id}`)).status).toBe(404);
  });

  it('a booking made on the api process gets its e-mail and notification from the worker', async () => {
    const id = await book(1);
    await until('the confirmation e-mail', async () => confirmationMails(id).length > 0);
    await until('the in-app notification', async () => (await notified(id)) === 1);
    expect(confirmationMails(id)).toHaveLength(1);
  });

  it('with the worker stopped the api sends nothing; the worker sends it when it is back', async () => {
    expect(await worker.stop()).toBe(0);
    const id = await book(2);
    // The api published the event (its own broadcast consumers read it) …
    await until(
      'the api process to have read the event',
      async () => (await behind('realtime@roles-api')) === 0,
    );
    // … and the `once` consumers' group still has it waiting: no process of the api role reads it.
    await new Promise((r) => setTimeout(r, 1000));
    expect(await behind('notifications')).toBeGreaterThan(0);
    expect(confirmationMails(id)).toHaveLength(0);
    expect(await notified(id)).toBe(0);

    await worker.start();
    await until('the confirmation e-mail after the restart', async () => confirmationMails(id).length > 0);
    await until('the in-app notification after the restart', async () => (await notified(id)) === 1);
    expect(confirmationMails(id)).toHaveLength(1);
    // Everything the group held is handled and acknowledged (a later event may still be on its way).
    await until('the notifications group to catch up', async () => (await behind('notifications')) === 0);
  });

  /** Entries a consumer group has not been given yet, plus those it holds unacknowledged. */
  async function behind(group: string): Promise<number> {
    let total = 0;
    for (let p = 0; p < 8; p++) {
      const groups = (await redis.call('XINFO', 'GROUPS', `carebook:events:p:${p}`)) as unknown[][];
      const g = groups.map(fields).find((f) => f.name === group);
      if (!g) throw new Error(`no group ${group} on partition ${p}`);
      total += Number(g.lag ?? Number.NaN) + Number(g.pending);
    }
    return total;
  }
});

function fields(flat: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[String(flat[i])] = flat[i + 1];
  return out;
}

function mentions(mail: Mail, text: string): boolean {
  return leaves(parseMime(mail.raw)).some((part) => part.body.toString('utf8').includes(text));
}
