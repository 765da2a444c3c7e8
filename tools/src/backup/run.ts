import { copyFile, mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import { LocalFsBlobStore } from '../../../apps/api/src/adapters/blob-store/local-fs';
import { S3BlobStore } from '../../../apps/api/src/adapters/blob-store/s3';
import type { Config } from '../../../apps/api/src/config/config';
import { openDatabase, sameDatabase } from '../../../apps/api/src/db/database';
import { closeDatabases, openDatabases } from '../../../apps/api/src/db/open-databases';
import type { BlobStore } from '../../../apps/api/src/ports/blob-store';
import { copyBlobsIn, copyBlobsOut, referencedBlobKeys } from './blobs';
import {
  type DatabaseBackup,
  describeFile,
  FORMAT,
  type Manifest,
  readManifest,
  verifyChecksums,
  writeManifest,
} from './manifest';
import { dumpMysql, mysqlTarget, restoreMysql, sameServer } from './mysql-dump';
import { dumpRowCounts, rowCounts } from './sql-counts';

type Logical = 'inventory' | 'bookings';
const LOGICAL: Logical[] = ['inventory', 'bookings'];

export function blobStoreOf(config: Config): BlobStore {
  const b = config.blobs;
  if (b.kind === 'local') return new LocalFsBlobStore({ root: b.root });
  return new S3BlobStore({
    bucket: b.bucket,
    region: b.region,
    forcePathStyle: b.forcePathStyle,
    ...(b.endpoint ? { endpoint: b.endpoint } : {}),
  });
}

const sqliteFile = (url: string) => url.slice('sqlite:'.length);

async function queryOne(url: string, query: string): Promise<number> {
  const handle = openDatabase<unknown>({
    url,
    poolSize: 1,
    poolIdleTimeoutMs: 1000,
    connectTimeoutMs: 10_000,
  });
  try {
    const r = await sql<{ n: number | string }>`${sql.raw(query)}`.execute(handle.db);
    return Number(r.rows[0]?.n ?? 0);
  } finally {
    await handle.close();
  }
}

const binlogEnabled = async (url: string) => (await queryOne(url, 'select @@log_bin as n')) === 1;

/**
 * `npm run backup`: both logical databases (SQLite through the online backup API; MySQL/MariaDB
 * as one consistent `--single-transaction` dump with its binlog position), every blob the
 * listings refer to (through the blob-store port, so local files and S3 alike) and a manifest
 * with sha256 checksums and row counts. Writes a new directory under `outDir`; returns it.
 */
export async function runBackup(
  config: Config,
  outDir: string,
  options: { blobStore?: BlobStore; log?: (line: string) => void } = {},
): Promise<{ dir: string; manifest: Manifest }> {
  const log = options.log ?? (() => undefined);
  const createdAt = new Date().toISOString();
  const dir = join(outDir, `carebook-backup-${createdAt.replace(/[:.]/g, '-')}`);
  await mkdir(dir, { recursive: true });
  const { inventory: inv, bookings: book } = config.databases;
  const shared = sameDatabase(inv, book);
  const databases: DatabaseBackup[] = [];

  if (inv.url.startsWith('sqlite:') || book.url.startsWith('sqlite:')) {
    for (const name of LOGICAL) {
      if (name === 'bookings' && shared) {
        databases.push({ name, dialect: 'sqlite', sameAs: 'inventory', rowCounts: {} });
        continue;
      }
      const url = config.databases[name].url;
      if (!url.startsWith('sqlite:')) throw new Error('mixed SQLite and MySQL databases are not supported');
      const path = `${name}.sqlite`;
      const source = new SQLite(sqliteFile(url), { fileMustExist: true });
      try {
        // The online backup API: a consistent copy while the app keeps writing.
        await source.backup(join(dir, path));
      } finally {
        source.close();
      }
      const copy = openDatabase<unknown>({
        url: `sqlite:${join(dir, path)}`,
        poolSize: 1,
        poolIdleTimeoutMs: 1000,
        connectTimeoutMs: 1000,
      });
      const counts = await rowCounts(copy.db).finally(() => copy.close());
      // Opening the copy in WAL mode left nothing outside the main file once closed.
      databases.push({ name, dialect: 'sqlite', file: await describeFile(dir, path), rowCounts: counts });
      log(`${name}: SQLite online backup → ${path}`);
    }
  } else {
    const targets = { inventory: mysqlTarget(inv.url), bookings: mysqlTarget(book.url) };
    const binlog = await binlogEnabled(inv.url);
    if (!binlog) log('binary logging is off on the server: no point-in-time recovery from this backup');
    // One snapshot for both schemas when they live on one server; otherwise one dump each.
    const groups: Logical[][] =
      shared || targets.inventory.database === targets.bookings.database
        ? [['inventory']]
        : sameServer(targets.inventory, targets.bookings)
          ? [['inventory', 'bookings']]
          : [['inventory'], ['bookings']];
    for (const group of groups) {
      const first = group[0] as Logical;
      const path = `${group.join('+')}.sql`;
      const position = await dumpMysql(
        targets[first],
        group.map((g) => targets[g].database),
        join(dir, path),
        binlog,
      );
      const counts = await dumpRowCounts(join(dir, path));
      const file = await describeFile(dir, path);
      for (const name of group)
        databases.push({
          name,
          dialect: 'mysql',
          schema: targets[name].database,
          ...(name === first ? { file } : {}),
          rowCounts: counts[targets[name].database] ?? {},
          binlog: position,
        });
      log(
        `${group.join(' + ')}: consistent dump → ${path}${position ? ` (binlog ${position.file}:${position.position})` : ''}`,
      );
    }
    if (!databases.some((d) => d.name === 'bookings'))
      databases.push({ name: 'bookings', dialect: 'mysql', sameAs: 'inventory', rowCounts: {} });
  }

  const store = options.blobStore ?? blobStoreOf(config);
  const dbs = openDatabases(config);
  const keys = await referencedBlobKeys(dbs.inventory.db).finally(() => closeDatabases(dbs));
  const { blobs, missing } = await copyBlobsOut(store, keys, dir);
  log(
    `blobs: ${blobs.length} copied${missing.length > 0 ? `, ${missing.length} referenced but missing` : ''}`,
  );
  const manifest: Manifest = { format: FORMAT, createdAt, databases, blobs, missingBlobs: missing };
  await writeManifest(dir, manifest);
  return { dir, manifest };
}

export interface RestoreReport {
  restored: Logical[];
  rowCounts: Record<Logical, Record<string, number>>;
  blobs: number;
}

async function sqliteIsEmpty(file: string): Promise<boolean> {
  if (!(await stat(file).catch(() => null))) return true;
  const db = new SQLite(file, { readonly: true });
  try {
    const r = db.prepare("select count(*) as n from sqlite_master where type = 'table'").get() as {
      n: number;
    };
    return r.n === 0;
  } finally {
    db.close();
  }
}

const mysqlIsEmpty = async (url: string) =>
  (await queryOne(
    url,
    'select count(*) as n from information_schema.tables where table_schema = database()',
  )) === 0;

/**
 * `npm run restore`: checks every checksum first (nothing is touched if one fails), loads the
 * databases into the configured (empty, unless `force`) databases, puts the blobs back through the
 * blob-store port, then compares every table's row count with the manifest.
 */
export async function runRestore(
  config: Config,
  dir: string,
  options: { force?: boolean; blobStore?: BlobStore; log?: (line: string) => void } = {},
): Promise<RestoreReport> {
  const log = options.log ?? (() => undefined);
  const manifest = await readManifest(dir);
  const bad = await verifyChecksums(dir, manifest);
  if (bad.length > 0) throw new Error(`backup damaged: checksum mismatch for ${bad.join(', ')}`);
  const byName = (n: Logical) => manifest.databases.find((d) => d.name === n);
  const restored: Logical[] = [];
  const { inventory: inv, bookings: book } = config.databases;
  const targetShared = sameDatabase(inv, book);
  const backupShared = byName('bookings')?.sameAs === 'inventory';
  if (targetShared !== backupShared)
    throw new Error(
      backupShared
        ? 'the backup holds one database for both inventory and bookings; configure one DATABASE_URL to restore it'
        : 'the backup holds separate inventory and bookings databases; configure INVENTORY_DATABASE_URL and BOOKING_DATABASE_URL',
    );

  for (const name of LOGICAL) {
    const entry = byName(name);
    if (!entry) throw new Error(`the manifest has no ${name} database`);
    if (entry.sameAs) continue;
    const url = config.databases[name].url;
    if (entry.dialect === 'sqlite') {
      if (!url.startsWith('sqlite:')) throw new Error(`${name}: a SQLite backup restores into a sqlite: URL`);
      const file = sqliteFile(url);
      if (!options.force && !(await sqliteIsEmpty(file)))
        throw new Error(`${name}: ${file} is not empty (restore into a fresh database, or pass --force)`);
      await Promise.all(['', '-wal', '-shm'].map((s) => rm(`${file}${s}`, { force: true })));
      await copyFile(join(dir, entry.file?.path as string), file);
    } else {
      if (!url.startsWith('mysql://'))
        throw new Error(`${name}: a MySQL backup restores into a mysql:// URL`);
      const names = LOGICAL.filter(
        (n) => byName(n)?.file?.path === entry.file?.path || (n === name && entry.file),
      );
      for (const n of names)
        if (!options.force && !(await mysqlIsEmpty(config.databases[n].url)))
          throw new Error(
            `${n}: the target database is not empty (restore into a fresh database, or pass --force)`,
          );
      const mapping: Record<string, string> = {};
      for (const n of LOGICAL) {
        const e = byName(n);
        if (e?.schema) mapping[e.schema] = mysqlTarget(config.databases[n].url).database;
      }
      await restoreMysql(mysqlTarget(url), join(dir, entry.file?.path as string), mapping);
    }
    restored.push(name);
    log(`${name}: restored from ${entry.file?.path}`);
  }
  // Restored databases must hold exactly what was backed up.
  const dbs = openDatabases(config);
  const counts = {} as Record<Logical, Record<string, number>>;
  try {
    for (const name of LOGICAL) {
      const entry = byName(name);
      if (!entry || entry.sameAs) continue;
      const actual = await rowCounts(dbs[name].db as never);
      counts[name] = actual;
      for (const [table, n] of Object.entries(entry.rowCounts))
        if (actual[table] !== n)
          throw new Error(
            `${name}.${table}: ${actual[table] ?? 'missing'} rows after restore, ${n} in the backup`,
          );
    }
  } finally {
    await closeDatabases(dbs);
  }
  await copyBlobsIn(options.blobStore ?? blobStoreOf(config), manifest.blobs, dir);
  log(`blobs: ${manifest.blobs.length} restored`);
  return { restored, rowCounts: counts, blobs: manifest.blobs.length };
}
