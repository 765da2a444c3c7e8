/**
 * Booking benchmark (issue 4, item 10):
 *   npm run bench -- booking [--dialect sqlite|mariadb|both] [--seconds 8] [--clients 32]
 *                            [--service free|paid|both]
 *
 * Per dialect, in one run on one fresh database:
 *   1. raw single-row insert transactions per second (Kysely, the app's own database handle);
 *   2. bookings per second through real HTTP on distinct slots (N concurrent clients, patients
 *      round-robin so no per-user state serialises), then the ratio of the two (target ≥ 0.5);
 *   3. one hot slot hit by 200 concurrent clients: exactly one 201, the rest 409 SLOT_TAKEN.
 * The raw baseline runs half before and half after the HTTP phases, so drift on a shared machine
 * lands on both sides. The load generator is a child process (see client.ts).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { DistinctJob, DistinctResult, HotJob, HotResult } from './client';
import { type BenchDialect, buildSystem, type System, slotAt } from './setup';

const CLIENT = fileURLToPath(new URL('./client.ts', import.meta.url));
const HOT_CLIENTS = 200;
const TARGET = 0.5;

const { values: opts } = parseArgs({
  options: {
    dialect: { type: 'string', default: 'both' },
    seconds: { type: 'string', default: '8' },
    clients: { type: 'string', default: '32' },
    service: { type: 'string', default: 'free' },
    /** Writes a V8 CPU profile of the API process during each measured HTTP phase to this directory. */
    'cpu-prof': { type: 'string' },
  },
});
const dialects: BenchDialect[] =
  opts.dialect === 'both' ? ['sqlite', 'mariadb'] : [opts.dialect as BenchDialect];
const seconds = Number(opts.seconds);
const clients = Number(opts.clients);
const services = opts.service === 'both' ? (['free', 'paid'] as const) : [opts.service as 'free' | 'paid'];
if (
  !dialects.every((d) => d === 'sqlite' || d === 'mariadb') ||
  !(seconds > 0) ||
  !(clients >= 1) ||
  !services.every((s) => s === 'free' || s === 'paid')
) {
  console.error(
    'usage: npm run bench -- booking [--dialect sqlite|mariadb|both] [--seconds N] [--clients N] [--service free|paid|both]',
  );
  process.exit(2);
}
const warmupSeconds = Math.min(2, Math.max(0.5, seconds / 5));

// ---------------------------------------------------------------------------------------------
// measurement helpers

export const percentile = (xs: number[], p: number): number => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] as number;
};

/** CPU seconds of the MariaDB server, read from /proc (null when it is not a local process). */
function mariadbCpuSeconds(): number | null {
  try {
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let comm = '';
      try {
        comm = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      } catch {
        continue;
      }
      if (comm !== 'mariadbd' && comm !== 'mysqld') continue;
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in USER_HZ ticks
    }
  } catch {
    // not Linux, or not allowed to look
  }
  return null;
}

interface Cpu {
  /** This process (the API server, or the raw-insert loop), % of one core. */
  server: number;
  /** The MariaDB server, % of one core (null on SQLite or when unreadable). */
  mariadb: number | null;
}

async function withCpu<T>(
  dialect: BenchDialect,
  work: () => Promise<T>,
): Promise<{ result: T; cpu: Cpu; ms: number }> {
  const c0 = process.cpuUsage();
  const m0 = dialect === 'mariadb' ? mariadbCpuSeconds() : null;
  const t0 = performance.now();
  const result = await work();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  const m1 = dialect === 'mariadb' ? mariadbCpuSeconds() : null;
  return {
    result,
    ms,
    cpu: {
      server: ((c.user + c.system) / 1000 / ms) * 100,
      mariadb: m0 !== null && m1 !== null ? ((m1 - m0) * 1000 * 100) / ms : null,
    },
  };
}

/** Runs work under the V8 profiler when --cpu-prof DIR is given (the API process only). */
async function profiled<T>(label: string, work: () => Promise<T>): Promise<T> {
  const dir = opts['cpu-prof'];
  if (!dir) return work();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    const file = `${dir}/booking-${label}-${Date.now()}.cpuprofile`;
    writeFileSync(file, JSON.stringify(profile));
    console.log(`[profile] ${file}`);
    session.disconnect();
  }
}

