import type SQLite from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * Kysely's SQLite driver prepares every query afresh; compiling the statement costs more than
 * running a short one (measured with `npm run bench -- booking`). The queries an app issues are a
 * small fixed set of SQL strings, so prepared statements are kept, most recently used first, up
 * to `capacity`. A statement still being iterated (a streamed query) is never handed out twice:
 * a busy one is bypassed with a fresh, uncached statement.
 */
export function withStatementCache(database: SQLite.Database, capacity = 512): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => {
      cache.clear();
      database.close();
    },
    prepare(sql: string): SqliteStatement {
      const hit = cache.get(sql);
      if (hit) {
        if (hit.busy) return database.prepare(sql) as unknown as SqliteStatement;
        cache.delete(sql);
        cache.set(sql, hit);
        return hit as unknown as SqliteStatement;
      }
      const statement = database.prepare(sql);
      cache.set(sql, statement);
      if (cache.size > capacity) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      return statement as unknown as SqliteStatement;
    },
  };
}
