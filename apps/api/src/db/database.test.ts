import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { openSharedDatabase } from './database';

describe('openSharedDatabase', () => {
  it('gives two handles over one connection; closing either closes both, once', async () => {
    const [a, b] = openSharedDatabase<Record<string, never>, Record<string, never>>({
      url: 'sqlite::memory:',
      poolSize: 1,
      poolIdleTimeoutMs: 1000,
      connectTimeoutMs: 1000,
    });
    // An in-memory SQLite database exists only on its connection: b sees what a wrote.
    await sql`create table shared_probe (n integer)`.execute(a.db);
    await sql`insert into shared_probe values (7)`.execute(a.db);
    const rows = await sql<{ n: number }>`select n from shared_probe`.execute(b.db);
    expect(rows.rows).toEqual([{ n: 7 }]);
    await Promise.all([a.close(), b.close(), a.close()]);
    await expect(sql`select 1`.execute(b.db)).rejects.toThrow();
  });
});