// ---------------------------------------------------------------------------------------------
// raw baseline

interface RawResult {
  count: number;
  ms: number;
  latencies: number[];
}

async function rawInserts(sys: System, concurrency: number, secs: number): Promise<RawResult> {
  const db = sys.dbs.bookings.db.withTables<{ bench_raw: { id: string; v: number } }>();
  let n = 0;
  const latencies: number[] = [];
  const t0 = performance.now();
  const deadline = t0 + secs * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const v = n++;
      const s = performance.now();
      await db
        .transaction()
        .execute((trx) => trx.insertInto('bench_raw').values({ id: randomUUID(), v }).execute());
      latencies.push(performance.now() - s);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { count: latencies.length, ms: performance.now() - t0, latencies };
}

// ---------------------------------------------------------------------------------------------
// the child load generator

class Client {
  private readonly child: ChildProcess;
  constructor() {
    this.child = fork(CLIENT, [], {
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
  }
  run(job: DistinctJob): Promise<DistinctResult>;
  run(job: HotJob): Promise<HotResult>;
  run(job: DistinctJob | HotJob): Promise<DistinctResult | HotResult> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`load generator exited (${code})`));
      this.child.once('exit', onExit);
      this.child.once('message', (msg: DistinctResult | HotResult | { kind: 'error'; message: string }) => {
        this.child.off('exit', onExit);
        if (msg.kind === 'error') reject(new Error(msg.message));
        else resolve(msg);
      });
      this.child.send(job);
    });
  }
  close(): void {
    if (this.child.connected) this.child.send({ kind: 'exit' });
  }
}

// ---------------------------------------------------------------------------------------------
// one dialect

interface HttpRow {
  service: 'free' | 'paid';
  perSecond: number;
  ok: number;
  errors: string;
  p50: number;
  p99: number;
  cpu: Cpu;
  drainMs: number;
  firstError: string | null;
}

interface DialectReport {
  dialect: BenchDialect;
  raw: { perSecond: number; count: number; p50: number; p99: number; cpu: Cpu };
  http: HttpRow[];
  hot: {
    winners: number;
    slotTaken: number;
    other: Record<string, number>;
    fiveXx: number;
    loserP50: number;
    loserP99: number;
    winnerMs: number;
  };
  setupMs: number;
}

