/**
 * `--split` of the booking benchmark: Carebook as an `api` process (the bench's own, built by
 * setup.ts with PROCESS_ROLE=api) plus a `worker` process (apps/api/src/server.ts with
 * PROCESS_ROLE=worker) on the same database, the two joined by Redis Streams on a redis-server of
 * the bench's own (a free port, no persistence), so nothing it writes meets another user of Redis.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { freePort } from '../../free-port';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
/** The Redis Streams bus's defaults (adapters/event-bus/redis-streams.ts). */
const STREAM_PREFIX = 'carebook:events:';
const PARTITIONS = 8;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, ok: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(50);
  }
}

/** A redis-server of the bench's own. */
export class BenchRedis {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    private readonly client: Redis,
  ) {}

  static async start(): Promise<BenchRedis> {
    const port = await freePort();
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    const url = `redis://127.0.0.1:${port}`;
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    client.on('error', () => {});
    await until(
      `redis-server on ${port}`,
      async () => {
        if (child.exitCode !== null) throw new Error('redis-server exited');
        if (client.status !== 'ready') await client.connect();
        return (await client.ping()) === 'PONG';
      },
      15_000,
    );
    return new BenchRedis(child, url, client);
  }

  /**
   * Over every consumer group (the api's broadcast consumers and the worker's) on every partition
   * stream: entries given and not acknowledged, plus one per group not yet given the stream's last
   * entry. 0 = every consumer has handled everything.
   */
  async behind(): Promise<number> {
    // One round trip per look (the look's CPU is counted with the api process's).
    const pipeline = this.client.pipeline();
    for (let p = 0; p < PARTITIONS; p++) {
      pipeline.call('XINFO', 'STREAM', `${STREAM_PREFIX}p:${p}`);
      pipeline.call('XINFO', 'GROUPS', `${STREAM_PREFIX}p:${p}`);
    }
    const replies = (await pipeline.exec()) ?? [];
    let total = 0;
    for (let p = 0; p < PARTITIONS; p++) {
      const [streamErr, streamReply] = replies[2 * p] ?? [];
      const [, groupsReply] = replies[2 * p + 1] ?? [];
      if (streamErr) continue; // no such stream yet: nothing published to this partition
      const stream = fields(streamReply as unknown[]);
      for (const g of ((groupsReply ?? []) as unknown[][]).map(fields))
        total += Number(g.pending) + (g['last-delivered-id'] === stream['last-generated-id'] ? 0 : 1);
    }
    return total;
  }

  /** Waits (looking every 10 ms) until every consumer group has handled everything in the streams. */
  async drained(timeoutMs = 300_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.behind()) > 0) {
      if (Date.now() > deadline) throw new Error('the consumers did not catch up (a consumer failing?)');
      await pause(10);
    }
  }

  async stop(): Promise<void> {
    this.client.disconnect();
    if (this.child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill('SIGKILL');
    });
  }
}

function fields(flat: unknown[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[String(flat[i])] = flat[i + 1];
  return out;
}

/** The worker process: same database, data directory and keys as the bench's api. */
export class WorkerProcess {
  private output = '';
  private constructor(private readonly child: ChildProcess) {}

  get pid(): number {
    if (this.child.pid === undefined) throw new Error('worker has no pid');
    return this.child.pid;
  }

  static async start(env: Record<string, string>): Promise<WorkerProcess> {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/server.ts'], {
      cwd: REPO,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ...env,
        PROCESS_ROLE: 'worker',
        INSTANCE_ID: 'bench-worker',
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'warn',
        MIGRATE_ON_START: 'false',
        SEED_DEMO_DATA: 'false',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const worker = new WorkerProcess(child);
    child.stderr?.on('data', (c: Buffer) => {
      worker.output = (worker.output + c.toString()).slice(-10_000);
    });
    try {
      await until(
        'the worker to be ready',
        async () => {
          if (child.exitCode !== null) throw new Error(`worker exited (${child.exitCode})`);
          return (await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200;
        },
        120_000,
      );
    } catch (err) {
      child.kill('SIGKILL');
      throw new Error(`${(err as Error).message}\n--- worker stderr ---\n${worker.output}`);
    }
    return worker;
  }

  /** SIGTERM: the worker finishes what it handles and releases its leases. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill('SIGTERM');
    });
  }
}
