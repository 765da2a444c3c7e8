import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import {
  assertValidBlobKey,
  type BlobInfo,
  type BlobPutOptions,
  type BlobStore,
  type BlobVisibility,
  type StoredBlob,
} from '../../ports/blob-store';

export interface S3BlobStoreOptions {
  bucket: string;
  region: string;
  /** For S3-compatible services (MinIO, s3rver, R2…); omit for AWS. */
  endpoint?: string;
  forcePathStyle?: boolean;
  /** Omit to use the SDK's default chain (environment, instance role…). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

const VISIBILITY_META = 'visibility';

/**
 * Blob store on S3 or an S3-compatible service (production profile). Content type and cache
 * control are the object's own headers; visibility is user metadata (`x-amz-meta-visibility`),
 * read by the API before serving. Objects are not given ACLs: the bucket stays private and the
 * API (or a CDN in front of it) serves public objects. An object without the metadata counts as
 * private.
 */
export class S3BlobStore implements BlobStore {
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(options: S3BlobStoreOptions) {
    this.bucket = options.bucket;
    this.client = new S3Client({
      region: options.region,
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
      forcePathStyle: options.forcePathStyle ?? false,
      ...(options.credentials ? { credentials: options.credentials } : {}),
    });
  }

  async put(key: string, body: Buffer, options: BlobPutOptions): Promise<void> {
    assertValidBlobKey(key);
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentLength: body.length,
        ContentType: options.contentType,
        ...(options.cacheControl === undefined ? {} : { CacheControl: options.cacheControl }),
        Metadata: { [VISIBILITY_META]: options.visibility },
      }),
    );
  }

  async get(key: string): Promise<StoredBlob | null> {
    assertValidBlobKey(key);
    const res = await this.ifFound(() =>
      this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key })),
    );
    if (!res?.Body) return null;
    const bytes = await res.Body.transformToByteArray();
    const body = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return { ...toInfo(res, body.length), body };
  }

  async head(key: string): Promise<BlobInfo | null> {
    assertValidBlobKey(key);
    const res = await this.ifFound(() =>
      this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key })),
    );
    return res ? toInfo(res, res.ContentLength ?? 0) : null;
  }

  async exists(key: string): Promise<boolean> {
    return (await this.head(key)) !== null;
  }

  async delete(key: string): Promise<void> {
    assertValidBlobKey(key);
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  /** Releases the HTTP connections. */
  close(): void {
    this.client.destroy();
  }

  private async ifFound<T>(request: () => Promise<T>): Promise<T | null> {
    try {
      return await request();
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      if (status === 404) return null;
      throw error;
    }
  }
}

interface ObjectHeaders {
  ContentType?: string;
  CacheControl?: string;
  Metadata?: Record<string, string>;
}

function toInfo(res: ObjectHeaders, size: number): BlobInfo {
  const visibility: BlobVisibility = res.Metadata?.[VISIBILITY_META] === 'public' ? 'public' : 'private';
  return {
    contentType: res.ContentType ?? 'application/octet-stream',
    ...(res.CacheControl ? { cacheControl: res.CacheControl } : {}),
    visibility,
    size,
  };
}
