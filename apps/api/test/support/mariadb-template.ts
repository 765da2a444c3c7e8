import type { Connection, RowDataPacket } from 'mysql2/promise';
import { monthStart } from '../../src/db/partitions/monthly';
import { connectMysql } from './mysql-connect';

/** The UTC month now: a migrated schema's history partitions start at the month it was migrated in. */
export const currentMonth = () => monthStart(new Date()).toISOString();

/** A stored routine or trigger as SHOW CREATE reports it, with the session it was created under. */
interface StoredObject {
  create: string;
  sqlMode: string;
  characterSetClient: string;
  collationConnection: string;
}

/**
 * What a migrated MariaDB schema is made of, read back once per run (global-setup.ts) so that a
 * test schema is recreated from it instead of migrated: every table as SHOW CREATE TABLE prints
 * it (columns, keys, foreign keys, checks, partitions, options), the rows the migrations left
 * (their bookkeeping, `audit_chain_head`), stored routines (`carebook_bucket`) and triggers with
 * the sql_mode and character sets they were created under.
 */
export interface MariadbTemplate {
  schema: string;
  charset: string;
  collation: string;
  tables: { name: string; create: string }[];
  /** Tables the migrations left rows in, copied row for row. */
  filled: string[];
  routines: StoredObject[];
  /** In the order they fire (table, timing, event, ACTION_ORDER). */
  triggers: StoredObject[];
}

const q = (name: string) => `\`${name.replaceAll('`', '``')}\``;

/** Reads the recipe of `schema`, a freshly migrated schema on the server `admin` is connected to. */
export async function readMariadbTemplate(admin: Connection, schema: string): Promise<MariadbTemplate> {
  const [[info]] = await admin.query<RowDataPacket[]>(
    'SELECT default_character_set_name AS charset, default_collation_name AS collation FROM information_schema.schemata WHERE schema_name = ?',
    [schema],
  );
  if (!info) throw new Error(`no schema ${schema}`);
  const [others] = await admin.query<RowDataPacket[]>(
    `SELECT CONCAT(table_type, ' ', table_name) AS what FROM information_schema.tables WHERE table_schema = ? AND table_type <> 'BASE TABLE'
     UNION ALL SELECT CONCAT('EVENT ', event_name) FROM information_schema.events WHERE event_schema = ?`,
    [schema, schema],
  );
  if (others.length > 0)
    throw new Error(
      `the migrations made ${others.map((o) => o.what).join(', ')}: test/support/mariadb-template.ts copies tables, routines and triggers only`,
    );
  const [names] = await admin.query<RowDataPacket[]>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE' ORDER BY table_name",
    [schema],
  );
  const tables: MariadbTemplate['tables'] = [];
  const filled: string[] = [];
  for (const { name } of names as { name: string }[]) {
    const [[created]] = await admin.query<RowDataPacket[]>(`SHOW CREATE TABLE ${q(schema)}.${q(name)}`);
    tables.push({ name, create: String(created?.['Create Table']) });
    const [rows] = await admin.query<RowDataPacket[]>(`SELECT 1 FROM ${q(schema)}.${q(name)} LIMIT 1`);
    if (rows.length > 0) filled.push(name);
  }
  const [routineNames] = await admin.query<RowDataPacket[]>(
    'SELECT routine_name AS name, routine_type AS type FROM information_schema.routines WHERE routine_schema = ? ORDER BY created, routine_name',
    [schema],
  );
  const routines: StoredObject[] = [];
  for (const { name, type } of routineNames as { name: string; type: 'FUNCTION' | 'PROCEDURE' }[]) {
    const [[shown]] = await admin.query<RowDataPacket[]>(`SHOW CREATE ${type} ${q(schema)}.${q(name)}`);
    routines.push(storedObject(shown, type === 'FUNCTION' ? 'Create Function' : 'Create Procedure'));
  }
  const [triggerNames] = await admin.query<RowDataPacket[]>(
    `SELECT trigger_name AS name FROM information_schema.triggers WHERE trigger_schema = ?
     ORDER BY event_object_table, action_timing, event_manipulation, action_order`,
    [schema],
  );
  const triggers: StoredObject[] = [];
  for (const { name } of triggerNames as { name: string }[]) {
    const [[shown]] = await admin.query<RowDataPacket[]>(`SHOW CREATE TRIGGER ${q(schema)}.${q(name)}`);
    triggers.push(storedObject(shown, 'SQL Original Statement'));
  }
  const template = {
    schema,
    charset: info.charset,
    collation: info.collation,
    tables,
    filled,
    routines,
    triggers,
  };
  const statements = [
    ...tables.map((t) => t.create),
    ...routines.map((r) => r.create),
    ...triggers.map((t) => t.create),
  ];
  const qualified = statements.find((s) => s.includes(schema));
  if (qualified)
    throw new Error(
      `a statement names the template schema itself, so it cannot be replayed elsewhere: ${qualified}`,
    );
  return template;
}

function storedObject(shown: RowDataPacket | undefined, column: string): StoredObject {
  if (!shown?.[column]) throw new Error(`SHOW CREATE gave no ${column}`);
  return {
    create: String(shown[column]),
    sqlMode: String(shown.sql_mode),
    characterSetClient: String(shown.character_set_client),
    collationConnection: String(shown.collation_connection),
  };
}

/** Connections the tables are created over: CREATE TABLE waits on the disk, so a few at once go faster. */
const LANES = 4;

/**
 * Makes `name` on the server at `serverUrl` (a URL without TLS parameters, as the tests use) a
 * copy of the template: the same schema the migrations make, without running them.
 */
export async function copyMariadbTemplate(
  serverUrl: string,
  template: MariadbTemplate,
  name: string,
): Promise<void> {
  const admin = await connectMysql({ uri: serverUrl });
  try {
    await admin.query(
      `CREATE DATABASE ${q(name)} CHARACTER SET ${template.charset} COLLATE ${template.collation}`,
    );
  } finally {
    await admin.end();
  }
  try {
    await recreate(serverUrl, template, name);
  } catch (e) {
    const cleanup = await connectMysql({ uri: serverUrl });
    await cleanup.query(`DROP DATABASE IF EXISTS ${q(name)}`).finally(() => cleanup.end());
    throw e;
  }
}

async function recreate(serverUrl: string, template: MariadbTemplate, name: string): Promise<void> {
  const lanes = await Promise.all(
    Array.from({ length: LANES }, () => connectMysql({ uri: serverUrl, database: name })),
  );
  try {
    // A foreign key may name a table made later or on another lane: not checked while they are made.
    await Promise.all(lanes.map((c) => c.query('SET SESSION foreign_key_checks = 0')));
    await Promise.all(
      lanes.map(async (c, lane) => {
        for (const [i, table] of template.tables.entries())
          if (i % LANES === lane) await c.query(table.create);
      }),
    );
    const [first] = lanes as [Connection, ...Connection[]];
    // Rows before triggers: they are copied as the migrations left them, no trigger fires.
    for (const table of template.filled)
      await first.query(`INSERT INTO ${q(table)} SELECT * FROM ${q(template.schema)}.${q(table)}`);
    for (const o of [...template.routines, ...template.triggers]) {
      await first.query('SET SESSION sql_mode = ?, character_set_client = ?, collation_connection = ?', [
        o.sqlMode,
        o.characterSetClient,
        o.collationConnection,
      ]);
      await first.query(o.create);
    }
  } finally {
    await Promise.all(lanes.map((c) => c.end()));
  }
}
