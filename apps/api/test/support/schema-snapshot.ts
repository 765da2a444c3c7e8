import { type Kysely, sql } from 'kysely';
import type { TestDialect } from './databases';

type Rows = Record<string, unknown>[];

/**
 * Everything a migrated database is made of, read from the database's own catalogue (not from
 * what made it): tables, columns, indexes, keys, constraints, partitions, triggers, stored
 * routines, and every row (the migrations' bookkeeping without its `timestamp`, the time it
 * ran). Two databases with equal snapshots are the same schema.
 */
export async function schemaSnapshot<DB>(
  db: Kysely<DB>,
  dialect: TestDialect,
): Promise<Record<string, unknown>> {
  const snapshot = dialect === 'sqlite' ? await sqliteCatalogue(db) : await mariadbCatalogue(db);
  return { ...snapshot, rows: await everyRow(db, dialect) };
}

const rows = async <DB>(db: Kysely<DB>, query: ReturnType<typeof sql>): Promise<Rows> =>
  (await query.execute(db)).rows as Rows;

async function sqliteCatalogue<DB>(db: Kysely<DB>) {
  const objects = await rows(
    db,
    sql`select type, name, tbl_name, sql from sqlite_master order by type, name`,
  );
  const tables = objects.filter((o) => o.type === 'table').map((o) => String(o.name));
  const columns: Record<string, Rows> = {};
  const indexes: Record<string, Rows> = {};
  const foreignKeys: Record<string, Rows> = {};
  for (const t of tables) {
    columns[t] = await rows(db, sql`select * from pragma_table_xinfo(${t})`);
    indexes[t] = await rows(db, sql`select * from pragma_index_list(${t}) order by name`);
    foreignKeys[t] = await rows(db, sql`select * from pragma_foreign_key_list(${t})`);
  }
  const pragmas = {
    userVersion: await rows(db, sql`pragma user_version`),
    journalMode: await rows(db, sql`pragma journal_mode`),
    encoding: await rows(db, sql`pragma encoding`),
    autoVacuum: await rows(db, sql`pragma auto_vacuum`),
  };
  return { objects, columns, indexes, foreignKeys, pragmas };
}

async function mariadbCatalogue<DB>(db: Kysely<DB>) {
  const here = sql`database()`;
  const schema = await rows(
    db,
    sql`select default_character_set_name, default_collation_name from information_schema.schemata where schema_name = ${here}`,
  );
  const tables = await rows(
    db,
    sql`select table_name, table_type, engine, row_format, table_collation, create_options, table_comment, auto_increment
        from information_schema.tables where table_schema = ${here} order by table_name`,
  );
  const columns = await rows(
    db,
    sql`select table_name, column_name, ordinal_position, column_default, is_nullable, column_type, character_set_name,
          collation_name, column_key, extra, generation_expression, column_comment
        from information_schema.columns where table_schema = ${here} order by table_name, ordinal_position`,
  );
  const indexes = await rows(
    db,
    sql`select table_name, index_name, seq_in_index, column_name, non_unique, sub_part, collation, nullable, index_type
        from information_schema.statistics where table_schema = ${here} order by table_name, index_name, seq_in_index`,
  );
  const constraints = await rows(
    db,
    sql`select tc.table_name, tc.constraint_name, tc.constraint_type, k.column_name, k.ordinal_position,
          k.referenced_table_name, k.referenced_column_name, r.update_rule, r.delete_rule, c.check_clause
        from information_schema.table_constraints tc
        left join information_schema.key_column_usage k
          on k.constraint_schema = tc.constraint_schema and k.table_name = tc.table_name and k.constraint_name = tc.constraint_name
        left join information_schema.referential_constraints r
          on r.constraint_schema = tc.constraint_schema and r.table_name = tc.table_name and r.constraint_name = tc.constraint_name
        left join information_schema.check_constraints c
          on c.constraint_schema = tc.constraint_schema and c.table_name = tc.table_name and c.constraint_name = tc.constraint_name
        where tc.constraint_schema = ${here}
        order by tc.table_name, tc.constraint_name, k.ordinal_position`,
  );
  const partitions = await rows(
    db,
    sql`select table_name, partition_name, partition_ordinal_position, partition_method, partition_expression, partition_description
        from information_schema.partitions where table_schema = ${here} and partition_name is not null
        order by table_name, partition_ordinal_position`,
  );
  const triggers = await rows(
    db,
    sql`select trigger_name, event_manipulation, event_object_table, action_order, action_statement, action_orientation,
          action_timing, sql_mode, definer, character_set_client, collation_connection, database_collation
        from information_schema.triggers where trigger_schema = ${here} order by trigger_name`,
  );
  const routines = await rows(
    db,
    sql`select routine_name, routine_type, data_type, dtd_identifier, routine_body, routine_definition, is_deterministic,
          sql_data_access, security_type, sql_mode, definer, character_set_client, collation_connection, database_collation
        from information_schema.routines where routine_schema = ${here} order by routine_name`,
  );
  const parameters = await rows(
    db,
    sql`select specific_name, ordinal_position, parameter_mode, parameter_name, dtd_identifier, character_set_name, collation_name
        from information_schema.parameters where specific_schema = ${here} order by specific_name, ordinal_position`,
  );
  const views = await rows(
    db,
    sql`select table_name, view_definition from information_schema.views where table_schema = ${here} order by table_name`,
  );
  const events = await rows(
    db,
    sql`select event_name from information_schema.events where event_schema = ${here} order by event_name`,
  );
  const created: Record<string, unknown> = {};
  for (const t of tables) {
    const name = String(t.table_name);
    created[name] = (await rows(db, sql`show create table ${sql.table(name)}`))[0]?.['Create Table'];
  }
  return {
    schema,
    tables,
    columns,
    indexes,
    constraints,
    partitions,
    triggers,
    routines,
    parameters,
    views,
    events,
    created,
  };
}

async function everyRow<DB>(db: Kysely<DB>, dialect: TestDialect): Promise<Record<string, Rows>> {
  const tables =
    dialect === 'sqlite'
      ? await rows(db, sql`select name from sqlite_master where type = 'table' order by name`)
      : await rows(
          db,
          sql`select table_name as name from information_schema.tables where table_schema = database() order by table_name`,
        );
  const out: Record<string, Rows> = {};
  for (const { name } of tables) {
    const table = String(name);
    const all = await rows(db, sql`select * from ${sql.table(table)}`);
    const bookkeeping = table.startsWith('kysely_migration_');
    out[table] = (bookkeeping ? all.map(({ timestamp: _ran, ...row }) => row) : all).sort((a, b) =>
      JSON.stringify(a).localeCompare(JSON.stringify(b)),
    );
  }
  return out;
}
