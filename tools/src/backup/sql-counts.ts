import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';

/** Rows per table of an open database (Kysely introspection: SQLite and MySQL alike). */
export async function rowCounts(db: Kysely<unknown>): Promise<Record<string, number>> {
  const tables = (await db.introspection.getTables()).filter((t) => !t.isView).map((t) => t.name);
  const counts: Record<string, number> = {};
  for (const name of tables.sort()) {
    const r = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(name)}`.execute(db);
    counts[name] = Number(r.rows[0]?.n ?? 0);
  }
  return counts;
}

/**
 * Rows per table per schema inside a dump made with one INSERT per row
 * (`--skip-extended-insert`): the counts of exactly the snapshot that was dumped.
 */
export async function dumpRowCounts(file: string): Promise<Record<string, Record<string, number>>> {
  const counts: Record<string, Record<string, number>> = {};
  let schema = '';
  const ofSchema = () => {
    const existing = counts[schema];
    if (existing) return existing;
    const created: Record<string, number> = {};
    counts[schema] = created;
    return created;
  };
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    const use = /^USE `((?:[^`]|``)+)`;$/.exec(line);
    if (use) {
      schema = (use[1] as string).replaceAll('``', '`');
      ofSchema();
      continue;
    }
    const create = /^CREATE TABLE `((?:[^`]|``)+)`/.exec(line);
    if (create) {
      const table = (create[1] as string).replaceAll('``', '`');
      const s = ofSchema();
      s[table] = s[table] ?? 0;
      continue;
    }
    const insert = /^INSERT INTO `((?:[^`]|``)+)` VALUES /.exec(line);
    if (insert) {
      const table = (insert[1] as string).replaceAll('``', '`');
      const s = ofSchema();
      s[table] = (s[table] ?? 0) + 1;
    }
  }
  return counts;
}
