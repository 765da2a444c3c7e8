/**
 * The load generator, run as a child process of index.ts (forked with an IPC channel) so the API's
 * event loop never shares a thread with the client that measures it. It speaks real HTTP through
 * Node's built-in fetch (undici), whose global dispatcher keeps connections alive, and WebSocket
 * through Node's built-in client (undici; behind --experimental-websocket on Node 20).
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

/**
 * Bookings at a fixed rate (open loop: one every 1000/rate ms, whether or not earlier ones have
 * answered) while a WebSocket client subscribed as the listing's owner records when each booking's
 * first event arrives.
 */
export interface PacedJob {
  kind: 'paced';
  baseUrl: string;
  tokens: string[];
  ownerToken: string;
  providerId: string;
  serviceId: string;
  firstSlot: number;
  slotOffset: number;
  rate: number;
  seconds: number;
}

export interface PacedResult {
  kind: 'paced';
  ok: number;
  statuses: Record<string, number>;
  /** Per pushed booking: WebSocket arrival − the booking's `updatedAt` (stamped in its transaction). */
  commitToPushMs: number[];
  /** Per pushed booking: WebSocket arrival − arrival of the 201 answer (negative: the push came first). */
  answerToPushMs: number[];
  /** Booked (201) but never pushed within 5 s after the last answer. */
  missing: number;
  slotsUsed: number;
  firstError: string | null;
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

/** The part of the WHATWG WebSocket this client uses (Node's global, undici). */
interface Socket {
  send(data: string): void;
  close(): void;
  addEventListener(type: 'open' | 'error', listener: () => void): void;
  addEventListener(type: 'message', listener: (e: { data: unknown }) => void): void;
}
const WebSocketClient = (globalThis as unknown as { WebSocket?: new (url: string) => Socket }).WebSocket;

function subscribe(baseUrl: string, token: string, arrivals: Map<string, number>): Promise<Socket> {
  return new Promise((resolve, reject) => {
    if (!WebSocketClient) throw new Error('no WebSocket client (Node 20 needs --experimental-websocket)');
    const ws = new WebSocketClient(`${baseUrl.replace(/^http/, 'ws')}/api/v1/ws`);
    ws.addEventListener('open', () => ws.send(JSON.stringify({ type: 'auth', token })));
    ws.addEventListener('error', () => reject(new Error('websocket: connection failed')));
    ws.addEventListener('message', (e) => {
      const at = Date.now();
      const text = String(e.data);
      const msg = JSON.parse(text) as { type: string; bookingId?: string };
      if (msg.type === 'ready') resolve(ws);
      else if (msg.type === 'error') reject(new Error(`websocket: ${text}`));
      else if (msg.bookingId && !arrivals.has(msg.bookingId)) arrivals.set(msg.bookingId, at);
    });
  });
}

async function paced(job: PacedJob): Promise<PacedResult> {
  const arrivals = new Map<string, number>();
  const ws = await subscribe(job.baseUrl, job.ownerToken, arrivals);
  const answers: { id: string; updatedAt: number; at: number }[] = [];
  const statuses: Record<string, number> = {};
  let firstError: string | null = null;
  const total = Math.round(job.rate * job.seconds);
  const t0 = performance.now();
  const requests: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / job.rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const start = new Date(job.firstSlot + (job.slotOffset + i) * SLOT_MS).toISOString();
    const token = job.tokens[i % job.tokens.length] as string;
    requests.push(
      book(job.baseUrl, token, job.providerId, job.serviceId, start).then(
        ({ outcome, body }) => {
          statuses[outcome.status] = (statuses[outcome.status] ?? 0) + 1;
          if (outcome.status === 201) {
            const b = JSON.parse(body) as { id: string; updatedAt: string };
            answers.push({ id: b.id, updatedAt: Date.parse(b.updatedAt), at: Date.now() });
          } else if (!firstError) firstError = `${outcome.status} ${body.slice(0, 300)}`;
        },
        (err: unknown) => {
          statuses.network = (statuses.network ?? 0) + 1;
          if (!firstError) firstError = String(err);
        },
      ),
    );
  }
  await Promise.all(requests);
  const waitUntil = Date.now() + 5000;
  while (answers.some((a) => !arrivals.has(a.id)) && Date.now() < waitUntil)
    await new Promise((r) => setTimeout(r, 20));
  ws.close();
  const pushed = answers.filter((a) => arrivals.has(a.id));
  return {
    kind: 'paced',
    ok: answers.length,
    statuses,
    commitToPushMs: pushed.map((a) => (arrivals.get(a.id) as number) - a.updatedAt),
    answerToPushMs: pushed.map((a) => (arrivals.get(a.id) as number) - a.at),
    missing: answers.length - pushed.length,
    slotsUsed: total,
    firstError,
  };
}

process.on('message', (job: DistinctJob | HotJob | PacedJob | { kind: 'exit' }) => {
  if (job.kind === 'exit') {
    process.exit(0);
  }
  const run = job.kind === 'distinct' ? distinct(job) : job.kind === 'hot' ? hot(job) : paced(job);
  run.then(
    (result) => process.send?.(result),
    (err: unknown) => process.send?.({ kind: 'error', message: String(err) }),
  );
});
