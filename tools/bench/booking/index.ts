/**
 * Booking benchmark (issue 15, items 1, 2 and 5):
 *   npm run bench -- booking [--dialect sqlite|mariadb|both] [--seconds 8] [--clients 32]
 *                            [--service free|paid|both] [--push-rate 100] [--cpu-prof DIR] [--split]
 *
 * Per dialect, in one run on one fresh database (setup.ts):
 *   1. the reference booking server (reference-server.ts: JWT, body schema, hours check, one
 *      transaction with booking + claims + outbox row) on the same database handles, bookings/s on
 *      distinct slots; half of its time before Carebook's phase and half after, so drift on a
 *      shared machine lands on both sides;
 *   2. Carebook's POST /api/v1/bookings through real HTTP on distinct slots: bookings/s, the ratio
 *      to the reference (target ≥ 0.5), CPU milliseconds per booking of this process (the API and
 *      its in-process outbox consumers) from the start of the burst until the consumers have caught
 *      up, and that catch-up time after the burst (target ≤ 1 s);
 *   3. commit → WebSocket push: bookings at a fixed rate while a WebSocket client subscribed as
 *      the listing's owner times each booking's first event (target p99 ≤ 100 ms);
 *   4. one hot slot hit by 200 concurrent clients: exactly one 201, the rest 409 SLOT_TAKEN
 *      (asserted), the losers' p50/p99 (target p99 ≤ 100 ms); then the same on the reference.
 * The load generator and the WebSocket client are a child process (client.ts).
 *
 * `--split` (MariaDB only): Carebook runs as PROCESS_ROLE=api (this process) plus a PROCESS_ROLE=worker
 * process, joined by Redis Streams on a redis-server of the bench's own (split.ts). CPU per booking
 * then counts both processes, and the drain lasts until every consumer group (the api's and the
 * worker's) has handled the whole stream.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { DistinctJob, DistinctResult, HotJob, HotResult, PacedJob, PacedResult } from './client';
import { cpuWindow, percentile, profiled } from './measure';
import { referenceServer } from './reference-server';
import { type DialectReport, type HotRow, printReport, type ThroughputRow } from './report';
import { type BenchDialect, buildSystem, type System, slotAt } from './setup';

const CLIENT = fileURLToPath(new URL('./client.ts', import.meta.url));
const HOT_CLIENTS = 200;

const { values: opts } = parseArgs({
  options: {
    dialect: { type: 'string', default: 'both' },
    seconds: { type: 'string', default: '8' },
    clients: { type: 'string', default: '32' },
    service: { type: 'string', default: 'free' },
    'push-rate': { type: 'string', default: '100' },
    /** Writes a V8 CPU profile of the API process during each measured Carebook phase to this directory. */
    'cpu-prof': { type: 'string' },
    /** Carebook as an api process plus a worker process over Redis Streams (split.ts). */
    split: { type: 'boolean', default: false },
  },
});
const dialects: BenchDialect[] =
  opts.dialect === 'both' ? ['sqlite', 'mariadb'] : [opts.dialect as BenchDialect];
const seconds = Number(opts.seconds);
const clients = Number(opts.clients);
const pushRate = Number(opts['push-rate']);
const services = opts.service === 'both' ? (['free', 'paid'] as const) : [opts.service as 'free' | 'paid'];
const split = opts.split === true;
if (
  (split && !dialects.every((d) => d === 'mariadb')) ||
  !dialects.every((d) => d === 'sqlite' || d === 'mariadb') ||
  !(seconds > 0) ||
  !(clients >= 1) ||
  !(pushRate > 0) ||
  !services.every((s) => s === 'free' || s === 'paid')
) {
  console.error(
    'usage: npm run bench -- booking [--dialect sqlite|mariadb|both] [--seconds N] [--clients N] [--service free|paid|both] [--push-rate N] [--cpu-prof DIR] [--split (with --dialect mariadb)]',
  );
  process.exit(2);
}
const warmupSeconds = Math.min(2, Math.max(0.5, seconds / 5));

/** The load generator in its own process, so the API's event loop never runs the client's code. */
class Client {
  private readonly child: ChildProcess;
  constructor() {
    this.child = fork(CLIENT, [], {
      // Node 20's built-in WebSocket client is behind a flag (global on Node 22).
      execArgv: [
        '--import',
        'tsx',
        ...(process.allowedNodeEnvironmentFlags.has('--experimental-websocket') &&
        !('WebSocket' in globalThis)
          ? ['--experimental-websocket']
          : []),
      ],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
  }
  run(job: DistinctJob): Promise<DistinctResult>;
  run(job: HotJob): Promise<HotResult>;
  run(job: PacedJob): Promise<PacedResult>;
  run(job: DistinctJob | HotJob | PacedJob): Promise<DistinctResult | HotResult | PacedResult> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`load generator exited (${code})`));
      this.child.once('exit', onExit);
      this.child.once(
        'message',
        (msg: DistinctResult | HotResult | PacedResult | { kind: 'error'; message: string }) => {
          this.child.off('exit', onExit);
          if (msg.kind === 'error') reject(new Error(msg.message));
          else resolve(msg);
        },
      );
      this.child.send(job);
    });
  }
  close(): void {
    if (this.child.connected) this.child.send({ kind: 'exit' });
  }
}

