/**
 * The load generator, run as a child process of index.ts (forked with an IPC channel) so the API's
 * event loop never shares a thread with the client that measures it. It speaks real HTTP through
 * Node's built-in fetch (undici), whose global dispatcher keeps connections alive.
 */
import { randomUUID } from 'node:crypto';

export interface DistinctJob {
  kind: 'distinct';
  baseUrl: string;
  tokens: string[];
  providerId: string;
  serviceId: string;
  firstSlot: number;
  /** Slot index to start from; every request takes the next one. */
  slotOffset: number;
  clients: number;
  seconds: number;
}

export interface HotJob {
  kind: 'hot';
  baseUrl: string;
  tokens: string[];
  providerId: string;
  serviceId: string;
  start: string;
}

export interface Outcome {
  status: number;
  code: string | null;
  ms: number;
}

export interface DistinctResult {
  kind: 'distinct';
  /** Completed requests by status. */
  statuses: Record<string, number>;
  ok: number;
  elapsedMs: number;
  latencies: number[];
  slotsUsed: number;
  firstError: string | null;
}

export interface HotResult {
  kind: 'hot';
  outcomes: Outcome[];
}

const SLOT_MS = 5 * 60_000;

async function book(
  baseUrl: string,
  token: string,
  providerId: string,
  serviceId: string,
  start: string,
): Promise<{ outcome: Outcome; body: string }> {
  const t0 = performance.now();
  const res = await fetch(`${baseUrl}/api/v1/bookings`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'idempotency-key': randomUUID(),
    },
    body: JSON.stringify({ providerId, serviceId, start, reasonForVisit: 'Benchmark', newPatient: true }),
  });
  const body = await res.text();
  const ms = performance.now() - t0;
  let code: string | null = null;
  if (res.status >= 400) {
    try {
      code = (JSON.parse(body) as { code?: string }).code ?? null;
    } catch {
      code = null;
    }
  }
  return { outcome: { status: res.status, code, ms }, body };
}

async function distinct(job: DistinctJob): Promise<DistinctResult> {
  let next = job.slotOffset;
  let requestNo = 0;
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  let firstError: string | null = null;
  const t0 = performance.now();
  const deadline = t0 + job.seconds * 1000;
  const worker = async () => {
    while (performance.now() < deadline) {
      const slot = next++;
      const token = job.tokens[requestNo++ % job.tokens.length] as string;
      const start = new Date(job.firstSlot + slot * SLOT_MS).toISOString();
      try {
        const { outcome, body } = await book(job.baseUrl, token, job.providerId, job.serviceId, start);
        statuses[outcome.status] = (statuses[outcome.status] ?? 0) + 1;
        latencies.push(outcome.ms);
        if (outcome.status !== 201 && !firstError) firstError = `${outcome.status} ${body.slice(0, 300)}`;
      } catch (err) {
        statuses.network = (statuses.network ?? 0) + 1;
        if (!firstError) firstError = String(err);
      }
    }
  };
  await Promise.all(Array.from({ length: job.clients }, worker));
  const elapsedMs = performance.now() - t0;
  return {
    kind: 'distinct',
    statuses,
    ok: statuses['201'] ?? 0,
    elapsedMs,
    latencies,
    slotsUsed: next - job.slotOffset,
    firstError,
  };
}

async function hot(job: HotJob): Promise<HotResult> {
  // Open every connection first (a cheap authenticated GET each), so the 200 bookings race each
  // other rather than the TCP handshakes.
  await Promise.all(
    job.tokens.map((t) =>
      fetch(`${job.baseUrl}/api/v1/bookings?pageSize=1`, { headers: { authorization: `Bearer ${t}` } }).then(
        (r) => r.arrayBuffer(),
      ),
    ),
  );
  const outcomes = await Promise.all(
    job.tokens.map((t) =>
      book(job.baseUrl, t, job.providerId, job.serviceId, job.start).then(
        (r) => r.outcome,
        (err: unknown) => ({ status: 0, code: String(err), ms: 0 }),
      ),
    ),
  );
  return { kind: 'hot', outcomes };
}

process.on('message', (job: DistinctJob | HotJob | { kind: 'exit' }) => {
  if (job.kind === 'exit') {
    process.exit(0);
  }
  const run = job.kind === 'distinct' ? distinct(job) : hot(job);
  run.then(
    (result) => process.send?.(result),
    (err: unknown) => process.send?.({ kind: 'error', message: String(err) }),
  );
});
