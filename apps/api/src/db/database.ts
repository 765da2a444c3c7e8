import SQLite from 'better-sqlite3';
import { type Driver, Kysely, type Dialect as KyselyDialect, MysqlDialect, SqliteDialect } from 'kysely';
import { createPool, type Pool } from 'mysql2';
import type { DatabaseConfig } from '../config/config';
import { ensurePrivateFile } from '../lib/secret-file';
import { BUCKET_SQL_FUNCTION, bucketOf } from './shards/buckets';
import { withStatementCache } from './sqlite-statement-cache';
import { mysql2Ssl, splitMysqlTls } from './tls';

export type Dialect = 'sqlite' | 'mysql';

export interface Db<T> {
  db: Kysely<T>;
  dialect: Dialect;
  url: string;
  /** The MySQL/MariaDB connection pool (its size and queue are exported as metrics). */
  pool?: Pool;
  /** The handle's driver, for another Kysely over the same connections (db/replication). */
  sharedDriver?: () => Driver;
  close(): Promise<void>;
}

/**
 * Opens one logical database from its URL. SQLite gets an owner-only (0600) file, WAL, foreign
 * keys and a busy timeout;
 * MySQL/MariaDB gets a pool that speaks UTC.
 */
export function openDatabase<T>(config: DatabaseConfig): Db<T> {
  const { dialect, kind, pool } = dialectFor(config);
  const shared = withOneDriver(dialect);
  const db = new Kysely<T>({ dialect: shared });
  const sharedDriver = () => shared.createDriver();
  return {
    db,
    dialect: kind,
    url: config.url,
    ...(pool ? { pool } : {}),
    sharedDriver,
    close: () => db.destroy(),
  };
}

/**
 * Opens two logical databases that live in one database: two typed handles over one driver, so
 * SQLite keeps a single writer connection and MySQL a single pool. Closing either closes both.
 */
export function openSharedDatabase<A, B>(config: DatabaseConfig): [Db<A>, Db<B>] {
  const { dialect, kind, pool } = dialectFor(config);
  const shared = withOneDriver(dialect);
  const a = new Kysely<A>({ dialect: shared });
  const b = new Kysely<B>({ dialect: shared });
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= Promise.all([a.destroy(), b.destroy()]).then(() => undefined);
    return closing;
  };
  const sharedDriver = () => shared.createDriver();
  return [
    { db: a, dialect: kind, url: config.url, ...(pool ? { pool } : {}), sharedDriver, close },
    { db: b, dialect: kind, url: config.url, ...(pool ? { pool } : {}), sharedDriver, close },
  ];
}

export function dialectFor(config: DatabaseConfig): { dialect: KyselyDialect; kind: Dialect; pool?: Pool } {
  if (config.url.startsWith('sqlite:')) {
    const file = config.url.slice('sqlite:'.length);
    // Owner-only: SQLite gives the -wal and -shm files the database file's permissions.
    if (file !== ':memory:') ensurePrivateFile(file);
    const sqlite = new SQLite(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('synchronous = NORMAL');
    // The booking fence's triggers compute a provider's bucket (migration 20261209T0400-moved-buckets).
    sqlite.function(BUCKET_SQL_FUNCTION, { deterministic: true }, (id) => bucketOf(String(id)));
    return { dialect: new SqliteDialect({ database: withStatementCache(sqlite) }), kind: 'sqlite' };
  }
  if (config.url.startsWith('mysql://')) {
    // TLS settings travel as URL parameters (db/tls.ts); the driver gets the URL without them.
    const { url, tls } = splitMysqlTls(config.url);
    const ssl = mysql2Ssl(tls);
    const pool = createPool({
      uri: url,
      ...(ssl ? { ssl } : {}),
      connectionLimit: config.poolSize,
      maxIdle: config.poolSize,
      idleTimeout: config.poolIdleTimeoutMs,
      connectTimeout: config.connectTimeoutMs,
      timezone: 'Z',
      dateStrings: true,
      charset: 'utf8mb4',
      supportBigNumbers: true,
      enableKeepAlive: true,
    });
    return { dialect: new MysqlDialect({ pool }), kind: 'mysql', pool };
  }
  throw new Error(`Unsupported database URL scheme: ${config.url.split(':')[0]}`);
}

/**
 * A dialect whose every Kysely instance uses one driver (one connection mutex, one pool). The
 * driver is initialised by the first instance and destroyed with the last one.
 */
export function withOneDriver(dialect: KyselyDialect): KyselyDialect {
  const driver = dialect.createDriver();
  let users = 0;
  let initialised: Promise<void> | undefined;
  const shared: Driver = {
    init: () => {
      users++;
      initialised ??= driver.init();
      return initialised;
    },
    acquireConnection: () => driver.acquireConnection(),
    beginTransaction: (connection, settings) => driver.beginTransaction(connection, settings),
    commitTransaction: (connection) => driver.commitTransaction(connection),
    rollbackTransaction: (connection) => driver.rollbackTransaction(connection),
    releaseConnection: (connection) => driver.releaseConnection(connection),
    destroy: async () => {
      users--;
      if (users === 0) await driver.destroy();
    },
  };
  if (driver.savepoint) shared.savepoint = driver.savepoint.bind(driver);
  if (driver.rollbackToSavepoint) shared.rollbackToSavepoint = driver.rollbackToSavepoint.bind(driver);
  if (driver.releaseSavepoint) shared.releaseSavepoint = driver.releaseSavepoint.bind(driver);
  return {
    createDriver: () => shared,
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
  };
}

/** True when two configs point at the same database, so one handle can serve both. */
export const sameDatabase = (a: DatabaseConfig, b: DatabaseConfig) => a.url === b.url;
