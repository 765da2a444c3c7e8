/** The booking benchmark's tables and verdicts (MET/MISSED against issue 15's targets). */
import type { BenchDialect } from './setup';

const TARGET_RATIO = 0.5;
const TARGET_DRAIN_MS = 1000;
const TARGET_HOT_P99_MS = 100;
const TARGET_PUSH_P99_MS = 100;

export interface ThroughputRow {
  server: string;
  perSecond: number;
  ok: number;
  errors: string;
  p50: number;
  p99: number;
  /**
   * CPU per booking of the process (API + in-process consumers, or the reference server); with
   * --split, of the api process and the worker process together.
   */
  cpuMsPerBooking: number;
  mariadbMsPerBooking: number | null;
  /** How long the consumers needed after the burst to catch up (null for the reference). */
  drainMs: number | null;
}

export interface DialectReport {
  dialect: BenchDialect;
  /** The reference first, then Carebook per service. */
  rows: ThroughputRow[];
  push: {
    rate: number;
    ok: number;
    missing: number;
    errors: string;
    commitP50: number;
    commitP99: number;
    answerP50: number;
    answerP99: number;
  };
  /** Carebook, then the reference. */
  hot: HotRow[];
}

export interface HotRow {
  server: string;
  clients: number;
  winners: number;
  slotTaken: number;
  other: Record<string, number>;
  fiveXx: number;
  loserP50: number;
  loserP99: number;
  winnerMs: number;
}

const ms = (x: number) => (Number.isNaN(x) ? '—' : `${x.toFixed(1)} ms`);
const verdict = (ok: boolean) => (ok ? 'MET' : 'MISSED');

function table(rows: string[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  const line = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  const [head, ...body] = rows;
  return [line(head ?? []), widths.map((w) => '─'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

export function printReport(reports: DialectReport[], split = false): void {
  console.log('\nThroughput on distinct slots (CPU per booking: burst + consumers catching up)\n');
  const rows: string[][] = [
    [
      'dialect',
      'server',
      'bookings/s',
      'ok',
      'errors',
      'p50',
      'p99',
      'CPU/booking',
      'mariadb CPU/booking',
      'consumers drain',
      'ratio',
      `ratio ≥ ${TARGET_RATIO}`,
      'drain ≤ 1 s',
    ],
  ];
  for (const r of reports) {
    const reference = r.rows[0];
    for (const h of r.rows) {
      const isReference = h === reference;
      const ratio = reference ? h.perSecond / reference.perSecond : Number.NaN;
      rows.push([
        r.dialect,
        h.server,
        h.perSecond.toFixed(0),
        String(h.ok),
        h.errors,
        ms(h.p50),
        ms(h.p99),
        ms(h.cpuMsPerBooking),
        h.mariadbMsPerBooking === null ? '—' : ms(h.mariadbMsPerBooking),
        h.drainMs === null ? '' : `${(h.drainMs / 1000).toFixed(2)} s`,
        isReference ? '1' : ratio.toFixed(2),
        isReference ? '' : verdict(ratio >= TARGET_RATIO),
        h.drainMs === null ? '' : verdict(h.drainMs <= TARGET_DRAIN_MS),
      ]);
    }
  }
  console.log(table(rows));

  console.log('\nCommit → WebSocket push (a client subscribed as the listing owner)\n');
  const pushRows: string[][] = [
    [
      'dialect',
      'rate',
      'booked',
      'errors',
      'not pushed',
      'p50',
      'p99',
      `p99 ≤ ${TARGET_PUSH_P99_MS} ms`,
      'answer → push p50/p99',
    ],
  ];
  for (const r of reports) {
    const p = r.push;
    pushRows.push([
      r.dialect,
      `${p.rate}/s`,
      String(p.ok),
      p.errors,
      String(p.missing),
      ms(p.commitP50),
      ms(p.commitP99),
      verdict(p.missing === 0 && p.commitP99 <= TARGET_PUSH_P99_MS),
      `${ms(p.answerP50)} / ${ms(p.answerP99)}`,
    ]);
  }
  console.log(table(pushRows));

  console.log('\nHot slot (one slot, all clients at once)\n');
  const hotRows: string[][] = [
    [
      'dialect',
      'server',
      'clients',
      '201',
      '409 SLOT_TAKEN',
      'other',
      '5xx',
      'winner',
      'losers p50',
      'losers p99',
      `p99 ≤ ${TARGET_HOT_P99_MS} ms`,
      'one winner',
    ],
  ];
  for (const r of reports) {
    for (const h of r.hot) {
      const ok = h.winners === 1 && h.fiveXx === 0 && h.slotTaken === h.clients - 1;
      hotRows.push([
        r.dialect,
        h.server,
        String(h.clients),
        String(h.winners),
        String(h.slotTaken),
        Object.entries(h.other)
          .map(([k, n]) => `${n}×${k}`)
          .join(' ') || 'none',
        String(h.fiveXx),
        ms(h.winnerMs),
        ms(h.loserP50),
        ms(h.loserP99),
        h.server === 'reference' ? '' : verdict(h.loserP99 <= TARGET_HOT_P99_MS),
        ok ? 'OK' : 'FAILED',
      ]);
    }
  }
  console.log(table(hotRows));
  console.log(
    '\nratio = Carebook bookings/s ÷ the reference booking server’s (reference-server.ts), same database, same run.' +
      '\nCPU/booking = CPU of the API process (its in-process consumers included) from the burst’s first request until' +
      '\nthe consumers caught up, ÷ bookings. consumers drain = time after the burst until the booking outbox was' +
      '\nempty and every consumer had handled it. commit → push = WebSocket arrival − the booking’s updatedAt' +
      '\n(stamped in its transaction, same machine clock); answer → push = arrival − the 201 reaching the client.',
  );
  if (split)
    console.log(
      '--split: Carebook = an api process (PROCESS_ROLE=api, the bench’s own) + a worker process (PROCESS_ROLE=worker)' +
        '\nover Redis Streams; CPU/booking counts both, and the drain lasts until every consumer group on the streams' +
        '\n(the api’s broadcast ones and the worker’s) had handled everything. The reference rows are unchanged.',
    );
}
