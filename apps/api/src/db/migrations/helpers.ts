import { type CreateTableBuilder, type Kysely, MysqlAdapter, sql } from 'kysely';

export type MigrationDb = Kysely<unknown>;

export const isMysql = (db: MigrationDb) => db.getExecutor().adapter instanceof MysqlAdapter;

/** Table options every MySQL table gets: InnoDB, utf8mb4, case-sensitive binary-safe collation. */
export function tableOptions<T extends string, C extends string>(
  db: MigrationDb,
  builder: CreateTableBuilder<T, C>,
): CreateTableBuilder<T, C> {
  return isMysql(db)
    ? builder.modifyEnd(sql`engine=InnoDB default charset=utf8mb4 collate=utf8mb4_unicode_ci`)
    : builder;
}

/** Column type for a fixed-width UTC ISO 8601 instant, e.g. 2026-11-24T20:00:00.000Z. */
export const instant = 'char(24)' as const;
export const uuid = 'char(36)' as const;
