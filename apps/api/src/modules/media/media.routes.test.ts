import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Listing } from '@carebook/contracts';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeAppEachDialect } from '../../../test/support/app';
import { bearer, expectProblem } from '../../../test/support/http';
import { minimalPdf, pngClaiming, solidImage } from '../../../test/support/media';
import { type Cast, castOf, listingInput } from '../../../test/support/providers';

function multipart(bytes: Buffer, filename: string, type: string) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), filename);
  return form;
}

describeAppEachDialect('media uploads', (t) => {
  let cast: Cast;
  let listing: Listing;
  beforeAll(async () => {
    cast = await castOf(t());
    const res = await t().app.inject({
      method: 'POST',
      url: '/api/v1/providers',
      headers: bearer(cast.owner.tokens.accessToken),
      payload: listingInput(),
    });
    listing = res.json() as Listing;
  });
  const as = (who: keyof Cast | null) => (who ? bearer(cast[who].tokens.accessToken) : {});
  const current = async () =>
    (
      await t().app.inject({ url: `/api/v1/providers/${listing.id}`, headers: as('owner') })
    ).json() as Listing;
  const upload = async (
    kind: 'photos' | 'documents',
    bytes: Buffer,
    who: keyof Cast | null = 'owner',
    ifMatch?: string,
  ) =>
    t().app.inject({
      method: 'POST',
      url: `/api/v1/providers/${listing.id}/${kind}`,
      headers: {
        ...as(who),
        ...(ifMatch === undefined
          ? { 'if-match': `"${(await current()).version}"` }
          : ifMatch
            ? { 'if-match': ifMatch }
            : {}),
      },
      body: multipart(bytes, kind === 'photos' ? 'photo.png' : 'licence.pdf', 'application/octet-stream'),
    });
  /** Every file the local blob store holds, found by walking its root. */
  const storedFiles = () => {
    const blobs = t().config.blobs;
    if (blobs.kind !== 'local' || !existsSync(blobs.root)) return [];
    return readdirSync(blobs.root, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => join(e.parentPath, e.name));
  };

  describe('photos', () => {
    it('stores resized variants under content-hashed keys, served immutable', async () => {
      const before = (await current()).version;
      const res = await upload('photos', await solidImage('png', 2400, 1600));
      expect(res.statusCode, res.body).toBe(201);
      const { photo, version } = res.json() as { photo: Listing['photos'][number]; version: number };
      expect(version).toBe(before + 1);
      expect(res.headers.etag).toBe(`"${version}"`);
      expect(photo.variants.card.width).toBe(480);
      expect(photo.variants.full.width).toBe(1600);
      const img = await t().app.inject({ url: `/${photo.variants.card.webp}` });
      expect(img.statusCode).toBe(200);
      expect(img.headers['content-type']).toBe('image/webp');
      expect(img.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect((await current()).photos.map((p) => p.id)).toEqual([photo.id]);
      // six variants, each with its metadata sidecar
      expect(storedFiles().filter((f) => f.includes(photo.id))).toHaveLength(12);
    });

    it('refuses a file that is not an image by its bytes, and stores nothing', async () => {
      const before = await current();
      const files = storedFiles().length;
      expectProblem(
        await upload('photos', Buffer.from('GIF89a this is not allowed')),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
      const truncated = (await solidImage('jpeg', 800, 600)).subarray(0, 2000);
      expectProblem(await upload('photos', truncated), 422, 'UNPROCESSABLE');
      expect((await current()).version).toBe(before.version);
      expect(storedFiles()).toHaveLength(files);
    });

    it('refuses more than 40 megapixels and more than 10 MB', async () => {
      expectProblem(await upload('photos', pngClaiming(8000, 6000)), 413, 'PAYLOAD_TOO_LARGE');
      expectProblem(await upload('photos', Buffer.alloc(10 * 1024 * 1024 + 10, 1)), 413, 'PAYLOAD_TOO_LARGE');
    });

    it('checks ownership before reading the upload, and needs If-Match', async () => {
      const png = await solidImage('png', 300, 200);
      expectProblem(await upload('photos', png, 'other'), 404, 'NOT_FOUND');
      expectProblem(await upload('photos', png, 'patient'), 403, 'FORBIDDEN');
      expectProblem(await upload('photos', png, null), 401, 'UNAUTHENTICATED');
      expectProblem(await upload('photos', png, 'owner', ''), 428, 'PRECONDITION_REQUIRED');
      expectProblem(await upload('photos', png, 'owner', '"1"'), 409, 'VERSION_CONFLICT');
    });

    it('removes a photo from the listing', async () => {
      const l = await current();
      const photoId = l.photos[0]?.id as string;
      const res = await t().app.inject({
        method: 'DELETE',
        url: `/api/v1/providers/${listing.id}/photos/${photoId}`,
        headers: { ...as('staff'), 'if-match': `"${l.version}"` },
      });
      expect(res.json()).toEqual({ version: l.version + 1 });
      expect((await current()).photos).toEqual([]);
    });
  });

  describe('licence documents', () => {
    it('are private to the owner, staff and admins', async () => {
      const res = await upload('documents', minimalPdf());
      expect(res.statusCode, res.body).toBe(201);
      const { document } = res.json() as { document: { id: string; name: string } };
      expect(document.name).toBe('licence.pdf');
      const url = `/api/v1/providers/${listing.id}/documents/${document.id}`;
      for (const who of ['owner', 'staff', 'admin'] as const) {
        const r = await t().app.inject({ url, headers: as(who) });
        expect(r.statusCode).toBe(200);
        expect(r.headers['content-type']).toBe('application/pdf');
        expect(r.headers['cache-control']).toBe('private, no-store');
        expect(r.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
      }
      for (const who of ['other', 'patient', null] as const) {
        expectProblem(await t().app.inject({ url, headers: as(who) }), 404, 'NOT_FOUND');
      }
      expect((await current()).documents?.map((d) => d.id)).toEqual([document.id]);
    });

    it('refuses anything but a PDF', async () => {
      expectProblem(
        await upload('documents', await solidImage('jpeg', 50, 50)),
        415,
        'UNSUPPORTED_MEDIA_TYPE',
      );
    });
  });
});
