import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Connection, createConnection } from 'mysql2/promise';
import { freePort } from '../../../../tools/free-port';

/**
 * Test support: a MariaDB primary (binary log, server_id 1) and a replica (server_id 2) of their
 * own, `mariadbd` processes on free ports with temporary data directories, the replica following
 * the primary by GTID (`MASTER_USE_GTID=slave_pos`). Never the shared server on 3306.
 *
 * Every method works from any process that knows the `ReplicationInfo` (the global setup starts
 * the pair, a test file stops and starts the replica): the servers are driven over SQL and their
 * pid files, not through child-process handles.
 */
export interface ReplicationInfo {
  /** mysql://root@127.0.0.1:<port>/ (no database): the primary. */
  primaryUrl: string;
  replicaUrl: string;
  /** The temporary directory holding both data directories, configs and logs. */
  dir: string;
}

const BINARIES = ['mariadbd', 'mariadb-install-db'] as const;

/** Why the pair cannot run here ('' when the MariaDB server binaries are on PATH). */
export function replicationPrerequisites(): string {
  const missing = BINARIES.filter((b) => spawnSync(b, ['--version'], { stdio: 'ignore' }).status !== 0);
  return missing.length === 0 ? '' : `not on PATH: ${missing.join(', ')} (apt-get install mariadb-server)`;
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const portOf = (url: string) => Number(new URL(url).port);

/** One server's files: config, data directory, socket, pid file and error log under `dir/<name>`. */
const files = (dir: string, name: string) => ({
  cnf: join(dir, `${name}.cnf`),
  data: join(dir, name, 'data'),
  socket: join(dir, name, 'mariadbd.sock'),
  pid: join(dir, name, 'mariadbd.pid'),
  log: join(dir, name, 'error.log'),
});

function writeConfig(dir: string, name: 'primary' | 'replica', port: number): void {
  const f = files(dir, name);
  const common = [
    '[mariadbd]',
    `datadir=${f.data}`,
    `socket=${f.socket}`,
    `pid-file=${f.pid}`,
    `log-error=${f.log}`,
    `port=${port}`,
    'bind-address=127.0.0.1',
    'user=root',
    // Small: two of these run beside the shared server on a small machine.
    'innodb-buffer-pool-size=32M',
    'innodb-log-file-size=16M',
    'performance-schema=0',
    'skip-name-resolve=0',
    'character-set-server=utf8mb4',
    'collation-server=utf8mb4_unicode_ci',
    'gtid-strict-mode=1',
    'binlog-format=ROW',
  ];
  const role =
    name === 'primary'
      ? ['server-id=1', `log-bin=${join(dir, name, 'binlog')}`, 'gtid-domain-id=0']
      : ['server-id=2', `relay-log=${join(dir, name, 'relay')}`, 'read-only=1', 'skip-slave-start=0'];
  writeFileSync(f.cnf, `${[...common, ...role].join('\n')}\n`);
}

/** Starts mariadbd from its config (detached: it outlives a test worker until stopped). */
function launch(dir: string, name: 'primary' | 'replica'): void {
  const child = spawn('mariadbd', [`--defaults-file=${files(dir, name).cnf}`], {
    detached: true,
    stdio: 'ignore',
  });
  child.unref();
}

async function connect(url: string): Promise<Connection> {
  return createConnection({ uri: url, connectTimeout: 2000, multipleStatements: false });
}

async function waitReady(url: string, log: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const c = await connect(url);
      await c.query('select 1');
      await c.end();
      return;
    } catch {
      if (Date.now() > deadline)
        throw new Error(`mariadbd at ${url} did not start; see ${log}:\n${tail(log)}`);
      await pause(100);
    }
  }
}

const tail = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').slice(-2000) : '(no log)');

/** The admin statements each server needs before replication starts, over its socket. */
async function prepare(dir: string, name: 'primary' | 'replica'): Promise<void> {
  const c = await createConnection({ socketPath: files(dir, name).socket, user: 'root' });
  try {
    await c.query('SET SESSION sql_log_bin = 0');
    await c.query("CREATE USER IF NOT EXISTS 'root'@'127.0.0.1'");
    await c.query("GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION");
  } finally {
    await c.end();
  }
}

export class MariadbReplication {
  constructor(readonly info: ReplicationInfo) {}

