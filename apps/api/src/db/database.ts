import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, MysqlDialect, SqliteDialect } from 'kysely';
import { createPool, type Pool } from 'mysql2';
import type { DatabaseConfig } from '../config/config';
import { withStatementCache } from './sqlite-statement-cache';

export type Dialect = 'sqlite' | 'mysql';

export interface Db<T> {
  db: Kysely<T>;
  dialect: Dialect;
  url: string;
  /** The MySQL/MariaDB connection pool (its size and queue are exported as metrics). */
  pool?: Pool;
  close(): Promise<void>;
}

/**
 * Opens one logical database from its URL. SQLite gets WAL, foreign keys and a busy timeout;
 * MySQL/MariaDB gets a pool that speaks UTC.
 */
export function openDatabase<T>(config: DatabaseConfig): Db<T> {
  if (config.url.startsWith('sqlite:')) {
    const file = config.url.slice('sqlite:'.length);
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
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
    return { db, dialect: 'mysql', url: config.url, pool, close: () => db.destroy() };
  }
  throw new Error(`Unsupported database URL scheme: ${config.url.split(':')[0]}`);
}

/** True when two configs point at the same database, so one handle can serve both. */
export const sameDatabase = (a: DatabaseConfig, b: DatabaseConfig) => a.url === b.url;
