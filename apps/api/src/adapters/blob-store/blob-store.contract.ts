import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { BlobStoreHarness, TestBlobStore } from '../../../test/support/blob-store';
import { type BlobStore, InvalidBlobKeyError } from '../../ports/blob-store';

const INVALID_KEYS = [
  '',
  '/leading-slash',
  'trailing-slash/',
  'double//slash',
  '../escape',
  'a/../b',
  'a..b',
  './a',
  'a/./b',
  'Upper.jpg',
  'space in.jpg',
  'back\\slash',
  'tilde~blob',
  'unicode-é.jpg',
  'nul\u0000byte',
  'x'.repeat(1025),
];

/** The one contract every BlobStore adapter passes. */
export function describeBlobStoreContract(harness: BlobStoreHarness): void {
  describe(`BlobStore contract [${harness.name}]`, () => {
    let current: TestBlobStore;
    let store: BlobStore;
    beforeAll(() => harness.start());
    afterAll(() => harness.stop());
    beforeEach(async () => {
      current = await harness.create();
      store = current.store;
    });
    afterEach(() => current.dispose());

    it('round-trips bytes, content type, cache control and visibility', async () => {
      const body = Buffer.from('hello, blob');
      await store.put('media/a/hello.txt', body, {
        contentType: 'text/plain',
        cacheControl: 'public, max-age=60',
        visibility: 'public',
      });
      const got = await store.get('media/a/hello.txt');
      expect(got?.body.equals(body)).toBe(true);
      expect(got).toMatchObject({
        contentType: 'text/plain',
        cacheControl: 'public, max-age=60',
        visibility: 'public',
        size: body.length,
      });
    });

    it('head returns the metadata without the body, and exists follows it', async () => {
      await store.put('docs/x.pdf', Buffer.from('%PDF-1.7'), {
        contentType: 'application/pdf',
        visibility: 'private',
      });
      const info = await store.head('docs/x.pdf');
      expect(info).toEqual({ contentType: 'application/pdf', visibility: 'private', size: 8 });
      expect(await store.exists('docs/x.pdf')).toBe(true);
      expect(await store.exists('docs/y.pdf')).toBe(false);
      expect(await store.head('docs/y.pdf')).toBeNull();
    });

    it('returns null for a missing key', async () => {
      expect(await store.get('nothing/here.bin')).toBeNull();
    });

    it('overwrites bytes and metadata', async () => {
      await store.put('k/over.bin', Buffer.from('first version'), {
        contentType: 'text/plain',
        cacheControl: 'no-store',
        visibility: 'public',
      });
      await store.put('k/over.bin', Buffer.from('second'), {
        contentType: 'application/octet-stream',
        visibility: 'private',
      });
      const got = await store.get('k/over.bin');
      expect(got?.body.toString()).toBe('second');
      expect(got).toMatchObject({ contentType: 'application/octet-stream', visibility: 'private', size: 6 });
      expect(got?.cacheControl).toBeUndefined();
    });

    it('deletes, and deleting again or deleting a missing key is fine', async () => {
      await store.put('d/gone.txt', Buffer.from('x'), { contentType: 'text/plain', visibility: 'public' });
      await store.delete('d/gone.txt');
      expect(await store.get('d/gone.txt')).toBeNull();
      expect(await store.exists('d/gone.txt')).toBe(false);
      await expect(store.delete('d/gone.txt')).resolves.toBeUndefined();
      await expect(store.delete('never/was.txt')).resolves.toBeUndefined();
      expect(await current.listEntries()).toEqual([]);
    });

    it('keeps a key and a key nested under it apart', async () => {
      await store.put('p', Buffer.from('outer'), { contentType: 'text/plain', visibility: 'public' });
      await store.put('p/q', Buffer.from('inner'), { contentType: 'text/plain', visibility: 'public' });
      expect((await store.get('p'))?.body.toString()).toBe('outer');
      expect((await store.get('p/q'))?.body.toString()).toBe('inner');
      await store.delete('p');
      expect((await store.get('p/q'))?.body.toString()).toBe('inner');
    });

    it('rejects invalid keys on every operation, storing nothing', async () => {
      const opts = { contentType: 'text/plain', visibility: 'public' } as const;
      for (const key of INVALID_KEYS) {
        await expect(store.put(key, Buffer.from('x'), opts), key).rejects.toBeInstanceOf(InvalidBlobKeyError);
        await expect(store.get(key), key).rejects.toBeInstanceOf(InvalidBlobKeyError);
        await expect(store.head(key), key).rejects.toBeInstanceOf(InvalidBlobKeyError);
        await expect(store.exists(key), key).rejects.toBeInstanceOf(InvalidBlobKeyError);
        await expect(store.delete(key), key).rejects.toBeInstanceOf(InvalidBlobKeyError);
      }
      expect(await current.listEntries()).toEqual([]);
    });

    it('accepts every allowed character', async () => {
      const key = 'abc-xyz_0.9/deep/er/file-name_v2.tar.gz';
      await store.put(key, Buffer.from('ok'), { contentType: 'application/gzip', visibility: 'private' });
      expect((await store.get(key))?.body.toString()).toBe('ok');
    });

    it('is binary safe', async () => {
      const every = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      const body = Buffer.concat([every, randomBytes(64 * 1024), every]);
      await store.put('bin/random.bin', body, {
        contentType: 'application/octet-stream',
        visibility: 'private',
      });
      const got = await store.get('bin/random.bin');
      expect(got?.size).toBe(body.length);
      expect(got?.body.equals(body)).toBe(true);
    });

    it('stores an empty object', async () => {
      await store.put('empty/zero.bin', Buffer.alloc(0), {
        contentType: 'application/octet-stream',
        visibility: 'public',
      });
      const got = await store.get('empty/zero.bin');
      expect(got?.size).toBe(0);
      expect(got?.body.length).toBe(0);
    });

    it('stores a 5 MB object', async () => {
      const body = randomBytes(5 * 1024 * 1024);
      await store.put('big/five-mb.bin', body, {
        contentType: 'application/octet-stream',
        visibility: 'public',
      });
      const got = await store.get('big/five-mb.bin');
      expect(got?.body.equals(body)).toBe(true);
      expect((await store.head('big/five-mb.bin'))?.size).toBe(body.length);
    });

    it('holds only the objects put, with no temporary or partial leftovers visible', async () => {
      const opts = { contentType: 'text/plain', visibility: 'public' } as const;
      await Promise.all(['m/1', 'm/2', 'm/3'].map((k) => store.put(k, Buffer.from(k), opts)));
      await store.put('m/2', Buffer.from('again'), opts);
      await store.delete('m/3');
      expect(await store.exists('m/1')).toBe(true);
      expect(await store.exists('m/2')).toBe(true);
      expect(await store.exists('m/3')).toBe(false);
    });
  });
}
