import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import type { Databases } from '../../src/container';
import { closeDatabases, migrateAll, openDatabases } from '../../src/db/open-databases';
import { copyMariadbTemplate, currentMonth } from './mariadb-template';
import { connectMysql } from './mysql-connect';
import { dbConfig, withDatabase } from './test-database-config';

export type TestDialect = 'sqlite' | 'mariadb';

export interface FreshDatabases {
  dialect: TestDialect;
  url: string;
  dbs: Databases;
  /** Closes the handles and removes the database. */
  drop(): Promise<void>;
}

/**
 * A brand-new, migrated database: a temporary SQLite file, or a new MariaDB schema that is
 * dropped afterwards. Migrated means copied from the run's template (database-templates.ts),
 * which is what migrating gives (database-template.test.ts compares them); `migrate = false`
 * gives an empty one, for tests that run the migrations themselves. Each call leaves a marker
 * so the run can report which dialects ran.
 */
export async function freshDatabases(dialect: TestDialect, migrate = true): Promise<FreshDatabases> {
  const template = migrate ? usableTemplate(dialect) : false;
  const fresh = await newDatabases(dialect, template);
  if (migrate && !template) await migrateAll(fresh.dbs);
  return fresh;
}

/** A fresh database copied from the run's template, never migrated (database-template.test.ts). */
export async function templatedDatabases(dialect: TestDialect): Promise<FreshDatabases> {
  if (!usableTemplate(dialect)) throw new Error(`no usable ${dialect} template in this run`);
  return newDatabases(dialect, true);
}

/** A template there is; MariaDB's only in the month it was migrated in (its history partitions start there). */
function usableTemplate(dialect: TestDialect): boolean {
  const templates = inject('databaseTemplates');
  if (dialect === 'sqlite') return templates.sqlite !== '';
  return templates.mariadb !== null && templates.month === currentMonth();
}

async function newDatabases(dialect: TestDialect, fromTemplate: boolean): Promise<FreshDatabases> {
  const marker = inject('dialectMarkerDir');
  writeFileSync(join(marker, `${process.pid}-${Math.random().toString(36).slice(2)}`), dialect);
  const templates = inject('databaseTemplates');
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'carebook-test-'));
    const file = join(dir, 'test.db');
    if (fromTemplate) copyFileSync(templates.sqlite, file);
    const url = `sqlite:${file}`;
    const dbs = openDatabases(dbConfig(url));
    return {
      dialect,
      url,
      dbs,
      drop: async () => {
        await closeDatabases(dbs);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const serverUrl = inject('mysqlUrl');
  if (!serverUrl) throw new Error('MariaDB is not reachable; this suite should have been skipped');
  const name = `cb_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  if (fromTemplate && templates.mariadb) await copyMariadbTemplate(serverUrl, templates.mariadb, name);
  else {
    const admin = await connectMysql({ uri: serverUrl });
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    await admin.end();
  }
  const url = withDatabase(serverUrl, name);
  const dbs = openDatabases(dbConfig(url));
  return {
    dialect,
    url,
    dbs,
    drop: async () => {
      await closeDatabases(dbs);
      const conn = await connectMysql({ uri: serverUrl });
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await conn.end();
    },
  };
}

export const mariadbAvailable = (): boolean => inject('mysqlUrl') !== '';

/**
 * Runs a suite once per dialect, each with its own fresh database for the file. The MariaDB run
 * is skipped only when the global setup found MariaDB unreachable (never with CI=true).
 */
export function describeEachDialect(title: string, body: (ctx: () => FreshDatabases) => void): void {
  for (const dialect of ['sqlite', 'mariadb'] as const) {
    describe.skipIf(dialect === 'mariadb' && !mariadbAvailable())(`${title} [${dialect}]`, () => {
      let current: FreshDatabases | undefined;
      beforeAll(async () => {
        current = await freshDatabases(dialect);
      });
      afterAll(async () => {
        await current?.drop();
      });
      body(() => {
        if (!current) throw new Error('database not ready');
        return current;
      });
    });
  }
}
