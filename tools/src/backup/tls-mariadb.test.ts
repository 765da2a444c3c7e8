/// <reference path="../../../apps/api/test/provided-context.d.ts" />
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../apps/api/src/db/database';
import { closeDatabases, migrateAll, openDatabases } from '../../../apps/api/src/db/open-databases';
import { testConfig } from '../../../apps/api/test/support/app';
import { makeTestCa, type TestCa, TlsMariaDb } from '../../../apps/api/test/support/tls-servers';
import { runBackup, runRestore } from './run';

/**
 * MariaDB over TLS, against a server of this test's own started with a CA made here (never the
 * shared server): the app's pool verifies the certificate (ssl-mode/ssl-ca in DATABASE_URL),
 * refuses a server its CA did not sign, and a TLS-only account cannot be reached without TLS. The
 * backup and restore tools use the same URL parameters, and with binary logging on the backup
 * records the binlog position for point-in-time recovery.
 */
describe('MariaDB over TLS', () => {
  let dir: string;
  let ca: TestCa;
  let other: TestCa;
  let server: TlsMariaDb;
  const db = (url: string) =>
    openDatabase<unknown>({ url, poolSize: 2, poolIdleTimeoutMs: 1000, connectTimeoutMs: 5000 });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'carebook-tls-'));
    ca = makeTestCa(join(dir, 'ca'));
    other = makeTestCa(join(dir, 'other-ca'), 'Some Other CA');
    server = await TlsMariaDb.start(dir, ca);
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('connects with the certificate verified (VERIFY_IDENTITY) and the session is encrypted', async () => {
    const handle = db(server.url(undefined, `?ssl-mode=VERIFY_IDENTITY&ssl-ca=${ca.ca}`));
    try {
      const r = await sql<{ Value: string }>`show session status like 'Ssl_cipher'`.execute(handle.db);
      expect(r.rows[0]?.Value).toMatch(/\w/);
    } finally {
      await handle.close();
    }
  });

  it('refuses a server certificate its CA did not sign', async () => {
    const handle = db(server.url(undefined, `?ssl-mode=VERIFY_CA&ssl-ca=${other.ca}`));
    try {
      await expect(sql`select 1`.execute(handle.db)).rejects.toThrow(/certificate|self.signed|verify/i);
    } finally {
      await handle.close();
    }
  });

  it('cannot reach a TLS-only account without TLS', async () => {
    const handle = db(server.url());
    try {
      await expect(sql`select 1`.execute(handle.db)).rejects.toThrow(/Access denied/);
    } finally {
      await handle.close();
    }
  });

  it('migrates, backs up with the binlog position and restores, all over verified TLS', async () => {
    const tls = `?ssl-mode=VERIFY_IDENTITY&ssl-ca=${ca.ca}`;
    const config = testConfig({
      DATABASE_URL: server.url(server.database, tls),
      BLOB_DIR: join(dir, 'blobs'),
    });
    const dbs = openDatabases(config);
    try {
      await migrateAll(dbs);
    } finally {
      await closeDatabases(dbs);
    }
    const { manifest, dir: backupDir } = await runBackup(config, join(dir, 'backups'));
    const inventory = manifest.databases.find((d) => d.name === 'inventory');
    expect(inventory?.binlog?.file).toMatch(/^mysql-bin\.\d+$/);
    expect(inventory?.binlog?.position).toBeGreaterThan(0);
    expect(Object.keys(inventory?.rowCounts ?? {})).toContain('providers');

    const target = testConfig({
      DATABASE_URL: server.url('tls_restored', tls),
      BLOB_DIR: join(dir, 'restored'),
    });
    const report = await runRestore(target, backupDir);
    expect(report.rowCounts.inventory).toEqual(inventory?.rowCounts);
  });
});
