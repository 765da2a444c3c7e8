import { type BlobPutOptions, type BlobStore, isValidBlobKey, type StoredBlob } from '../../ports/blob-store';
import { checkDocument, type DocumentRef } from './documents';
import { PHOTO_CACHE_CONTROL, type PhotoManifest, processPhoto } from './image-processing';

interface PendingBlob {
  key: string;
  body: Buffer;
  options: BlobPutOptions;
}

/**
 * Stores provider photos (public, immutable variants) and licence documents (private). Uploads
 * are all or nothing: when one write fails, the objects this upload wrote are deleted again.
 * Keys are content-hashed, so uploading the same bytes twice gives the same keys; objects that
 * already exist are left alone (and never deleted by a failed upload).
 */
export class MediaService {
  constructor(private readonly blobs: BlobStore) {}

  async uploadPhoto(input: Buffer): Promise<PhotoManifest> {
    const { manifest, renditions } = await processPhoto(input);
    await this.storeAll(
      renditions.map((r) => ({
        key: r.key,
        body: r.body,
        options: { contentType: r.contentType, cacheControl: PHOTO_CACHE_CONTROL, visibility: 'public' },
      })),
    );
    return manifest;
  }

  async uploadDocument(input: Buffer): Promise<DocumentRef> {
    const ref = checkDocument(input);
    await this.storeAll([
      {
        key: ref.key,
        body: input,
        options: { contentType: ref.contentType, cacheControl: 'private, no-store', visibility: 'private' },
      },
    ]);
    return ref;
  }

  /** A public object, or null when it is missing, private or the key is not a valid key. */
  async readPublic(key: string): Promise<StoredBlob | null> {
    const blob = await this.readPrivate(key);
    return blob?.visibility === 'public' ? blob : null;
  }

  /** Any object, public or private: the caller has checked the reader may see it. */
  async readPrivate(key: string): Promise<StoredBlob | null> {
    if (!isValidBlobKey(key)) return null;
    return this.blobs.get(key);
  }

  private async storeAll(pending: PendingBlob[]): Promise<void> {
    const present = await Promise.all(pending.map((p) => this.blobs.exists(p.key)));
    const missing = pending.filter((_, i) => !present[i]);
    const results = await Promise.allSettled(missing.map((p) => this.blobs.put(p.key, p.body, p.options)));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (!failure) return;
    // A failed put may still have landed (a timeout after the write), so every key this upload
    // tried to write is removed, not only the ones that reported success.
    await Promise.allSettled(missing.map((p) => this.blobs.delete(p.key)));
    throw failure.reason;
  }
}
