import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { freePort } from '../../../../tools/free-port';
import { quickClient } from './redis';

/**
 * Test support: a private `redis-server` process (no persistence) that a test may stop and start
 * again on the same port, to prove behaviour during and after an outage without touching the
 * shared server. `available()` is false when the binary is missing (the caller skips loudly).
 */
export class RedisServerProcess {
  private child: ChildProcess | null = null;

  private constructor(readonly port: number) {}

  /** Whether `redis-server` can be run here; says so loudly when not, and throws with CI set. */
  static available(): boolean {
    if (spawnSync('redis-server', ['--version']).status === 0) return true;
    if (process.env.CI) throw new Error('redis-server is required when CI is set (the Redis outage suites)');
    const bar = '='.repeat(78);
    console.warn(
      `\n${bar}\n  redis-server NOT FOUND — THE REDIS OUTAGE SUITES ARE SKIPPED (CI makes this fatal)\n${bar}\n`,
    );
    return false;
  }

  static async start(): Promise<RedisServerProcess> {
    const server = new RedisServerProcess(await freePort());
    await server.resume();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server (again) and waits until it answers. */
  async resume(): Promise<void> {
    this.child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 100; i++) {
      const client = quickClient(this.url);
      try {
        await client.connect();
        await client.ping();
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      } finally {
        client.disconnect();
      }
    }
    throw new Error(`redis-server did not start on port ${this.port}`);
  }

  /** Freezes the server (SIGSTOP): connections stay open but nothing is answered. */
  pause(): void {
    this.child?.kill('SIGSTOP');
  }

  unpause(): void {
    this.child?.kill('SIGCONT');
  }

  /** Kills the server (what an outage looks like to clients) and waits for it to exit. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }
}
