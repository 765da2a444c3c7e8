import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { closeDatabases, migrateAll, openDatabases } from '../../src/db/open-databases';
import { currentMonth, type MariadbTemplate, readMariadbTemplate } from './mariadb-template';
import { connectMysql } from './mysql-connect';
import { dbConfig, withDatabase } from './test-database-config';

/**
 * Databases migrated once per run (global-setup.ts), which each test's fresh database is copied
 * from instead of being migrated again (test/support/databases.ts).
 */
export interface DatabaseTemplates {
  /** A migrated SQLite file, checkpointed and closed: its copy is a migrated database ('' = none). */
  sqlite: string;
  /** The migrated MariaDB schema's recipe, or null when MariaDB is unreachable. */
  mariadb: MariadbTemplate | null;
  /**
   * The UTC month the MariaDB template was migrated in: the history tables' first partitions
   * are that month's (20261207T0600-partitioned-history), so in another month a test migrates.
   */
  month: string;
}

/** No templates (a run that opens no database): fresh databases are migrated. */
export const NO_TEMPLATES: DatabaseTemplates = { sqlite: '', mariadb: null, month: '' };

export async function buildDatabaseTemplates(
  mysqlUrl: string,
): Promise<{ templates: DatabaseTemplates; drop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'carebook-template-'));
  const sqlite = join(dir, 'template.db');
  const dbs = openDatabases(dbConfig(`sqlite:${sqlite}`));
  await migrateAll(dbs);
  await sql`PRAGMA wal_checkpoint(TRUNCATE)`.execute(dbs.inventory.db);
  await closeDatabases(dbs);
  if (existsSync(`${sqlite}-wal`) && statSync(`${sqlite}-wal`).size > 0)
    throw new Error(`the SQLite template left a write-ahead log behind (${sqlite}-wal)`);
  const dropSqlite = () => rmSync(dir, { recursive: true, force: true });
  if (!mysqlUrl) return { templates: { sqlite, mariadb: null, month: '' }, drop: async () => dropSqlite() };

  try {
    const { mariadb, month } = await migratedMariadbTemplate(mysqlUrl);
    return {
      templates: { sqlite, mariadb, month },
      drop: async () => {
        dropSqlite();
        await dropSchema(mysqlUrl, mariadb.schema);
      },
    };
  } catch (e) {
    dropSqlite();
    throw e;
  }
}

async function migratedMariadbTemplate(
  mysqlUrl: string,
): Promise<{ mariadb: MariadbTemplate; month: string }> {
  for (;;) {
    const month = currentMonth();
    const schema = `cb_template_${process.pid}_${Date.now().toString(36)}`;
    const admin = await connectMysql({ uri: mysqlUrl });
    try {
      await admin.query(`CREATE DATABASE \`${schema}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
      const dbs = openDatabases(dbConfig(withDatabase(mysqlUrl, schema)));
      try {
        await migrateAll(dbs);
      } finally {
        await closeDatabases(dbs);
      }
      // Migrated across the turn of a month: which month's partitions it has is unclear, again.
      if (currentMonth() === month) return { mariadb: await readMariadbTemplate(admin, schema), month };
      await admin.query(`DROP DATABASE \`${schema}\``);
    } catch (e) {
      await admin.query(`DROP DATABASE IF EXISTS \`${schema}\``);
      throw e;
    } finally {
      await admin.end();
    }
  }
}

async function dropSchema(mysqlUrl: string, schema: string): Promise<void> {
  const admin = await connectMysql({ uri: mysqlUrl });
  try {
    await admin.query(`DROP DATABASE IF EXISTS \`${schema}\``);
  } finally {
    await admin.end();
  }
}
