import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { withStatementCache } from './sqlite-statement-cache';

interface T {
  item: { id: number; name: string };
}

describe('SQLite statement cache', () => {
  let db: Kysely<T> | undefined;
  afterEach(async () => {
    await db?.destroy();
  });

  const open = (capacity?: number) => {
    const raw = new SQLite(':memory:');
    let prepares = 0;
    const prepare = raw.prepare.bind(raw);
    raw.prepare = ((s: string) => {
      prepares++;
      return prepare(s);
    }) as typeof raw.prepare;
    db = new Kysely<T>({ dialect: new SqliteDialect({ database: withStatementCache(raw, capacity) }) });
    return { db, prepares: () => prepares };
  };

  it('prepares a repeated query once and still returns fresh results', async () => {
    const { db, prepares } = open();
    await db.schema
      .createTable('item')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text')
      .execute();
    for (let i = 0; i < 5; i++)
      await db
        .insertInto('item')
        .values({ id: i, name: `n${i}` })
        .execute();
    const before = prepares();
    for (let i = 0; i < 5; i++) {
      const row = await db.selectFrom('item').selectAll().where('id', '=', i).executeTakeFirstOrThrow();
      expect(row).toEqual({ id: i, name: `n${i}` });
    }
    expect(prepares() - before).toBe(1);
  });

  it('evicts the least recently used statement beyond its capacity', async () => {
    const { db, prepares } = open(2);
    const q = (n: number) => sql`select ${sql.lit(n)} as n`.execute(db);
    await q(1);
    await q(2);
    await q(1); // 1 is now the most recent; 2 is the oldest
    await q(3); // evicts 2
    const before = prepares();
    await q(1);
    expect(prepares()).toBe(before);
    await q(2);
    expect(prepares()).toBe(before + 1);
  });

  it('hands out a fresh statement while the cached one is still iterating', () => {
    const raw = new SQLite(':memory:');
    const cached = withStatementCache(raw);
    try {
      raw.exec('create table item (id integer primary key); insert into item values (1), (2), (3);');
      const text = 'select id from item order by id';
      const first = cached.prepare(text);
      const iterator = first.iterate([]);
      iterator.next();
      const second = cached.prepare(text);
      expect(second).not.toBe(first);
      iterator.return?.();
      expect(cached.prepare(text)).toBe(first);
    } finally {
      cached.close();
    }
  });
});