async function benchDialect(dialect: BenchDialect): Promise<DialectReport> {
  const ts = performance.now();
  process.stdout.write(
    `[${dialect}] setting up (fresh database, app, listing, ${Math.max(HOT_CLIENTS, clients)} patients)… `,
  );
  const sys = await buildSystem(dialect, Math.max(HOT_CLIENTS, clients));
  const setupMs = performance.now() - ts;
  console.log(`${(setupMs / 1000).toFixed(1)} s, listening on ${sys.baseUrl}`);
  const client = new Client();
  try {
    await sys.dbs.bookings.db.schema
      .createTable('bench_raw')
      .addColumn('id', 'char(36)', (c) => c.primaryKey())
      .addColumn('v', 'integer', (c) => c.notNull())
      .execute();

    // raw, first half (after a warm-up)
    await rawInserts(sys, clients, warmupSeconds);
    const rawA = await withCpu(dialect, () => rawInserts(sys, clients, seconds / 2));
    console.log(`[${dialect}] raw inserts (1st half): ${fmtRate(rawA.result.count, rawA.result.ms)}/s`);

    let slotOffset = 0;
    const job = (serviceId: string, secs: number, n = clients): DistinctJob => ({
      kind: 'distinct',
      baseUrl: sys.baseUrl,
      tokens: sys.patients,
      providerId: sys.listingId,
      serviceId,
      firstSlot: sys.firstSlot,
      slotOffset,
      clients: n,
      seconds: secs,
    });
    const http: HttpRow[] = [];
    for (const service of services) {
      const serviceId = service === 'free' ? sys.freeServiceId : sys.paidServiceId;
      const warm = await client.run(job(serviceId, warmupSeconds));
      slotOffset += warm.slotsUsed;
      await sys.services.bookingsRelay.drain();
      const measured = await withCpu(dialect, () =>
        profiled(`${dialect}-${service}`, () => client.run(job(serviceId, seconds))),
      );
      const r = measured.result;
      slotOffset += r.slotsUsed;
      // The outbox consumers (notifications, e-mails, realtime) run behind the requests: time the
      // backlog they leave, so the next phase starts clean and the cost is visible.
      const d0 = performance.now();
      while ((await sys.services.bookingsRelay.drain()) > 0) {}
      const drainMs = performance.now() - d0;
      const errors = Object.entries(r.statuses)
        .filter(([s]) => s !== '201')
        .map(([s, n]) => `${n}×${s}`)
        .join(' ');
      http.push({
        service,
        perSecond: (r.ok / r.elapsedMs) * 1000,
        ok: r.ok,
        errors: errors || 'none',
        p50: percentile(r.latencies, 50),
        p99: percentile(r.latencies, 99),
        cpu: measured.cpu,
        drainMs,
        firstError: r.firstError,
      });
      console.log(
        `[${dialect}] HTTP bookings (${service}): ${fmtRate(r.ok, r.elapsedMs)}/s, errors: ${errors || 'none'}, outbox drain ${drainMs.toFixed(0)} ms`,
      );
      if (r.firstError) console.log(`[${dialect}]   first error: ${r.firstError}`);
    }

    // raw, second half
    const rawB = await withCpu(dialect, () => rawInserts(sys, clients, seconds / 2));
    console.log(`[${dialect}] raw inserts (2nd half): ${fmtRate(rawB.result.count, rawB.result.ms)}/s`);

    // the hot slot
    const start = slotAt(sys.firstSlot, slotOffset + 1);
    const hot = await client.run({
      kind: 'hot',
      baseUrl: sys.baseUrl,
      tokens: sys.patients.slice(0, HOT_CLIENTS),
      providerId: sys.listingId,
      serviceId: sys.freeServiceId,
      start,
    });
    const winners = hot.outcomes.filter((o) => o.status === 201);
    const losers = hot.outcomes.filter((o) => o.status !== 201);
    const slotTaken = losers.filter((o) => o.status === 409 && o.code === 'SLOT_TAKEN');
    const other: Record<string, number> = {};
    for (const o of losers) {
      if (o.status === 409 && o.code === 'SLOT_TAKEN') continue;
      const k = `${o.status} ${o.code ?? ''}`.trim();
      other[k] = (other[k] ?? 0) + 1;
    }
    const fiveXx = hot.outcomes.filter((o) => o.status >= 500 || o.status === 0).length;
    const claims = await sys.dbs.bookings.db
      .selectFrom('bookings')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('start_at', '=', start)
      .executeTakeFirstOrThrow();
    if (winners.length !== 1 || fiveXx > 0 || Number(claims.n) !== 1) {
      console.log(
        `[${dialect}] HOT SLOT ASSERTION FAILED: ${winners.length} winners, ${fiveXx} 5xx, ${claims.n} bookings stored`,
      );
      process.exitCode = 1;
    } else {
      console.log(
        `[${dialect}] hot slot: exactly one 201 (asserted; 1 booking stored), ${slotTaken.length} × 409 SLOT_TAKEN, no 5xx`,
      );
    }
    const rawCount = rawA.result.count + rawB.result.count;
    const rawMs = rawA.result.ms + rawB.result.ms;
    const rawLat = [...rawA.result.latencies, ...rawB.result.latencies];
    return {
      dialect,
      setupMs,
      raw: {
        perSecond: (rawCount / rawMs) * 1000,
        count: rawCount,
        p50: percentile(rawLat, 50),
        p99: percentile(rawLat, 99),
        cpu: {
          server: (rawA.cpu.server + rawB.cpu.server) / 2,
          mariadb:
            rawA.cpu.mariadb !== null && rawB.cpu.mariadb !== null
              ? (rawA.cpu.mariadb + rawB.cpu.mariadb) / 2
              : null,
        },
      },
      http,
      hot: {
        winners: winners.length,
        slotTaken: slotTaken.length,
        other,
        fiveXx,
        loserP50: percentile(
          losers.map((o) => o.ms),
          50,
        ),
        loserP99: percentile(
          losers.map((o) => o.ms),
          99,
        ),
        winnerMs: winners[0]?.ms ?? Number.NaN,
      },
    };
  } finally {
    client.close();
    await sys.teardown();
  }
}

