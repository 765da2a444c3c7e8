import type { BlobInfo, BlobPutOptions, BlobStore, StoredBlob } from '../../ports/blob-store';
import type { DependencyBreaker } from './breaker';

/** The blob store (S3) behind a timeout and a circuit breaker: uploads and reads fail fast (503) while it is down. */
export class GuardedBlobStore implements BlobStore {
  constructor(
    private readonly inner: BlobStore,
    private readonly breaker: DependencyBreaker,
  ) {}

  put(key: string, body: Buffer, options: BlobPutOptions): Promise<void> {
    return this.breaker.run(() => this.inner.put(key, body, options));
  }

  get(key: string): Promise<StoredBlob | null> {
    return this.breaker.run(() => this.inner.get(key));
  }

  head(key: string): Promise<BlobInfo | null> {
    return this.breaker.run(() => this.inner.head(key));
  }

  exists(key: string): Promise<boolean> {
    return this.breaker.run(() => this.inner.exists(key));
  }

  delete(key: string): Promise<void> {
    return this.breaker.run(() => this.inner.delete(key));
  }
}
