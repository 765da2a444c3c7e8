import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../tools/free-port';
import { demoAccounts } from '../src/modules/accounts/demo-accounts';

const root = resolve(import.meta.dirname, '../../..');
const dataDir = mkdtempSync(join(tmpdir(), 'carebook-server-'));

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
  base: string;
}

async function start(env: Record<string, string> = {}): Promise<Running> {
  const port = await freePort();
  let out = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/server.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      PASSWORD_HASH_MEMORY_KIB: '1024',
      WEB_DIST_DIR: join(dataDir, 'no-web'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => {
    out += d;
  });
  child.stderr?.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((ok) => child.on('exit', (code) => ok(code)));
  return { child, output: () => out, exited, base: `http://127.0.0.1:${port}` };
}

async function waitUntilUp(r: Running): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (r.child.exitCode !== null) throw new Error(`server exited early:\n${r.output()}`);
    try {
      if ((await fetch(`${r.base}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error(`server did not come up:\n${r.output()}`);
}

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('server process (embedded profile)', () => {
  let firstToken = '';

  it('starts on a fresh data directory, migrates, seeds and prints the demo accounts', async () => {
    const r = await start();
    await waitUntilUp(r);
    expect((await fetch(`${r.base}/readyz`)).status).toBe(200);
    for (const a of demoAccounts) expect(r.output()).toContain(a.email);
    const admin = demoAccounts[0];
    const login = await fetch(`${r.base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: admin?.email, password: admin?.password }),
    });
    expect(login.status).toBe(200);
    firstToken = ((await login.json()) as { tokens: { accessToken: string } }).tokens.accessToken;
    expect((await fetch(`${r.base}/api/docs/`)).status).toBe(200);
    r.child.kill('SIGTERM');
    expect(await r.exited).toBe(0);
  });

  it('restarts on the same data: no duplicate seeding, and sessions survive', async () => {
    const r = await start();
    await waitUntilUp(r);
    const me = await fetch(`${r.base}/api/v1/me`, { headers: { authorization: `Bearer ${firstToken}` } });
    expect(me.status).toBe(200);
    r.child.kill('SIGTERM');
    expect(await r.exited).toBe(0);
  });

  it('finishes an in-flight request on SIGTERM before exiting', async () => {
    // a registration hashes at this (slow) cost, which keeps the request in flight
    const r = await start({ PASSWORD_HASH_MEMORY_KIB: '262144', LOG_LEVEL: 'info' });
    await waitUntilUp(r);
    const inFlight = fetch(`${r.base}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: 'late@example.test',
        password: 'a-long-enough-password',
        displayName: 'Late',
      }),
    });
    await new Promise((ok) => setTimeout(ok, 50));
    r.child.kill('SIGTERM');
    const res = await inFlight;
    expect(res.status).toBe(202);
    expect(await r.exited).toBe(0);
    expect(r.output()).toContain('shutdown complete');
  });

  it('refuses to start on bad config, naming the variable', async () => {
    const r = await start({ PORT: 'http', CAREBOOK_PROFILE: 'production' });
    expect(await r.exited).toBe(78);
    expect(r.output()).toMatch(/PORT: must be an integer/);
    expect(r.output()).toMatch(/JWT_KEYS: required in the production profile/);
  });
});
