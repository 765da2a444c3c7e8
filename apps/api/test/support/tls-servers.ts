import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { freePort } from '../../../../tools/free-port';
import { until } from './processes';

/** A throw-away certificate authority made with openssl, and a server certificate it signed. */
export interface TestCa {
  ca: string;
  cert: string;
  key: string;
}

const openssl = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: 'ignore' });

/** Makes a CA and a server certificate for localhost / 127.0.0.1 under `dir`. */
export function makeTestCa(dir: string, name = 'Carebook Test CA'): TestCa {
  mkdirSync(dir, { recursive: true });
  openssl(
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.crt',
      '-days',
      '2',
      '-subj',
      `/CN=${name}`,
    ],
    dir,
  );
  openssl(
    [
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'server.key',
      '-out',
      'server.csr',
      '-subj',
      '/CN=localhost',
    ],
    dir,
  );
  writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  openssl(
    [
      'x509',
      '-req',
      '-in',
      'server.csr',
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'server.crt',
      '-days',
      '2',
      '-extfile',
      'ext.cnf',
    ],
    dir,
  );
  return { ca: join(dir, 'ca.crt'), cert: join(dir, 'server.crt'), key: join(dir, 'server.key') };
}

const stopChild = (child: ChildProcess | undefined) =>
  new Promise<void>((resolve) => {
    if (!child || child.exitCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });

/**
 * A MariaDB server of the test's own (never the shared one), TLS-only for the `tls` user, with
 * binary logging on. `user`/`password` connect to database `db`.
 */
export class TlsMariaDb {
  readonly user = 'tls_user';
  readonly password = 'tls-password';
  readonly database = 'tls_db';
  private constructor(
    readonly port: number,
    private readonly child: ChildProcess,
  ) {}

  static async start(dir: string, ca: TestCa): Promise<TlsMariaDb> {
    const datadir = join(dir, 'mariadb');
    execFileSync(
      'mariadb-install-db',
      [
        '--no-defaults',
        `--datadir=${datadir}`,
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
        `--user=${userInfo().username}`,
      ],
      { stdio: 'ignore' },
    );
    const init = join(dir, 'init.sql');
    writeFileSync(
      init,
      [
        "CREATE USER IF NOT EXISTS 'tls_user'@'%' IDENTIFIED BY 'tls-password' REQUIRE SSL;",
        "GRANT ALL PRIVILEGES ON *.* TO 'tls_user'@'%';",
        'CREATE DATABASE IF NOT EXISTS tls_db;',
        'CREATE DATABASE IF NOT EXISTS tls_restored;',
        '',
      ].join('\n'),
    );
    const port = await freePort();
    const child = spawn(
      'mariadbd',
      [
        '--no-defaults',
        `--datadir=${datadir}`,
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        `--socket=${join(dir, 'mariadb.sock')}`,
        `--pid-file=${join(dir, 'mariadb.pid')}`,
        `--user=${userInfo().username}`,
        '--skip-name-resolve',
        `--init-file=${init}`,
        `--ssl-ca=${ca.ca}`,
        `--ssl-cert=${ca.cert}`,
        `--ssl-key=${ca.key}`,
        '--log-bin=mysql-bin',
        '--server-id=1',
        '--innodb-buffer-pool-size=32M',
        '--performance-schema=OFF',
      ],
      { stdio: 'ignore' },
    );
    const server = new TlsMariaDb(port, child);
    await until(
      `mariadbd on ${port}`,
      async () => {
        const conn = await createConnection({
          host: '127.0.0.1',
          port,
          user: server.user,
          password: server.password,
          ssl: { rejectUnauthorized: false },
        });
        await conn.end();
        return true;
      },
      120_000,
    );
    return server;
  }

  url(database = this.database, params = ''): string {
    return `mysql://${this.user}:${this.password}@127.0.0.1:${this.port}/${database}${params}`;
  }

  stop(): Promise<void> {
    return stopChild(this.child);
  }
}

/** A redis-server of the test's own that speaks only TLS (`--port 0 --tls-port N`). */
export class TlsRedis {
  private constructor(
    readonly port: number,
    private readonly child: ChildProcess,
  ) {}

  static async start(ca: TestCa): Promise<TlsRedis> {
    const port = await freePort();
    const child = spawn(
      'redis-server',
      [
        '--port',
        '0',
        '--tls-port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--tls-cert-file',
        ca.cert,
        '--tls-key-file',
        ca.key,
        '--tls-ca-cert-file',
        ca.ca,
        '--tls-auth-clients',
        'no',
        '--save',
        '',
        '--appendonly',
        'no',
      ],
      { stdio: 'ignore' },
    );
    const server = new TlsRedis(port, child);
    await until(`redis-server TLS on ${port}`, async () => {
      const { connect } = await import('node:tls');
      return new Promise<boolean>((resolve) => {
        const s = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
          s.destroy();
          resolve(true);
        });
        s.on('error', () => resolve(false));
      });
    });
    return server;
  }

  get url(): string {
    return `rediss://127.0.0.1:${this.port}`;
  }

  stop(): Promise<void> {
    return stopChild(this.child);
  }
}
