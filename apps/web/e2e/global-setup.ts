import { type ChildProcess, execSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../../tools/free-port';

const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = resolve(webDir, '../..');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds the web app when dist is missing or older than its sources. */
function buildIfNeeded() {
  const index = join(webDir, 'dist', 'index.html');
  const sources = Math.max(newestMtime(join(webDir, 'src')), statSync(join(webDir, 'index.html')).mtimeMs);
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  console.log('[e2e] building the web app…');
  execSync('npx vite build', { cwd: webDir, stdio: 'inherit' });
}

export interface ApiServer {
  url: string;
  /** Moves the server's clock so that "now" is `at` (time keeps running from there). */
  moveClockTo: (at: Date) => void;
  stop: () => Promise<void>;
}

async function waitReady(url: string, server: ChildProcess, log: () => string) {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`API server exited (${server.exitCode}):\n${log()}`);
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`API server not ready in 90 s:\n${log()}`);
}

/**
 * Starts apps/api/src/server.ts (via tsx) on a free port with a fresh SQLite database in a
 * temporary directory and a small demo data set; `env` adds or overrides settings (the Stripe
 * journey starts a second server with PAYMENTS=stripe). With `testClock`, the server runs on a
 * test clock (CAREBOOK_TEST_CLOCK_FILE, embedded profile only) and `moveClockTo` sets its "now";
 * without it `moveClockTo` throws. Returns its URL and the teardown.
 */
export async function startApiServer(
  env: Record<string, string> = {},
  options: { testClock?: boolean } = {},
): Promise<ApiServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'carebook-e2e-'));
  const clockFile = join(dataDir, 'clock-offset-ms');
  const port = await freePort();
  const baseURL = `http://127.0.0.1:${port}`;
  let output = '';
  const server = spawn(process.execPath, ['--import', 'tsx', 'apps/api/src/server.ts'], {
    cwd: repoRoot,
    env: {
      ...process.env,
      CAREBOOK_PROFILE: 'embedded',
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: baseURL,
      DATA_DIR: dataDir,
      DATABASE_URL: `sqlite:${join(dataDir, 'carebook.db')}`,
      DEMO_LISTINGS: process.env.DEMO_LISTINGS ?? '300',
      WEB_DIST_DIR: join(webDir, 'dist'),
      LIFECYCLE_INTERVAL_SECONDS: '2',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '100000',
      ...(options.testClock ? { CAREBOOK_TEST_CLOCK_FILE: clockFile } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  server.stdout?.on('data', keep);
  server.stderr?.on('data', keep);
  await waitReady(baseURL, server, () => output);
  return {
    url: baseURL,
    moveClockTo: (at: Date) => {
      if (!options.testClock) throw new Error('this API server runs on the system clock');
      // Written whole, then renamed: the server reads the file on every clock call.
      writeFileSync(`${clockFile}.next`, String(at.getTime() - Date.now()));
      renameSync(`${clockFile}.next`, clockFile);
    },
    stop: async () => {
      server.kill('SIGTERM');
      await new Promise<void>((r) => {
        if (server.exitCode !== null) return r();
        const force = setTimeout(() => server.kill('SIGKILL'), 10_000);
        server.once('exit', () => {
          clearTimeout(force);
          r();
        });
      });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Builds the web app if needed and starts the server every journey but the Stripe one uses. */
export default async function globalSetup() {
  buildIfNeeded();
  const { url, stop } = await startApiServer();
  process.env.E2E_BASE_URL = url;
  console.log(`[e2e] API + web app on ${url}`);
  return stop;
}