  /**
   * Installs one data directory, copies it for the replica, starts both servers and the replica's
   * GTID replication. Takes a few seconds (mariadb-install-db).
   */
  static async start(log: (line: string) => void = () => {}): Promise<MariadbReplication> {
    const dir = mkdtempSync(join(tmpdir(), 'carebook-replication-'));
    const [primaryPort, replicaPort] = [await freePort(), await freePort()];
    const primary = files(dir, 'primary');
    const replica = files(dir, 'replica');
    mkdirSync(join(dir, 'primary'), { recursive: true });
    mkdirSync(join(dir, 'replica'), { recursive: true });
    log(`installing a MariaDB data directory in ${dir}…`);
    const installed = spawnSync(
      'mariadb-install-db',
      [
        '--no-defaults',
        '--auth-root-authentication-method=normal',
        `--datadir=${primary.data}`,
        '--user=root',
        '--skip-test-db',
      ],
      { encoding: 'utf8' },
    );
    if (installed.status !== 0)
      throw new Error(`mariadb-install-db failed: ${(installed.stdout + installed.stderr).slice(-2000)}`);
    cpSync(primary.data, replica.data, { recursive: true });
    writeConfig(dir, 'primary', primaryPort);
    writeConfig(dir, 'replica', replicaPort);
    const pair = new MariadbReplication({
      primaryUrl: `mysql://root@127.0.0.1:${primaryPort}/`,
      replicaUrl: `mysql://root@127.0.0.1:${replicaPort}/`,
      dir,
    });
    try {
      launch(dir, 'primary');
      launch(dir, 'replica');
      await Promise.all([
        waitReadySocket(primary.socket, primary.log),
        waitReadySocket(replica.socket, replica.log),
      ]);
      await Promise.all([prepare(dir, 'primary'), prepare(dir, 'replica')]);
      const p = await connect(pair.info.primaryUrl);
      await p.query('RESET MASTER');
      await p.end();
      const r = await connect(pair.info.replicaUrl);
      await r.query("SET GLOBAL gtid_slave_pos = ''");
      await r.query(
        `CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = ${primaryPort}, MASTER_USER = 'root', MASTER_PASSWORD = '', MASTER_USE_GTID = slave_pos, MASTER_CONNECT_RETRY = 1`,
      );
      await r.query('START SLAVE');
      await r.end();
      await pair.waitCaughtUp();
      log(`primary on ${primaryPort}, replica on ${replicaPort} (GTID replication)`);
      return pair;
    } catch (err) {
      await pair.destroy();
      throw err;
    }
  }

