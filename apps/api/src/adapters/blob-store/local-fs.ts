import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import {
  assertValidBlobKey,
  type BlobInfo,
  type BlobPutOptions,
  type BlobStore,
  type StoredBlob,
} from '../../ports/blob-store';

/**
 * Blob store on the local filesystem (embedded profile).
 *
 * Key `a/b.jpg` lives in `<root>/a/b.jpg~blob` with its metadata in `<root>/a/b.jpg~meta.json`.
 * `~` can never appear in a key, so `a` and `a/b` can both exist (as on S3) and no key can
 * collide with a sidecar or a temporary file. Both files are written to a temporary name, synced
 * and renamed. The sidecar is the commit marker: `put` writes it last and `delete` removes it
 * first, so an object appears and disappears whole. While one key is being overwritten with
 * different bytes, a concurrent reader may pair the new bytes with the old metadata; media keys
 * are content-hashed, so their overwrites are byte-identical. Empty directories left by
 * `delete` are not pruned.
 */
export class LocalFsBlobStore implements BlobStore {
  private readonly root: string;

  constructor(options: { root: string }) {
    this.root = resolve(options.root);
  }

  async put(key: string, body: Buffer, options: BlobPutOptions): Promise<void> {
    const base = this.basePath(key);
    const sidecar: BlobInfo = {
      contentType: options.contentType,
      ...(options.cacheControl === undefined ? {} : { cacheControl: options.cacheControl }),
      visibility: options.visibility,
      size: body.length,
    };
    await mkdir(dirname(base), { recursive: true });
    await writeAtomically(`${base}~blob`, body);
    await writeAtomically(`${base}~meta.json`, Buffer.from(JSON.stringify(sidecar)));
  }

  async get(key: string): Promise<StoredBlob | null> {
    const info = await this.head(key);
    if (!info) return null;
    const body = await readIfExists(`${this.basePath(key)}~blob`);
    if (!body) return null;
    return { ...info, size: body.length, body };
  }

  async head(key: string): Promise<BlobInfo | null> {
    const raw = await readIfExists(`${this.basePath(key)}~meta.json`);
    return raw ? parseSidecar(raw, key) : null;
  }

  async exists(key: string): Promise<boolean> {
    return (await this.head(key)) !== null;
  }

  async delete(key: string): Promise<void> {
    const base = this.basePath(key);
    await unlinkIfExists(`${base}~meta.json`);
    await unlinkIfExists(`${base}~blob`);
  }

  private basePath(key: string): string {
    assertValidBlobKey(key);
    return join(this.root, ...key.split('/'));
  }
}

async function writeAtomically(path: string, data: Buffer): Promise<void> {
  const temp = `${path.slice(0, path.lastIndexOf('~'))}~tmp-${randomUUID()}`;
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (error) {
    await unlinkIfExists(temp);
    throw error;
  }
}

async function readIfExists(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

async function unlinkIfExists(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
}

const isNotFound = (error: unknown): boolean => (error as NodeJS.ErrnoException | null)?.code === 'ENOENT';

function parseSidecar(raw: Buffer, key: string): BlobInfo {
  const value = JSON.parse(raw.toString('utf8')) as Partial<BlobInfo> | null;
  if (
    typeof value?.contentType !== 'string' ||
    (value.visibility !== 'public' && value.visibility !== 'private') ||
    typeof value.size !== 'number' ||
    (value.cacheControl !== undefined && typeof value.cacheControl !== 'string')
  ) {
    throw new Error(`Corrupt blob metadata for ${key}`);
  }
  return {
    contentType: value.contentType,
    ...(value.cacheControl === undefined ? {} : { cacheControl: value.cacheControl }),
    visibility: value.visibility,
    size: value.size,
  };
}
