import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { AuthResult, Listing } from '@carebook/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
import type { Surroundings } from './support/processes';
import { until } from './support/processes';
import { serviceInput } from './support/providers';

/**
 * Issue 14's crash tests: two API processes (production profile, MariaDB, their own Redis, S3,
 * SMTP, Stripe's wire format) and one of them killed with SIGKILL at chosen points of the booking
 * path: right after the booking commits, after Stripe created the intent but before the booking
 * knows it, while a slow Stripe is still answering, and after the relay published events but
 * before it recorded that. The crash points are the test-only `CAREBOOK_CRASH_POINT` switch
 * (lib/crash-point.ts); the external kill is a plain SIGKILL. After each crash, the client retries
 * its Idempotency-Key on the other instance, as a load balancer would send it.
 */
const REPO = fileURLToPath(new URL('../../../', import.meta.url));

/** An API process that may die (SIGKILL from outside, or its own crash point) and be started again. */
class Instance {
  private child: ChildProcess | undefined;
  private exit: Promise<void> = Promise.resolve();
  output = '';

  constructor(
    readonly name: string,
    readonly env: Record<string, string>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.env.PORT}`;
  }

  get alive(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(extra: Record<string, string> = {}): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/server.ts'], {
      cwd: REPO,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...this.env, ...extra },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exit = new Promise((resolve) => child.once('exit', () => resolve()));
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    await until(
      `${this.name} to be ready`,
      async () => {
        if (!this.alive) throw new Error(`${this.name} exited:\n${this.output}`);
        return (await fetch(`${this.url}/readyz`)).status === 200;
      },
      90_000,
    );
  }

  /** Resolves when the process is gone (it killed itself at its crash point, or was killed). */
  exited(): Promise<void> {
    return this.exit;
  }

  async kill9(): Promise<void> {
    this.child?.kill('SIGKILL');
    await this.exit;
  }

  async stop(): Promise<void> {
    if (!this.alive) return;
    this.child?.kill('SIGTERM');
    await this.exit;
  }

  /** Stops it and starts it again, with a crash point armed or not. */
  async restart(crashPoint?: string): Promise<void> {
    await this.stop();
    await this.start(crashPoint ? { CAREBOOK_CRASH_POINT: crashPoint } : {});
  }
}

describe.skipIf(!mariadbAvailable())(
  'crash tests: SIGKILL on the booking path, two instances on MariaDB',
  () => {
    let backends: Backends;
    let around: Surroundings;
    let a: Instance;
    let b: Instance;
    let patient: AuthResult;
    let listing: Listing;
    let paid: string;
    let free: string;
    const acknowledged: { key: string; id: string; start: string }[] = [];

    beforeAll(async () => {
      // A crashed instance's claim on a payment step lapses after 3 s (75 s by default).
      backends = await startBackends({ BOOKING_PAYMENT_LEASE_SECONDS: '3', LOG_LEVEL: 'error' });
      around = backends.around;
      a = new Instance('instance A', await backends.env('crash-a'));
      b = new Instance('instance B', await backends.env('crash-b'));
      await Promise.all([a.start(), b.start()]);
      const owner = await verifiedOwner(backends, a.url, b.url, 'crash', 'Crash Owner');
      const practice = await publishedPractice(a.url, owner.tokens.accessToken);
      free = practice.short;
      const added = await call(a.url, 'POST', `/api/v1/providers/${practice.listing.id}/services`, {
        token: owner.tokens.accessToken,
        body: serviceInput({ name: 'Paid consultation', durationMinutes: 30, priceCents: 6000 }),
        headers: { 'if-match': `"${practice.listing.version}"` },
      });
      expect(added.status, JSON.stringify(added.body)).toBe(201);
      paid = added.body.service.id;
      listing = added.body.listing ?? practice.listing;
      patient = await registerAt(b.url, 'patient', 'Crash Patient', around.mail);
    }, 240_000);

    afterAll(async () => {
      await Promise.all([a?.stop(), b?.stop()]);
      await backends?.stop();
    }, 60_000);

    const slot = (n: number) => nextWeekdayAt(9, n * 60);
    const book = (base: string, key: string, start: string, serviceId = paid) =>
      call(base, 'POST', '/api/v1/bookings', {
        token: patient.tokens.accessToken,
        headers: { 'idempotency-key': key },
        body: { providerId: listing.id, serviceId, start, reasonForVisit: 'Crash test', newPatient: true },
      }).catch((err: Error) => ({ status: 0, body: err.message, headers: new Headers() }));

    const outboxEmpty = async () =>
      (
        await backends.db.dbs.bookings.db
          .selectFrom('bookings_outbox')
          .select('id')
          .where('published_at', 'is', null)
          .execute()
      ).length === 0;

    /** The retry a client makes on the surviving instance; the booking must be payable now. */
    async function retryIsPayable(key: string, start: string) {
      const res = await book(b.url, key, start);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body.status).toBe('payment_pending');
      expect(res.body.payment?.intentId).toMatch(/^pi_/);
      // Exactly one intent at Stripe for this booking, created under the booking's own key.
      const intents = around.stripe.intentsFor(res.body.id);
      expect(intents.map((i) => i.id)).toEqual([res.body.payment.intentId]);
      acknowledged.push({ key, id: res.body.id, start });
      return res.body;
    }

    it('killed right after the booking commits: the retry on the other instance creates the payment, once', async () => {
      await a.restart('booking.after-commit');
      const key = `crash-commit-${Date.now()}`;
      const first = await book(a.url, key, slot(0));
      expect(first.status).toBe(0); // the connection died with the process
      await a.exited();
      await retryIsPayable(key, slot(0));
    }, 180_000);

    it('killed after Stripe created the intent, before the booking recorded it: the retry finds the same intent', async () => {
      await a.restart('payment.after-provider');
      const key = `crash-provider-${Date.now()}`;
      const first = await book(a.url, key, slot(1));
      expect(first.status).toBe(0);
      await a.exited();
      const booking = await retryIsPayable(key, slot(1));
      // Stripe was asked twice under one idempotency key and made one intent.
      const asked = around.stripe.requests.filter(
        (r) =>
          r.method === 'POST' &&
          r.path === '/v1/payment_intents' &&
          r.idempotencyKey === `booking:${booking.id}`,
      );
      expect(asked.length).toBeGreaterThanOrEqual(2);
    }, 180_000);

    it('killed while a slow Stripe is still answering: the retry waits out the lease and takes over', async () => {
      await a.restart();
      const key = `crash-slow-${Date.now()}`;
      const before = around.stripe.requests.length;
      around.stripe.delayNext(1, 6_000);
      const first = book(a.url, key, slot(2));
      await until('the payment call to reach Stripe', async () =>
        around.stripe.requests.slice(before).some((r) => r.path === '/v1/payment_intents'),
      );
      await a.kill9();
      expect((await first).status).toBe(0);
      await retryIsPayable(key, slot(2));
      // A Stripe that resets connections: stripe-node retries under the same key; still one intent.
      around.stripe.failNext(1, 'connection_reset');
      await retryIsPayable(`crash-reset-${Date.now()}`, slot(3));
    }, 180_000);

    it('killed after the relay published, before it recorded it: every consumer handles each event once', async () => {
      // Either instance relays any row (B polls every second), so while A is armed B is stopped:
      // else B may publish the booking's events first, and A, never publishing, never crashes.
      // Everything earlier is relayed first, so A does not crash on an older row while starting.
      await until('the outbox to be empty', outboxEmpty);
      await b.stop();
      await a.restart('relay.after-publish');
      const key = `crash-relay-${Date.now()}`;
      const first = await book(a.url, key, slot(4), free);
      await a.exited();
      await b.start();
      // Whether or not the answer got out before the crash, the booking committed: the retry says so.
      const retry = await book(b.url, key, slot(4), free);
      expect(retry.status, JSON.stringify(retry.body)).toBe(201);
      expect(retry.body.status).toBe('confirmed');
      if (first.status === 201) expect(first.body.id).toBe(retry.body.id);
      const id = retry.body.id as string;
      // B re-publishes the rows A published but did not mark; the e-mail consumer sends each mail once.
      const mailsAbout = () =>
        around.mail.filter(
          // Quoted-printable may break the booking link with soft line breaks.
          (m) => m.raw.replace(/=\r\n/g, '').includes(`/bookings/${id}`) && m.to.includes(patient.user.email),
        );
      // If A's consumer had already read the events into its pending list when it died, B takes
      // them over only after the stream's claim-idle time (30 s) and A's partition lease: allow
      // for that, plus a loaded machine.
      await until(
        'the confirmation e-mail',
        async () => mailsAbout().some((m) => /Booking confirmed/.test(m.raw)),
        90_000,
      );
      await until('both instances to have relayed everything', outboxEmpty);
      const ids = mailsAbout().map((m) => /^Message-ID:\s*(\S+)/im.exec(m.raw)?.[1]);
      expect(ids.every(Boolean)).toBe(true);
      expect(new Set(ids).size).toBe(ids.length);
      const inApp = await backends.db.dbs.inventory.db
        .selectFrom('notifications')
        .select(['dedupe_key'])
        .where('booking_id', '=', id)
        .execute();
      expect(new Set(inApp.map((r: { dedupe_key: string }) => r.dedupe_key)).size).toBe(inApp.length);
      expect(inApp.length).toBeGreaterThanOrEqual(2);
    }, 240_000);

    it('after restart: every acknowledged booking is payable, no key is poisoned', async () => {
      await a.restart();
      for (const { key, id, start } of acknowledged) {
        for (const base of [a.url, b.url]) {
          const again = await call(base, 'GET', `/api/v1/bookings/${id}`, {
            token: patient.tokens.accessToken,
          });
          expect(again.body.status).toBe('payment_pending');
          expect(again.body.allowedActions).toContain('pay');
        }
        // The key still answers its booking, on either instance.
        for (const base of [a.url, b.url]) {
          const replay = await book(base, key, start);
          expect(replay.status, JSON.stringify(replay.body)).toBe(201);
          expect(replay.body.id).toBe(id);
        }
      }
      const stuck = await backends.db.dbs.bookings.db
        .selectFrom('bookings')
        .select(['id', 'status', 'payment_intent_id'])
        .where('patient_id', '=', patient.user.id)
        .where('status', '=', 'pending')
        .execute();
      expect(stuck).toEqual([]);
      const starts = await backends.db.dbs.bookings.db
        .selectFrom('payment_starts')
        .select('booking_id')
        .execute();
      expect(starts).toEqual([]);
    }, 120_000);
  },
);
