import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { LocalFsBlobStore } from '../../src/adapters/blob-store/local-fs';
import { S3BlobStore, type S3BlobStoreOptions } from '../../src/adapters/blob-store/s3';
import type { BlobStore } from '../../src/ports/blob-store';

/** Test support shared by the blob-store contract suite and the media tests. */
export interface TestBlobStore {
  store: BlobStore;
  /** Everything the backend holds: every file under the root, or every object in the bucket. */
  listEntries(): Promise<string[]>;
  dispose(): Promise<void>;
}

export interface BlobStoreHarness {
  name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** A new, empty store. */
  create(): Promise<TestBlobStore>;
}

export function localFsHarness(): BlobStoreHarness {
  const roots: string[] = [];
  return {
    name: 'local-fs',
    start: async () => {},
    stop: async () => {
      await Promise.all(roots.map((root) => rm(root, { recursive: true, force: true })));
    },
    create: async () => {
      const root = await mkdtemp(join(tmpdir(), 'carebook-blobs-'));
      roots.push(root);
      return {
        store: new LocalFsBlobStore({ root }),
        listEntries: async () => {
          const entries = await readdir(root, { recursive: true, withFileTypes: true });
          return entries.filter((e) => e.isFile()).map((e) => relative(root, join(e.parentPath, e.name)));
        },
        dispose: async () => {},
      };
    },
  };
}

/** Starts s3rver on a free port on 127.0.0.1 with a temporary directory; one bucket per store. */
export function s3Harness(): BlobStoreHarness {
  let server: S3rver | undefined;
  let directory = '';
  let endpoint = '';
  let buckets = 0;
  const clients: S3Client[] = [];
  return {
    name: 's3',
    start: async () => {
      directory = await mkdtemp(join(tmpdir(), 'carebook-s3rver-'));
      server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
      const address = await server.run();
      endpoint = `http://127.0.0.1:${address.port}`;
    },
    stop: async () => {
      for (const client of clients) client.destroy();
      server?.httpServer?.closeAllConnections();
      await server?.close();
      await rm(directory, { recursive: true, force: true });
    },
    create: async () => {
      const options: S3BlobStoreOptions = {
        bucket: `test-bucket-${++buckets}`,
        region: 'us-east-1',
        endpoint,
        forcePathStyle: true,
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      };
      const admin = new S3Client({ ...options });
      clients.push(admin);
      await admin.send(new CreateBucketCommand({ Bucket: options.bucket }));
      const store = new S3BlobStore(options);
      return {
        store,
        listEntries: async () => {
          const res = await admin.send(new ListObjectsV2Command({ Bucket: options.bucket }));
          return (res.Contents ?? []).map((o) => o.Key ?? '');
        },
        dispose: async () => store.close(),
      };
    },
  };
}

export const blobStoreHarnesses = (): BlobStoreHarness[] => [localFsHarness(), s3Harness()];