const statusSummary = (statuses: Record<string, number>) =>
  Object.entries(statuses)
    .filter(([s]) => s !== '201')
    .map(([s, n]) => `${n}×${s}`)
    .join(' ') || 'none';

/**
 * Publishes what the booking outbox holds until it is empty; the in-process bus awaits its
 * consumers, and with --split every consumer group on the streams must have caught up too.
 */
async function drainOutbox(sys: System): Promise<void> {
  while ((await sys.services.bookingsRelay.drain()) > 0) {}
  await sys.split?.redis.drained();
}

async function benchDialect(dialect: BenchDialect): Promise<DialectReport> {
  const ts = performance.now();
  process.stdout.write(
    `[${dialect}] setting up (fresh database, app, listing, ${Math.max(HOT_CLIENTS, clients)} patients)… `,
  );
  const sys = await buildSystem(dialect, Math.max(HOT_CLIENTS, clients), split);
  const workerPid = sys.split?.worker.pid;
  const reference = referenceServer({
    inventory: sys.dbs.inventory.db,
    bookings: sys.dbs.bookings.db,
    jwt: sys.jwt,
  });
  await reference.listen({ host: '127.0.0.1', port: 0 });
  const refAddress = reference.server.address();
  if (!refAddress || typeof refAddress === 'string') throw new Error('reference server: no TCP address');
  const referenceUrl = `http://127.0.0.1:${refAddress.port}`;
  console.log(
    `${((performance.now() - ts) / 1000).toFixed(1)} s; Carebook ${sys.baseUrl}, reference ${referenceUrl}`,
  );
  const client = new Client();
  const mariadb = dialect === 'mariadb';
  try {
    let slotOffset = 0;
    const distinct = async (baseUrl: string, serviceId: string, secs: number) => {
      const r = await client.run({
        kind: 'distinct',
        baseUrl,
        tokens: sys.patients,
        providerId: sys.listingId,
        serviceId,
        firstSlot: sys.firstSlot,
        slotOffset,
        clients,
        seconds: secs,
      });
      slotOffset += r.slotsUsed;
      if (r.firstError) console.log(`[${dialect}]   first error: ${r.firstError}`);
      return r;
    };
    const rows: ThroughputRow[] = [];

    // Warm-ups (JIT, statement caches, pools) of both servers; nothing measured.
    await distinct(referenceUrl, sys.freeServiceId, warmupSeconds);
    for (const service of services)
      await distinct(sys.baseUrl, service === 'free' ? sys.freeServiceId : sys.paidServiceId, warmupSeconds);
    await drainOutbox(sys);

    const referenceHalf = async () => {
      const stop = cpuWindow(mariadb);
      const r = await distinct(referenceUrl, sys.freeServiceId, seconds / 2);
      return { r, cpu: stop() };
    };
    const refA = await referenceHalf();
    console.log(`[${dialect}] reference (1st half): ${((refA.r.ok / refA.r.elapsedMs) * 1000).toFixed(0)}/s`);

    for (const service of services) {
      const serviceId = service === 'free' ? sys.freeServiceId : sys.paidServiceId;
      // CPU from the first request until the consumers have caught up: the whole cost of the burst
      // (with --split, of both processes).
      const stop = cpuWindow(mariadb, workerPid);
      const { r, drainMs } = await profiled(opts['cpu-prof'], `${dialect}-${service}`, async () => {
        const r = await distinct(sys.baseUrl, serviceId, seconds);
        const d0 = performance.now();
        await drainOutbox(sys);
        return { r, drainMs: performance.now() - d0 };
      });
      const cpu = stop();
      rows.push({
        server: `Carebook (${service}${split ? ', api + worker' : ''})`,
        perSecond: (r.ok / r.elapsedMs) * 1000,
        ok: r.ok,
        errors: statusSummary(r.statuses),
        p50: percentile(r.latencies, 50),
        p99: percentile(r.latencies, 99),
        cpuMsPerBooking: (cpu.processMs + (cpu.workerMs ?? 0)) / Math.max(1, r.ok),
        mariadbMsPerBooking: cpu.mariadbMs === null ? null : cpu.mariadbMs / Math.max(1, r.ok),
        drainMs,
      });
      console.log(
        `[${dialect}] Carebook (${service}): ${((r.ok / r.elapsedMs) * 1000).toFixed(0)}/s, errors: ${statusSummary(r.statuses)}, consumers caught up ${drainMs.toFixed(0)} ms after the burst` +
          (cpu.workerMs === null
            ? ''
            : `; CPU per booking: api ${(cpu.processMs / Math.max(1, r.ok)).toFixed(2)} ms + worker ${(cpu.workerMs / Math.max(1, r.ok)).toFixed(2)} ms`),
      );
    }

    const refB = await referenceHalf();
    console.log(`[${dialect}] reference (2nd half): ${((refB.r.ok / refB.r.elapsedMs) * 1000).toFixed(0)}/s`);
    const refOk = refA.r.ok + refB.r.ok;
    const refLat = [...refA.r.latencies, ...refB.r.latencies];
    const refMariadb =
      refA.cpu.mariadbMs !== null && refB.cpu.mariadbMs !== null
        ? refA.cpu.mariadbMs + refB.cpu.mariadbMs
        : null;
    rows.unshift({
      server: 'reference',
      perSecond: (refOk / (refA.r.elapsedMs + refB.r.elapsedMs)) * 1000,
      ok: refOk,
      errors: statusSummary({ ...refA.r.statuses, ...refB.r.statuses }),
      p50: percentile(refLat, 50),
      p99: percentile(refLat, 99),
      cpuMsPerBooking: (refA.cpu.processMs + refB.cpu.processMs) / Math.max(1, refOk),
      mariadbMsPerBooking: refMariadb === null ? null : refMariadb / Math.max(1, refOk),
      drainMs: null,
    });

    // Commit → WebSocket push at a steady rate.
    const push = await client.run({
      kind: 'paced',
      baseUrl: sys.baseUrl,
      tokens: sys.patients,
      ownerToken: sys.ownerToken,
      providerId: sys.listingId,
      serviceId: sys.freeServiceId,
      firstSlot: sys.firstSlot,
      slotOffset,
      rate: pushRate,
      seconds: Math.max(3, seconds / 2),
    });
    slotOffset += push.slotsUsed;
    if (push.firstError) console.log(`[${dialect}]   first error: ${push.firstError}`);
    await drainOutbox(sys);
    console.log(
      `[${dialect}] push at ${pushRate}/s: ${push.ok} booked, ${push.missing} not pushed, commit → push p99 ${percentile(push.commitToPushMs, 99).toFixed(1)} ms`,
    );

    // The hot slot: Carebook, then the reference on another slot for comparison.
    const hotSlot = async (server: string, baseUrl: string, slot: number): Promise<HotRow> => {
      const start = slotAt(sys.firstSlot, slot);
      const { outcomes } = await client.run({
        kind: 'hot',
        baseUrl,
        tokens: sys.patients.slice(0, HOT_CLIENTS),
        providerId: sys.listingId,
        serviceId: sys.freeServiceId,
        start,
      });
      const winners = outcomes.filter((o) => o.status === 201);
      const losers = outcomes.filter((o) => o.status !== 201);
      const other: Record<string, number> = {};
      for (const o of losers) {
        if (o.status === 409 && o.code === 'SLOT_TAKEN') continue;
        const k = `${o.status} ${o.code ?? ''}`.trim();
        other[k] = (other[k] ?? 0) + 1;
      }
      const fiveXx = outcomes.filter((o) => o.status >= 500 || o.status === 0).length;
      const stored = await sys.dbs.bookings.db
        .selectFrom('bookings')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('start_at', '=', start)
        .executeTakeFirstOrThrow();
      if (winners.length !== 1 || fiveXx > 0 || Number(stored.n) !== 1) {
        console.log(
          `[${dialect}] ${server} HOT SLOT ASSERTION FAILED: ${winners.length} winners, ${fiveXx} 5xx, ${stored.n} bookings stored`,
        );
        process.exitCode = 1;
      } else {
        console.log(`[${dialect}] ${server} hot slot: exactly one 201 (asserted; 1 booking stored), no 5xx`);
      }
      const loserMs = losers.map((o) => o.ms);
      return {
        server,
        clients: HOT_CLIENTS,
        winners: winners.length,
        slotTaken: losers.length - Object.values(other).reduce((x, y) => x + y, 0),
        other,
        fiveXx,
        loserP50: percentile(loserMs, 50),
        loserP99: percentile(loserMs, 99),
        winnerMs: winners[0]?.ms ?? Number.NaN,
      };
    };
    const hot = [
      await profiled(opts['cpu-prof'], `${dialect}-hot`, () =>
        hotSlot('Carebook', sys.baseUrl, slotOffset + 1),
      ),
      await hotSlot('reference', referenceUrl, slotOffset + 3),
    ];
    await drainOutbox(sys);
    return {
      dialect,
      rows,
      push: {
        rate: pushRate,
        ok: push.ok,
        missing: push.missing,
        errors: statusSummary(push.statuses),
        commitP50: percentile(push.commitToPushMs, 50),
        commitP99: percentile(push.commitToPushMs, 99),
        answerP50: percentile(push.answerToPushMs, 50),
        answerP99: percentile(push.answerToPushMs, 99),
      },
      hot,
    };
  } finally {
    client.close();
    await reference.close();
    await sys.teardown();
  }
}

async function main(): Promise<void> {
  console.log(
    `booking bench: ${dialects.join(' + ')}${split ? ' (split: api + worker processes, Redis Streams)' : ''}, ${clients} concurrent clients, ${seconds} s per measured phase ` +
      `(+${warmupSeconds} s warm-up), push at ${pushRate}/s, hot slot ${HOT_CLIENTS} clients; node ${process.version}`,
  );
  const reports: DialectReport[] = [];
  for (const d of dialects) reports.push(await benchDialect(d));
  printReport(reports, split);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
