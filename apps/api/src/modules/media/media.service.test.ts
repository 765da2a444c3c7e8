import { problemCodes } from '@carebook/contracts';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { blobStoreHarnesses, type TestBlobStore } from '../../../test/support/blob-store';
import { FailingBlobStore, minimalPdf, pngClaiming, solidImage, truncate } from '../../../test/support/media';
import { inMemoryPrivacy } from '../../../test/support/privacy';
import { DomainError } from '../../domain/errors';
import { DOCUMENT_MAX_BYTES } from './documents';
import { PHOTO_CACHE_CONTROL, PHOTO_VARIANTS, type PhotoManifest } from './image-processing';
import { type MediaDeps, MediaService } from './media.service';

const keysOf = (manifest: PhotoManifest) =>
  PHOTO_VARIANTS.flatMap((name) => [manifest.variants[name].webp, manifest.variants[name].jpeg]);

for (const harness of blobStoreHarnesses()) {
  describe(`MediaService [${harness.name}]`, () => {
    let backend: TestBlobStore;
    let deps: MediaDeps;
    let closePrivacy = async () => {};
    beforeAll(async () => {
      await harness.start();
      const { privacy, close } = await inMemoryPrivacy();
      deps = { cipher: privacy };
      closePrivacy = close;
    });
    afterAll(async () => {
      await harness.stop();
      await closePrivacy();
    });
    beforeEach(async () => {
      backend = await harness.create();
    });
    afterEach(() => backend.dispose());

    it('stores every photo variant publicly with an immutable cache header', async () => {
      const media = new MediaService(backend.store, deps);
      const manifest = await media.uploadPhoto(await solidImage('jpeg', 1200, 900));
      const keys = keysOf(manifest);
      expect(new Set(keys).size).toBe(6);
      for (const name of PHOTO_VARIANTS) {
        for (const format of ['webp', 'jpeg'] as const) {
          const blob = await media.readPublic(manifest.variants[name][format]);
          expect(blob).toMatchObject({
            contentType: `image/${format}`,
            cacheControl: PHOTO_CACHE_CONTROL,
            visibility: 'public',
          });
          const meta = await sharp(blob?.body).metadata();
          expect([meta.format, meta.width, meta.height]).toEqual([
            format,
            manifest.variants[name].width,
            manifest.variants[name].height,
          ]);
        }
      }
    });

    it('gives the same upload the same keys and writes nothing the second time', async () => {
      const input = await solidImage('webp', 800, 600);
      const first = await new MediaService(backend.store, deps).uploadPhoto(input);
      const counting = new FailingBlobStore(backend.store);
      const second = await new MediaService(counting, deps).uploadPhoto(Buffer.from(input));
      expect(second).toEqual(first);
      expect(counting.puts).toBe(0);
    });

    for (const failOnPut of [1, 2, 3, 4, 5, 6]) {
      it(`leaves nothing stored when photo write #${failOnPut} fails`, async () => {
        const failing = new FailingBlobStore(backend.store, failOnPut);
        const upload = new MediaService(failing, deps).uploadPhoto(await solidImage('png', 900, 600));
        await expect(upload).rejects.toThrow(`injected failure on put #${failOnPut}`);
        expect(failing.puts).toBe(6);
        expect(await backend.listEntries()).toEqual([]);
      });
    }

    it('also removes an object whose put failed after it was written', async () => {
      const failing = new FailingBlobStore(backend.store, 3, true);
      await expect(
        new MediaService(failing, deps).uploadPhoto(await solidImage('jpeg', 500, 500)),
      ).rejects.toThrow('injected failure');
      expect(await backend.listEntries()).toEqual([]);
    });

    it('never deletes variants that were stored before a failed upload', async () => {
      const input = await solidImage('jpeg', 700, 500);
      const manifest = await new MediaService(backend.store, deps).uploadPhoto(input);
      const [kept, ...lost] = keysOf(manifest);
      for (const key of lost) await backend.store.delete(key);
      const failing = new FailingBlobStore(backend.store, 2);
      await expect(new MediaService(failing, deps).uploadPhoto(input)).rejects.toThrow('injected failure');
      expect(failing.puts).toBe(5);
      expect(await backend.store.exists(kept ?? '')).toBe(true);
      for (const key of lost) expect(await backend.store.exists(key)).toBe(false);
    });

    it('stores nothing for a bad photo', async () => {
      const jpeg = await solidImage('jpeg', 600, 600);
      const bad: [Buffer, number][] = [
        [truncate(jpeg, 0.3), 422],
        [pngClaiming(8000, 6000), 413],
        [Buffer.concat([jpeg, Buffer.alloc(10 * 1024 * 1024)]), 413],
        [await solidImage('gif', 40, 40), 415],
        [Buffer.from('plain text pretending to be image/png'), 415],
      ];
      const counting = new FailingBlobStore(backend.store);
      const media = new MediaService(counting, deps);
      for (const [input, status] of bad) {
        const error = await media.uploadPhoto(input).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(DomainError);
        expect(problemCodes[(error as DomainError).code].status).toBe(status);
      }
      expect(counting.puts).toBe(0);
      expect(await backend.listEntries()).toEqual([]);
    });

    it('stores a licence document privately and encrypted, readable only through readDocument', async () => {
      const media = new MediaService(backend.store, deps);
      const pdf = minimalPdf();
      const ref = await media.uploadDocument(pdf);
      expect(ref.key).toMatch(/^media\/documents\/[0-9a-f]{64}\.pdf$/);
      expect(ref).toMatchObject({ contentType: 'application/pdf', size: pdf.length });
      expect(await media.readPublic(ref.key)).toBeNull();
      const stored = await media.readPrivate(ref.key);
      expect(stored?.body.includes(Buffer.from('%PDF'))).toBe(false);
      expect(stored?.body.includes(pdf.subarray(0, 24))).toBe(false);
      const blob = await media.readDocument(ref.key);
      expect(blob?.body.equals(pdf)).toBe(true);
      expect(blob).toMatchObject({ contentType: 'application/pdf', visibility: 'private', size: pdf.length });
      expect(await media.uploadDocument(Buffer.from(pdf))).toEqual(ref);
    });

    it('seals a document stored before encryption on its first read', async () => {
      const media = new MediaService(backend.store, deps);
      const pdf = minimalPdf('legacy');
      const key = 'media/documents/legacy.pdf';
      await backend.store.put(key, pdf, { contentType: 'application/pdf', visibility: 'private' });
      expect((await media.readDocument(key))?.body.equals(pdf)).toBe(true);
      expect((await backend.store.get(key))?.body.includes(Buffer.from('%PDF'))).toBe(false);
      expect((await media.readDocument(key))?.body.equals(pdf)).toBe(true);
    });

    it('stores nothing for a bad document or a failed write', async () => {
      const media = new MediaService(backend.store, deps);
      const cases: [Buffer, number][] = [
        [await solidImage('png', 20, 20), 415],
        [Buffer.from('%PDX-1.4 not a pdf'), 415],
        [truncate(minimalPdf()), 422],
        [Buffer.concat([minimalPdf(), Buffer.alloc(DOCUMENT_MAX_BYTES)]), 413],
      ];
      for (const [input, status] of cases) {
        const error = await media.uploadDocument(input).then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(problemCodes[(error as DomainError).code].status).toBe(status);
      }
      const failing = new FailingBlobStore(backend.store, 1, true);
      await expect(new MediaService(failing, deps).uploadDocument(minimalPdf('other'))).rejects.toThrow(
        'injected',
      );
      expect(await backend.listEntries()).toEqual([]);
    });

    it('reads nothing for missing or invalid keys', async () => {
      const media = new MediaService(backend.store, deps);
      expect(await media.readPublic('media/photos/none/full.webp')).toBeNull();
      expect(await media.readPrivate('media/documents/none.pdf')).toBeNull();
      expect(await media.readPublic('../../etc/passwd')).toBeNull();
      expect(await media.readPrivate('/etc/passwd')).toBeNull();
    });
  });
}