  /**
   * Holds the pair for one test file until the returned function is called. Files that stop,
   * freeze or restart the replica would break each other's reads if vitest ran them at the same
   * time (it runs files in parallel): each takes the pair first. A lock whose holder died is taken
   * over.
   */
  async exclusive(timeoutMs = 600_000): Promise<() => void> {
    const lock = join(this.info.dir, 'suite.lock');
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        writeFileSync(lock, String(process.pid), { flag: 'wx' });
        return () => rmSync(lock, { force: true });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      // Released meanwhile: try again. An empty file is a holder between creating and writing it.
      const holder = lockHolder(lock);
      if (holder === 0) continue;
      if (holder !== process.pid && !alive(holder)) {
        rmSync(lock, { force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`the replication pair stayed taken (${lock})`);
      await pause(200);
    }
  }

  /** A URL of the primary or the replica naming `database`. */
  url(server: 'primary' | 'replica', database: string): string {
    const u = new URL(server === 'primary' ? this.info.primaryUrl : this.info.replicaUrl);
    u.pathname = `/${database}`;
    return u.toString();
  }

  private async onReplica<T>(fn: (c: Connection) => Promise<T>): Promise<T> {
    const c = await connect(this.info.replicaUrl);
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  }

  /** Lag on demand: the replica keeps receiving the binary log but applies nothing. */
  stopSqlThread(): Promise<void> {
    return this.onReplica(async (c) => {
      await c.query('STOP SLAVE SQL_THREAD');
    });
  }

  startSqlThread(): Promise<void> {
    return this.onReplica(async (c) => {
      await c.query('START SLAVE SQL_THREAD');
    });
  }

  /** Waits until the replica has applied everything the primary has written so far. */
  async waitCaughtUp(timeoutSeconds = 30): Promise<void> {
    const p = await connect(this.info.primaryUrl);
    const [[row]] = (await p.query('SELECT @@gtid_binlog_pos AS pos')) as unknown as [[{ pos: string }]];
    await p.end();
    if (!row?.pos) return;
    const reached = await this.onReplica(async (c) => {
      const [[r]] = (await c.query('SELECT MASTER_GTID_WAIT(?, ?) AS r', [
        row.pos,
        timeoutSeconds,
      ])) as unknown as [[{ r: number | string }]];
      return Number(r?.r);
    });
    if (reached !== 0) throw new Error(`the replica did not reach ${row.pos} within ${timeoutSeconds} s`);
  }

  /** Stops the replica server (a clean shutdown) and waits until its port is closed. */
  async stopReplica(): Promise<void> {
    await this.shutdown(this.info.replicaUrl, files(this.info.dir, 'replica').pid);
  }

  /** Starts the replica server again on its port; replication resumes where it stopped. */
  async startReplica(): Promise<void> {
    launch(this.info.dir, 'replica');
    await waitReady(this.info.replicaUrl, files(this.info.dir, 'replica').log);
  }

  /**
   * Freezes the replica server (SIGSTOP): it keeps its connections and its port accepts new ones,
   * but answers nothing — a hung server, not a stopped one. `thawReplica` resumes it.
   */
  async freezeReplica(): Promise<void> {
    const pid = this.replicaPid();
    process.kill(pid, 'SIGSTOP');
    // The stop takes effect when the process is next scheduled: until then it may still answer.
    const state = () => readFileSync(`/proc/${pid}/status`, 'utf8').match(/^State:\s+(\S)/m)?.[1];
    for (let i = 0; state() !== 'T'; i++) {
      if (i > 500) throw new Error(`mariadbd ${pid} did not stop (state ${state()})`);
      await pause(10);
    }
  }

  thawReplica(): void {
    process.kill(this.replicaPid(), 'SIGCONT');
  }

  private replicaPid(): number {
    const pid = Number(readFileSync(files(this.info.dir, 'replica').pid, 'utf8').trim());
    if (!(pid > 0)) throw new Error('the replica server has no pid file');
    return pid;
  }

  /** Stops both servers and removes their files. */
  async destroy(): Promise<void> {
    await Promise.all([
      this.shutdown(this.info.replicaUrl, files(this.info.dir, 'replica').pid),
      this.shutdown(this.info.primaryUrl, files(this.info.dir, 'primary').pid),
    ]);
    rmSync(this.info.dir, { recursive: true, force: true });
  }

  private async shutdown(url: string, pidFile: string): Promise<void> {
    const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').trim()) : 0;
    try {
      const c = await connect(url);
      await c.query('SHUTDOWN').catch(() => undefined);
      await c.end().catch(() => undefined);
    } catch {
      // Not reachable: already down, or hung (the pid below is signalled).
    }
    const deadline = Date.now() + 30_000;
    while (pid > 0 && alive(pid)) {
      if (Date.now() > deadline) {
        process.kill(pid, 'SIGKILL');
        break;
      }
      await pause(100);
    }
    // The port must be free before a restart binds it again.
    while (await portAnswers(portOf(url))) {
      if (Date.now() > deadline + 5000) throw new Error(`mariadbd on ${url} did not stop`);
      await pause(100);
    }
  }
}

/** The pid in a lock file, 0 when the file is gone. */
function lockHolder(lock: string): number {
  try {
    return Number(readFileSync(lock, 'utf8').trim() || process.pid);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function portAnswers(port: number): Promise<boolean> {
  try {
    const c = await createConnection({ host: '127.0.0.1', port, user: 'root', connectTimeout: 500 });
    await c.end();
    return true;
  } catch (err) {
    return (err as { code?: string }).code !== 'ECONNREFUSED';
  }
}

async function waitReadySocket(socket: string, log: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const c = await createConnection({ socketPath: socket, user: 'root' });
      await c.end();
      return;
    } catch {
      if (Date.now() > deadline)
        throw new Error(`mariadbd (${socket}) did not start; see ${log}:\n${tail(log)}`);
      await pause(100);
    }
  }
}
