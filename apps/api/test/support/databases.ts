import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import type { Config } from '../../src/config/config';
import type { Databases } from '../../src/container';
import { closeDatabases, migrateAll, openDatabases } from '../../src/db/open-databases';

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
 * dropped afterwards. Each call leaves a marker so the run can report which dialects ran.
 */
export async function freshDatabases(dialect: TestDialect, migrate = true): Promise<FreshDatabases> {
  const marker = inject('dialectMarkerDir');
  writeFileSync(join(marker, `${process.pid}-${Math.random().toString(36).slice(2)}`), dialect);
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'carebook-test-'));
    const url = `sqlite:${join(dir, 'test.db')}`;
    const dbs = openDatabases(dbConfig(url));
    if (migrate) await migrateAll(dbs);
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
  const admin = await createConnection({ uri: serverUrl });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const url = withDatabase(serverUrl, name);
  const dbs = openDatabases(dbConfig(url));
  if (migrate) await migrateAll(dbs);
  return {
    dialect,
    url,
    dbs,
    drop: async () => {
      await closeDatabases(dbs);
      const conn = await createConnection({ uri: serverUrl });
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await conn.end();
    },
  };
}

export function withDatabase(serverUrl: string, database: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

function dbConfig(url: string): Config {
  // The relays' own pool as configured by default (DB_RELAY_POOL_SIZE); SQLite opens none.
  const db = { url, poolSize: 10, relayPoolSize: 2 };
  return { databases: { inventory: db, bookings: db } } as Config;
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
