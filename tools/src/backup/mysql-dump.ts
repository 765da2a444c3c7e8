import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { pipeline } from 'node:stream/promises';
import { mysqlCliTlsArgs, splitMysqlTls } from '../../../apps/api/src/db/tls';
import type { BinlogPosition } from './manifest';

/** The parts of a mysql:// URL the command-line clients need (TLS parameters included). */
export interface MysqlTarget {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  tlsArgs: string[];
}

export function mysqlTarget(url: string): MysqlTarget {
  const { url: plain, tls } = splitMysqlTls(url);
  const u = new URL(plain);
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!database) throw new Error('the database URL names no database');
  return {
    host: u.hostname.replace(/^\[|\]$/g, ''),
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password),
    database,
    tlsArgs: mysqlCliTlsArgs(tls),
  };
}

/** Same server and credentials: one dump can hold both databases in one snapshot. */
export const sameServer = (a: MysqlTarget, b: MysqlTarget) =>
  a.host === b.host && a.port === b.port && a.user === b.user && a.password === b.password;

const connectionArgs = (t: MysqlTarget) => [
  `--host=${t.host}`,
  `--port=${t.port}`,
  `--user=${t.user}`,
  '--protocol=TCP',
  ...t.tlsArgs,
];
/** The password goes through the environment, never the command line (visible in `ps`). */
const clientEnv = (t: MysqlTarget) => ({ ...process.env, MYSQL_PWD: t.password });

/** `mariadb-dump` when installed, else `mysqldump` (override with MYSQLDUMP / MYSQL). */
const tool = (names: string[], override: string | undefined) =>
  override ?? names.find((n) => spawnSync(n, ['--version'], { stdio: 'ignore' }).status === 0) ?? names[0];
const dumpTool = () => tool(['mariadb-dump', 'mysqldump'], process.env.MYSQLDUMP) as string;
const clientTool = () => tool(['mariadb', 'mysql'], process.env.MYSQL) as string;

/**
 * One consistent snapshot of `schemas` (InnoDB, `--single-transaction`: no locks held while it
 * runs) into `file`. With binary logging on, the dump also records the binlog file and position
 * (`--master-data=2`, as a comment) where the snapshot was taken: the starting point of a
 * point-in-time recovery.
 */
export async function dumpMysql(
  t: MysqlTarget,
  schemas: string[],
  file: string,
  binlog: boolean,
): Promise<BinlogPosition | null> {
  const args = [
    ...connectionArgs(t),
    '--single-transaction',
    '--quick',
    // One INSERT per row: the manifest's row counts are read from the dump itself (the exact
    // snapshot), and a damaged line costs one row, not thousands.
    '--skip-extended-insert',
    '--no-autocommit',
    '--routines',
    '--triggers',
    '--hex-blob',
    '--default-character-set=utf8mb4',
    '--skip-dump-date',
    ...(binlog ? ['--master-data=2', '--gtid'] : []),
    '--databases',
    ...schemas,
  ];
  const child = spawn(dumpTool(), args, { env: clientEnv(t), stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const exited = new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code ?? 1));
  });
  await pipeline(child.stdout, createWriteStream(file));
  const code = await exited;
  if (code !== 0) throw new Error(`${dumpTool()} failed (${code}): ${stderr.trim()}`);
  return binlog ? await readBinlogPosition(file) : null;
}

/** The `-- CHANGE MASTER TO MASTER_LOG_FILE=…, MASTER_LOG_POS=…` comment near the top of a dump. */
export async function readBinlogPosition(file: string): Promise<BinlogPosition | null> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
  let position: { file: string; position: number } | null = null;
  let gtid: string | undefined;
  let n = 0;
  for await (const line of lines) {
    const pos = /CHANGE MASTER TO MASTER_LOG_FILE='([^']+)', MASTER_LOG_POS=(\d+)/.exec(line);
    if (pos) position = { file: pos[1] as string, position: Number(pos[2]) };
    const g = /gtid_slave_pos='([^']*)'/.exec(line);
    if (g?.[1]) gtid = g[1];
    if (++n > 200) break;
  }
  lines.close();
  return position ? { ...position, ...(gtid ? { gtid } : {}) } : null;
}

/**
 * Loads a dump into the databases of `targets` (dump schema name → target), mapping schema
 * names: the dump's `CREATE DATABASE` lines are dropped and its `USE` lines point at the targets,
 * so a backup restores into differently named (fresh) databases.
 */
export async function restoreMysql(
  t: MysqlTarget,
  file: string,
  targets: Record<string, string>,
): Promise<void> {
  const child = spawn(
    clientTool(),
    [...connectionArgs(t), '--binary-mode', '--default-character-set=utf8mb4'],
    {
      env: clientEnv(t),
      stdio: ['pipe', 'ignore', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const exited = new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code ?? 1));
  });
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
  async function* mapped() {
    for await (const line of lines) {
      if (/^CREATE DATABASE /.test(line)) continue;
      const use = /^USE `((?:[^`]|``)+)`;$/.exec(line);
      if (use) {
        const target = targets[(use[1] as string).replaceAll('``', '`')];
        if (!target) throw new Error(`the dump holds database ${use[1]}, which has no restore target`);
        yield `USE \`${target.replaceAll('`', '``')}\`;\n`;
        continue;
      }
      yield `${line}\n`;
    }
  }
  await pipeline(mapped, child.stdin);
  const code = await exited;
  if (code !== 0) throw new Error(`${clientTool()} failed (${code}): ${stderr.trim()}`);
}
