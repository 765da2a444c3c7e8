import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const MANIFEST_FILE = 'manifest.json';
export const FORMAT = 'carebook-backup/1';

export interface BackupFile {
  /** Relative to the backup directory. */
  path: string;
  sha256: string;
  bytes: number;
}

/** Where a MariaDB/MySQL dump was taken in the server's binary log: replay from here for PITR. */
export interface BinlogPosition {
  file: string;
  position: number;
  /** MariaDB GTID position at the dump, when the server reports one. */
  gtid?: string;
}

export interface DatabaseBackup {
  /** `inventory` and `bookings`; `sameAs` when both logical databases are one database. */
  name: 'inventory' | 'bookings';
  dialect: 'sqlite' | 'mysql';
  sameAs?: 'inventory';
  file?: BackupFile;
  /** The schema name in the dump (MySQL), so restore can map it to another name. */
  schema?: string;
  /** Rows per table at the moment of the backup. */
  rowCounts: Record<string, number>;
  /** MySQL only; null when binary logging is off (no point-in-time recovery then). */
  binlog?: BinlogPosition | null;
}

export interface BlobEntry extends BackupFile {
  key: string;
  contentType: string;
  cacheControl?: string;
  visibility: 'public' | 'private';
}

export interface Manifest {
  format: typeof FORMAT;
  createdAt: string;
  databases: DatabaseBackup[];
  blobs: BlobEntry[];
  /** Keys the database refers to that the blob store did not have at backup time. */
  missingBlobs: string[];
}

export async function sha256File(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path)) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), bytes };
}

export const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

export async function describeFile(dir: string, path: string): Promise<BackupFile> {
  return { path, ...(await sha256File(join(dir, path))) };
}

export async function writeManifest(dir: string, manifest: Manifest): Promise<void> {
  await writeFile(join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}

export async function readManifest(dir: string): Promise<Manifest> {
  const manifest = JSON.parse(await readFile(join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
  if (manifest.format !== FORMAT)
    throw new Error(`not a Carebook backup (format ${String(manifest.format)})`);
  return manifest;
}

/** Every file the manifest names, checked against its checksum; returns the mismatches. */
export async function verifyChecksums(dir: string, manifest: Manifest): Promise<string[]> {
  const files = [...manifest.databases.flatMap((d) => (d.file ? [d.file] : [])), ...manifest.blobs];
  const bad: string[] = [];
  for (const f of files) {
    const actual = await sha256File(join(dir, f.path)).catch(() => null);
    if (!actual || actual.sha256 !== f.sha256 || actual.bytes !== f.bytes) bad.push(f.path);
  }
  return bad;
}