// ---------------------------------------------------------------------------------------------
// report

const fmtRate = (n: number, ms: number) => ((n / ms) * 1000).toFixed(0);
const ms = (x: number) => (Number.isNaN(x) ? '—' : `${x.toFixed(1)} ms`);
const pct = (x: number | null) => (x === null ? '—' : `${x.toFixed(0)}%`);

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  const line = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  const [head, ...body] = rows;
  return [line(head ?? []), widths.map((w) => '─'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

async function main(): Promise<void> {
  console.log(
    `booking bench: ${dialects.join(' + ')}, ${clients} concurrent clients, ${seconds} s per measured phase ` +
      `(+${warmupSeconds} s warm-up), hot slot ${HOT_CLIENTS} clients; node ${process.version}`,
  );
  const reports: DialectReport[] = [];
  for (const d of dialects) reports.push(await benchDialect(d));

  console.log('\nThroughput (distinct slots; CPU = % of one core during the phase)\n');
  const rows: string[][] = [
    [
      'dialect',
      'phase',
      'ops/s',
      'ok',
      'errors',
      'p50',
      'p99',
      'api CPU',
      'mariadb CPU',
      'outbox drain',
      'ratio',
      'target',
    ],
  ];
  for (const r of reports) {
    rows.push([
      r.dialect,
      'raw insert txn',
      r.raw.perSecond.toFixed(0),
      String(r.raw.count),
      '',
      ms(r.raw.p50),
      ms(r.raw.p99),
      pct(r.raw.cpu.server),
      pct(r.raw.cpu.mariadb),
      '',
      '',
      '',
    ]);
    for (const h of r.http) {
      const ratio = h.perSecond / r.raw.perSecond;
      rows.push([
        r.dialect,
        `HTTP booking (${h.service})`,
        h.perSecond.toFixed(0),
        String(h.ok),
        h.errors,
        ms(h.p50),
        ms(h.p99),
        pct(h.cpu.server),
        pct(h.cpu.mariadb),
        `${(h.drainMs / 1000).toFixed(1)} s`,
        ratio.toFixed(3),
        `≥ ${TARGET} ${ratio >= TARGET ? 'MET' : 'MISSED'}`,
      ]);
    }
  }
  console.log(table(rows));

  console.log(`\nHot slot (${HOT_CLIENTS} concurrent clients, one slot)\n`);
  const hotRows: string[][] = [
    ['dialect', '201', '409 SLOT_TAKEN', 'other', '5xx', 'winner', 'losers p50', 'losers p99', 'verdict'],
  ];
  for (const r of reports) {
    const ok = r.hot.winners === 1 && r.hot.fiveXx === 0 && r.hot.slotTaken === HOT_CLIENTS - 1;
    hotRows.push([
      r.dialect,
      String(r.hot.winners),
      String(r.hot.slotTaken),
      Object.entries(r.hot.other)
        .map(([k, n]) => `${n}×${k}`)
        .join(' ') || 'none',
      String(r.hot.fiveXx),
      ms(r.hot.winnerMs),
      ms(r.hot.loserP50),
      ms(r.hot.loserP99),
      ok ? 'OK' : 'FAILED',
    ]);
  }
  console.log(table(hotRows));
  console.log(
    '\nratio = HTTP bookings/s ÷ raw single-row insert transactions/s on the same database handle, same run.' +
      '\noutbox drain = time the booking outbox consumers needed after the phase to catch up (not in ops/s).',
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
