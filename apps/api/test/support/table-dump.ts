import { type Kysely, sql } from 'kysely';
import type { TestDialect } from './databases';

/** Every row of every table of the database, as text per table (erasure scans look for a person in them). */
export async function dumpAllTables<DB>(db: Kysely<DB>, dialect: TestDialect): Promise<Map<string, string>> {
  const tables =
    dialect === 'sqlite'
      ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db)).rows
      : (
          await sql<{
            name: string;
          }>`select table_name as name from information_schema.tables where table_schema = database()`.execute(
            db,
          )
        ).rows;
  const out = new Map<string, string>();
  for (const { name } of tables) {
    const rows = (await sql`select * from ${sql.table(name)}`.execute(db)).rows;
    out.set(name, JSON.stringify(rows));
  }
  return out;
}
