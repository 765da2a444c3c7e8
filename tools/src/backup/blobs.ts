import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Kysely } from 'kysely';
import type { InventoryDatabase } from '../../../apps/api/src/db/schema';
import { type BlobStore, isValidBlobKey } from '../../../apps/api/src/ports/blob-store';
import { type BlobEntry, sha256 } from './manifest';

/** Every string inside a JSON value (photo variants, document records…). */
function* strings(value: unknown): Generator<string> {
  if (typeof value === 'string') yield value;
  else if (Array.isArray(value)) for (const v of value) yield* strings(v);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) yield* strings(v);
}

/**
 * The blob keys the inventory database refers to: every photo variant and document of every
 * listing. These are what a restore needs; objects nothing refers to (abandoned uploads) are not
 * copied. Keys are read through the port, so it works the same on local files and on S3.
 */
export async function referencedBlobKeys(db: Kysely<InventoryDatabase>): Promise<string[]> {
  const keys = new Set<string>();
  let after = '';
  for (;;) {
    const rows = await db
      .selectFrom('providers')
      .select(['id', 'photos', 'documents'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(500)
      .execute();
    for (const r of rows)
      for (const s of [...strings(JSON.parse(r.photos)), ...strings(JSON.parse(r.documents))])
        if (s.includes('/') && isValidBlobKey(s)) keys.add(s);
    const last = rows.at(-1);
    if (!last || rows.length < 500) break;
    after = last.id;
  }
  return [...keys].sort();
}

/** Copies the objects out of the store into `dir/blobs/<key>`, with their metadata for the manifest. */
export async function copyBlobsOut(
  store: BlobStore,
  keys: readonly string[],
  dir: string,
): Promise<{ blobs: BlobEntry[]; missing: string[] }> {
  const blobs: BlobEntry[] = [];
  const missing: string[] = [];
  for (const key of keys) {
    const blob = await store.get(key);
    if (!blob) {
      missing.push(key);
      continue;
    }
    const path = join('blobs', key);
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), blob.body);
    blobs.push({
      key,
      path,
      sha256: sha256(blob.body),
      bytes: blob.body.length,
      contentType: blob.contentType,
      ...(blob.cacheControl ? { cacheControl: blob.cacheControl } : {}),
      visibility: blob.visibility,
    });
  }
  return { blobs, missing };
}

/** Puts the backed-up objects into `store` with the metadata they had; re-reads each to check it. */
export async function copyBlobsIn(store: BlobStore, blobs: readonly BlobEntry[], dir: string): Promise<void> {
  for (const b of blobs) {
    const body = await readFile(join(dir, b.path));
    if (sha256(body) !== b.sha256) throw new Error(`blob ${b.key}: checksum mismatch in the backup`);
    await store.put(b.key, body, {
      contentType: b.contentType,
      visibility: b.visibility,
      ...(b.cacheControl ? { cacheControl: b.cacheControl } : {}),
    });
    const back = await store.get(b.key);
    if (!back || sha256(back.body) !== b.sha256) throw new Error(`blob ${b.key}: not restored intact`);
  }
}
