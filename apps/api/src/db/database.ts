import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, MysqlDialect, SqliteDialect } from 'kysely';
import { createPool } from 'mysql2';
import type { DatabaseConfig } from '../config/config';
import { withStatementCache } from './sqlite-statement-cache';
import { mysql2Ssl, splitMysqlTls } from './tls';

export type Dialect = 'sqlite' | 'mysql';

export interface Db<T> {
  db: Kysely<T>;
  dialect: Dialect;
  url: string;
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
    const db = new Kysely<T>({ dialect: new MysqlDialect({ pool }) });
    return { db, dialect: 'mysql', url: config.url, close: () => db.destroy() };
  }
  throw new Error(`Unsupported database URL scheme: ${config.url.split(':')[0]}`);
}

/** True when two configs point at the same database, so one handle can serve both. */
export const sameDatabase = (a: DatabaseConfig, b: DatabaseConfig) => a.url === b.url;
