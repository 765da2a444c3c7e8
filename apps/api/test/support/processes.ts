import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import S3rver from 's3rver';
import { SMTPServer } from 'smtp-server';
import { freePort } from '../../../../tools/free-port';
import { FakeStripeServer } from '../../../../tools/stand-ins/fake-stripe-server';

/**
 * Test support for whole-process tests: real API processes (`apps/api/src/server.ts`) in the
 * production profile, on MariaDB and a Redis server of their own, with S3 (s3rver), SMTP
 * (smtp-server) and Stripe's wire format (the fake Stripe server) beside them.
 */
export const REPO = fileURLToPath(new URL('../../../../', import.meta.url));

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `ok` until it holds or `timeoutMs` passes (then throws `what`). Never a timing assertion. */
export async function until(what: string, ok: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await ok().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(50);
  }
}

/** A redis-server of this test's own, so it can be stopped and started without touching others. */
export class RedisServer {
  private child: ChildProcess | undefined;
  private constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<RedisServer> {
    const server = new RedisServer(await freePort());
    await server.resume();
    return server;
  }

  /** (Re)starts the server on the same port, empty (no persistence), and waits until it answers. */
  async resume(): Promise<void> {
    this.child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    await until(`redis-server on ${this.port}`, async () => {
      const client = new Redis(this.url, {
        lazyConnect: true,
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
      });
      client.on('error', () => {});
      try {
        await client.connect();
        return (await client.ping()) === 'PONG';
      } finally {
        client.disconnect();
      }
    });
  }

  /** Kills the server (as an outage would) and waits for it to be gone. */
  async halt(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }
}

export interface Mail {
  to: string[];
  raw: string;
}

/** The engines around the API processes: S3, SMTP and Stripe's wire format. */
export class Surroundings {
  readonly mail: Mail[] = [];
  private constructor(
    readonly s3: { endpoint: string; bucket: string; stop: () => Promise<void> },
    readonly smtp: { url: string; stop: () => Promise<void> },
    readonly stripe: FakeStripeServer,
  ) {}

  static async start(options: { onMail?: (mail: Mail) => void } = {}): Promise<Surroundings> {
    const directory = mkdtempSync(join(tmpdir(), 'carebook-s3-'));
    const bucket = 'carebook-media';
    const s3rver = new S3rver({
      address: '127.0.0.1',
      port: 0,
      silent: true,
      directory,
      configureBuckets: [{ name: bucket }],
    });
    const address = await s3rver.run();
    const s3 = {
      endpoint: `http://127.0.0.1:${address.port}`,
      bucket,
      stop: async () => {
        s3rver.httpServer?.closeAllConnections();
        await s3rver.close();
        rmSync(directory, { recursive: true, force: true });
      },
    };
    const mail: Mail[] = [];
    const smtpServer = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      closeTimeout: 200,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const received = {
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
          };
          mail.push(received);
          options.onMail?.(received);
          callback();
        });
      },
    });
    const smtpPort = await freePort();
    await new Promise<void>((resolve) => smtpServer.listen(smtpPort, '127.0.0.1', resolve));
    const smtp = {
      url: `smtp://127.0.0.1:${smtpPort}`,
      stop: () => new Promise<void>((resolve) => smtpServer.close(() => resolve())),
    };
    const stripe = await FakeStripeServer.start();
    const surroundings = new Surroundings(s3, smtp, stripe);
    (surroundings as { mail: Mail[] }).mail = mail;
    return surroundings;
  }

  async stop(): Promise<void> {
    await Promise.all([this.s3.stop(), this.smtp.stop(), this.stripe.stop()]);
  }
}

/** The production-profile environment for one instance. */
export function productionEnv(opts: {
  instanceId: string;
  port: number;
  databaseUrl: string;
  redisUrl: string;
  around: Surroundings;
  jwtKeys: string;
  extra?: Record<string, string>;
}): Record<string, string> {
  const { around } = opts;
  return {
    CAREBOOK_PROFILE: 'production',
    INSTANCE_ID: opts.instanceId,
    HOST: '127.0.0.1',
    PORT: String(opts.port),
    PUBLIC_URL: `http://127.0.0.1:${opts.port}`,
    DATABASE_URL: opts.databaseUrl,
    JWT_KEYS: opts.jwtKeys,
    // One key-encryption key for every instance of a test (they share the database).
    ENCRYPTION_KEYS: `test-kek:${Buffer.alloc(32, 9).toString('base64')}`,
    CACHE_URL: opts.redisUrl,
    EVENT_BUS_URL: opts.redisUrl,
    BLOB_STORE: 's3',
    S3_BUCKET: around.s3.bucket,
    S3_ENDPOINT: around.s3.endpoint,
    S3_FORCE_PATH_STYLE: 'true',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    PAYMENTS: 'stripe',
    STRIPE_SECRET_KEY: around.stripe.secretKey,
    STRIPE_WEBHOOK_SECRET: around.stripe.webhookSecret,
    STRIPE_PUBLISHABLE_KEY: 'pk_test_fake_carebook',
    STRIPE_API_URL: `http://127.0.0.1:${around.stripe.port}`,
    SMTP_URL: around.smtp.url,
    SEARCH_URL: 'embedded',
    PASSWORD_HASH_MEMORY_KIB: '1024',
    RATE_LIMIT_PER_MINUTE: '100000',
    LIFECYCLE_INTERVAL_SECONDS: '1',
    LOG_LEVEL: 'warn',
    ...opts.extra,
  };
}

export const newJwtKeys = () => `k1:${randomBytes(32).toString('base64')}`;

/** One API process (`node --import tsx apps/api/src/server.ts`). */
export class ApiProcess {
  private child: ChildProcess | undefined;
  /** The process's output, kept for failure messages. */
  output = '';

  constructor(
    readonly name: string,
    readonly env: Record<string, string>,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.env.PORT}`;
  }

  /** Starts the process and waits until /readyz answers 200. */
  async start(timeoutMs = 60_000): Promise<void> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/server.ts'], {
      cwd: REPO,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString()).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    try {
      await until(
        `${this.name} to be ready`,
        async () => {
          if (child.exitCode !== null)
            throw new Error(`${this.name} exited (${child.exitCode}):\n${this.output}`);
          return (await fetch(`${this.url}/readyz`)).status === 200;
        },
        timeoutMs,
      );
    } catch (err) {
      throw new Error(`${(err as Error).message}\n--- ${this.name} output ---\n${this.output}`);
    }
  }

  /** SIGTERM (graceful) and wait for the exit code. */
  async stop(): Promise<number | null> {
    const child = this.child;
    if (!child || child.exitCode !== null) return child?.exitCode ?? null;
    return new Promise((resolve) => {
      child.once('exit', (code) => resolve(code));
      child.kill('SIGTERM');
    });
  }
}
