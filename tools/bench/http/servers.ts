/**
 * The two systems under test, each in its own process on a free port: the hello-world and the
 * real Carebook server (`apps/api/src/server.ts`, embedded profile, SQLite in a temporary
 * directory, demo data seeded, default log level with the log going to /dev/null).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../free-port';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const HELLO = fileURLToPath(new URL('./hello.ts', import.meta.url));
const SERVER = join(ROOT, 'apps/api/src/server.ts');

export interface Running {
  name: string;
  baseUrl: string;
  pid: number;
  stop(): Promise<void>;
}

function stopper(child: ChildProcess, cleanup: () => void): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) {
        cleanup();
        resolve();
        return;
      }
      child.once('exit', () => {
        cleanup();
        resolve();
      });
      child.kill('SIGTERM');
      setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 15_000).unref();
    });
}

export async function startHello(nodeArgs: string[] = []): Promise<Running> {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', HELLO], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (b: Buffer) => {
      out += b.toString();
      const m = /listening (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`hello-world exited with ${code}`)));
  });
  return {
    name: 'hello-world',
    baseUrl: `http://127.0.0.1:${port}`,
    pid: child.pid ?? 0,
    stop: stopper(child, () => {}),
  };
}

async function waitHealthy(baseUrl: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`carebook exited with ${child.exitCode}`);
    try {
      const res = await fetch(`${baseUrl}/readyz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`carebook did not become ready within ${timeoutMs} ms`);
}

export async function startCarebook(nodeArgs: string[] = [], demoListings = 2000): Promise<Running> {
  const dir = mkdtempSync(join(tmpdir(), 'carebook-bench-http-'));
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', SERVER], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      PATH: process.env.PATH ?? '',
      NODE_ENV: 'production',
      CAREBOOK_PROFILE: 'embedded',
      HOST: '127.0.0.1',
      PORT: String(port),
      DATABASE_URL: `sqlite:${join(dir, 'carebook.db')}`,
      DATA_DIR: join(dir, 'data'),
      JWT_KEYS: `bench:${randomBytes(32).toString('base64')}`,
      SEED_DEMO_DATA: 'true',
      DEMO_LISTINGS: String(demoListings),
      // One load generator is one IP: keep the limiter on (its cost is measured) but out of the way.
      RATE_LIMIT_PER_MINUTE: '1000000',
      WEB_DIST_DIR: join(dir, 'no-web-build'),
    },
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await waitHealthy(baseUrl, child, 180_000);
  } catch (err) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    name: 'carebook',
    baseUrl,
    pid: child.pid ?? 0,
    stop: stopper(child, () => rmSync(dir, { recursive: true, force: true })),
  };
}
