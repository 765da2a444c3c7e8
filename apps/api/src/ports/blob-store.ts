/**
 * Object storage for uploaded media. Objects are small enough (at most a few tens of MB) to be
 * handled as whole buffers, so the port has no streams. Every adapter passes the one contract
 * suite in `adapters/blob-store/blob-store.contract.ts`.
 */
export type BlobVisibility = 'public' | 'private';

export interface BlobPutOptions {
  contentType: string;
  /** Sent as `Cache-Control` when the object is served. */
  cacheControl?: string;
  /** `public` objects may be served to anyone (and held by a CDN); `private` ones only after a check. */
  visibility: BlobVisibility;
}

export interface BlobInfo {
  contentType: string;
  cacheControl?: string;
  visibility: BlobVisibility;
  /** Size in bytes. */
  size: number;
}

export interface StoredBlob extends BlobInfo {
  body: Buffer;
}

export interface BlobStore {
  /** Creates or replaces the object. Readers never see a partly written object. */
  put(key: string, body: Buffer, options: BlobPutOptions): Promise<void>;
  /** The object with its metadata, or null when there is none. */
  get(key: string): Promise<StoredBlob | null>;
  /** The metadata without the bytes, or null when there is no object. */
  head(key: string): Promise<BlobInfo | null>;
  exists(key: string): Promise<boolean>;
  /** Removes the object; removing a missing object is not an error. */
  delete(key: string): Promise<void>;
}

export class InvalidBlobKeyError extends Error {
  constructor(readonly key: string) {
    super(`Invalid blob key ${JSON.stringify(key.slice(0, 100))}`);
    this.name = 'InvalidBlobKeyError';
  }
}

const KEY_PATTERN = /^[a-z0-9._-]+(\/[a-z0-9._-]+)*$/;
const MAX_KEY_LENGTH = 1024;
const MAX_SEGMENT_LENGTH = 200;

/**
 * Keys are lower-case ASCII paths: `[a-z0-9._-]` segments joined by single slashes, no leading or
 * trailing slash, no `..` anywhere and no `.` segment. That keeps them safe as file paths and as
 * S3 keys, and identical on both.
 */
export function isValidBlobKey(key: string): boolean {
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) return false;
  if (!KEY_PATTERN.test(key) || key.includes('..')) return false;
  return key.split('/').every((segment) => segment !== '.' && segment.length <= MAX_SEGMENT_LENGTH);
}

export function assertValidBlobKey(key: string): void {
  if (!isValidBlobKey(key)) throw new InvalidBlobKeyError(String(key));
}
