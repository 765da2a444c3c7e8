import type { Principal, RequestMeta } from '../../lib/request-meta';
import { type BlobPutOptions, type BlobStore, isValidBlobKey, type StoredBlob } from '../../ports/blob-store';
import type { AuditService } from '../audit/audit.service';
import type { PrivacyService } from '../privacy/privacy.service';
import { checkDocument, DOCUMENT_BLOB_OPTIONS, type DocumentRef, isSealedDocument } from './documents';
import { PHOTO_CACHE_CONTROL, type PhotoManifest, processPhoto } from './image-processing';

interface PendingBlob {
  key: string;
  body: Buffer;
  options: BlobPutOptions;
}

export interface MediaDeps {
  /** Seals licence documents at rest under the system data key (modules/privacy). */
  cipher: Pick<PrivacyService, 'encryptSystemBytes' | 'decryptSystemBytes'>;
  /** Records document downloads in the access audit; absent only in blob-level tests. */
  audit?: Pick<AuditService, 'recordAccess'>;
}

/** Who is downloading a document and why, for the access audit. */
export interface DocumentAccess {
  actor: Principal;
  meta: RequestMeta;
  providerId: string;
  documentId: string;
}

/**
 * Stores provider photos (public, immutable variants) and licence documents (private, encrypted
 * at rest: the blob store only ever holds the sealed bytes). Uploads
 * are all or nothing: when one write fails, the objects this upload wrote are deleted again.
 * Keys are content-hashed, so uploading the same bytes twice gives the same keys; objects that
 * already exist are left alone (and never deleted by a failed upload).
 */
export class MediaService {
  constructor(
    private readonly blobs: BlobStore,
    private readonly deps: MediaDeps,
  ) {}

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
    const sealed = await this.deps.cipher.encryptSystemBytes(input);
    await this.storeAll([{ key: ref.key, body: sealed, options: DOCUMENT_BLOB_OPTIONS }]);
    return ref;
  }

  /**
   * A licence document, decrypted, for a reader the caller has checked; the read is recorded in
   * the access audit. A document stored before encryption existed is sealed in place on first read.
   */
  async readDocument(key: string, access?: DocumentAccess): Promise<StoredBlob | null> {
    const blob = await this.readPrivate(key);
    if (!blob) return null;
    let body: Buffer;
    if (isSealedDocument(blob.body)) body = await this.deps.cipher.decryptSystemBytes(blob.body);
    else {
      body = blob.body;
      await this.blobs.put(key, await this.deps.cipher.encryptSystemBytes(body), DOCUMENT_BLOB_OPTIONS);
    }
    if (access && this.deps.audit)
      await this.deps.audit.recordAccess(
        {
          action: 'access.document_downloaded',
          actor: access.actor,
          patientId: null,
          resource: { type: 'licence_document', id: `${access.providerId}/${access.documentId}` },
          purpose: access.actor.role === 'admin' ? 'credential_review' : 'owner_access',
        },
        access.meta,
      );
    return { ...blob, body, size: body.length };
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
