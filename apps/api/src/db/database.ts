import SQLite from 'better-sqlite3';
import { Kysely, MysqlDialect, SqliteDialect } from 'kysely';
import { createPool } from 'mysql2';
import type { DatabaseConfig } from '../config/config';
import { ensurePrivateFile } from '../lib/secret-file';
import { withStatementCache } from './sqlite-statement-cache';

export type Dialect = 'sqlite' | 'mysql';

export interface Db<T> {
  db: Kysely<T>;
  dialect: Dialect;
  url: string;
  close(): Promise<void>;
}

/**
 * Opens one logical database from its URL. SQLite gets an owner-only (0600) file, WAL, foreign
 * keys and a busy timeout;
 * MySQL/MariaDB gets a pool that speaks UTC.
 */
export function openDatabase<T>(config: DatabaseConfig): Db<T> {
  if (config.url.startsWith('sqlite:')) {
    const file = config.url.slice('sqlite:'.length);
    // Owner-only: SQLite gives the -wal and -shm files the database file's permissions.
    if (file !== ':memory:') ensurePrivateFile(file);
    const sqlite = new SQLite(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('synchronous = NORMAL');
    const db = new Kysely<T>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
    return { db, dialect: 'sqlite', url: config.url, close: () => db.destroy() };
  }
  if (config.url.startsWith('mysql://')) {
    const pool = createPool({
      uri: config.url,
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
    const db = new Kysely<T>({ dialect: new MysqlDialect({ pool }) });
    return { db, dialect: 'mysql', url: config.url, close: () => db.destroy() };
  }
  throw new Error(`Unsupported database URL scheme: ${config.url.split(':')[0]}`);
}

/** True when two configs point at the same database, so one handle can serve both. */
export const sameDatabase = (a: DatabaseConfig, b: DatabaseConfig) => a.url === b.url;
