import { createHash } from 'node:crypto';
import { problemCodes } from '@carebook/contracts';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  GPS_IFD_POINTER,
  jpegWithExif,
  pngClaiming,
  solidImage,
  truncate,
} from '../../../test/support/media';
import { DomainError } from '../../domain/errors';
import { detectImageFormat, PHOTO_MAX_BYTES } from './image-formats';
import { PHOTO_VARIANTS, type ProcessedPhoto, processPhoto } from './image-processing';

async function expectProblem(promise: Promise<unknown>, status: number, code: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect(error).toMatchObject({ code });
  expect(problemCodes[(error as DomainError).code].status).toBe(status);
}

async function renditionsMatchManifest(photo: ProcessedPhoto): Promise<void> {
  expect(photo.renditions).toHaveLength(6);
  for (const name of PHOTO_VARIANTS) {
    const variant = photo.manifest.variants[name];
    for (const [format, key] of [
      ['webp', variant.webp],
      ['jpeg', variant.jpeg],
    ] as const) {
      expect(key).toBe(`media/photos/${photo.manifest.id}/${name}.${format === 'webp' ? 'webp' : 'jpg'}`);
      const rendition = photo.renditions.find((r) => r.key === key);
      expect(rendition?.contentType).toBe(`image/${format}`);
      const meta = await sharp(rendition?.body).metadata();
      expect({ format: meta.format, width: meta.width, height: meta.height }).toEqual({
        format,
        width: variant.width,
        height: variant.height,
      });
    }
  }
}

describe('detectImageFormat', () => {
  it('recognises JPEG, PNG and WebP by their bytes', async () => {
    expect(detectImageFormat(await solidImage('jpeg', 8, 8))).toBe('jpeg');
    expect(detectImageFormat(await solidImage('png', 8, 8))).toBe('png');
    expect(detectImageFormat(await solidImage('webp', 8, 8))).toBe('webp');
  });

  it('recognises nothing else', async () => {
    expect(detectImageFormat(await solidImage('gif', 8, 8))).toBeNull();
    expect(detectImageFormat(Buffer.from('just some text, named photo.jpg'))).toBeNull();
    expect(detectImageFormat(Buffer.from('RIFF\u0000\u0000\u0000\u0000WAVEfmt '))).toBeNull();
    expect(detectImageFormat(Buffer.from([0xff, 0xd8]))).toBeNull();
    expect(detectImageFormat(Buffer.alloc(0))).toBeNull();
  });
});

describe('processPhoto', () => {
  for (const format of ['jpeg', 'png', 'webp'] as const) {
    it(`renders every variant of a ${format} in WebP and JPEG at the right sizes`, async () => {
      const input = await solidImage(format, 2000, 1000);
      const photo = await processPhoto(input);
      expect(photo.manifest.id).toBe(createHash('sha256').update(input).digest('hex').slice(0, 32));
      expect(photo.manifest).toMatchObject({
        width: 2000,
        height: 1000,
        variants: {
          thumbnail: { width: 160, height: 160 },
          card: { width: 480, height: 240 },
          full: { width: 1600, height: 800 },
        },
      });
      await renditionsMatchManifest(photo);
    });
  }

  it('never upscales the full or card variants of a small image', async () => {
    const photo = await processPhoto(await solidImage('png', 300, 200));
    expect(photo.manifest.variants.full).toMatchObject({ width: 300, height: 200 });
    expect(photo.manifest.variants.card).toMatchObject({ width: 300, height: 200 });
    expect(photo.manifest.variants.thumbnail).toMatchObject({ width: 160, height: 160 });
    await renditionsMatchManifest(photo);
  });

  it('keeps a tall image inside 1600×1600', async () => {
    const photo = await processPhoto(await solidImage('jpeg', 1000, 3200));
    expect(photo.manifest.variants.full).toMatchObject({ width: 500, height: 1600 });
    expect(photo.manifest.variants.card).toMatchObject({ width: 480, height: 1536 });
  });

  it('turns the image upright by EXIF orientation, then strips all metadata including GPS', async () => {
    const input = await jpegWithExif(400, 200, 6);
    const inputMeta = await sharp(input).metadata();
    expect(inputMeta.orientation).toBe(6);
    expect(inputMeta.exif?.includes(GPS_IFD_POINTER)).toBe(true);

    const photo = await processPhoto(input);
    expect(photo.manifest).toMatchObject({ width: 200, height: 400 });
    expect(photo.manifest.variants.full).toMatchObject({ width: 200, height: 400 });
    for (const rendition of photo.renditions) {
      const meta = await sharp(rendition.body).metadata();
      expect(meta.exif, rendition.key).toBeUndefined();
      expect(meta.orientation, rendition.key).toBeUndefined();
      expect(meta.xmp, rendition.key).toBeUndefined();
      expect(rendition.body.includes(Buffer.from('SecretCam')), rendition.key).toBe(false);
    }
  });

  it('flattens transparency for JPEG and keeps it for WebP', async () => {
    const photo = await processPhoto(await solidImage('png', 300, 300, 4));
    const jpeg = photo.renditions.find((r) => r.key.endsWith('full.jpg'));
    const webp = photo.renditions.find((r) => r.key.endsWith('full.webp'));
    expect((await sharp(jpeg?.body).metadata()).hasAlpha).toBe(false);
    expect((await sharp(webp?.body).metadata()).hasAlpha).toBe(true);
  });

  it('converts a CMYK JPEG to sRGB', async () => {
    const cmyk = await sharp({ create: { width: 200, height: 100, channels: 3, background: '#ff0000' } })
      .toColourspace('cmyk')
      .jpeg()
      .toBuffer();
    const photo = await processPhoto(cmyk);
    const full = photo.renditions.find((r) => r.key.endsWith('full.jpg'));
    expect((await sharp(full?.body).metadata()).space).toBe('srgb');
  });

  it('gives the same upload the same id, keys and bytes, and another upload other keys', async () => {
    const input = await solidImage('jpeg', 640, 480);
    const first = await processPhoto(input);
    const second = await processPhoto(Buffer.from(input));
    expect(second.manifest).toEqual(first.manifest);
    expect(second.renditions.map((r) => r.body.toString('base64'))).toEqual(
      first.renditions.map((r) => r.body.toString('base64')),
    );
    const other = await processPhoto(await solidImage('jpeg', 640, 481));
    expect(other.manifest.id).not.toBe(first.manifest.id);
  });

  it('rejects more than 10 MB with 413 before looking at the bytes', async () => {
    const input = Buffer.concat([await solidImage('jpeg', 8, 8), Buffer.alloc(PHOTO_MAX_BYTES)]);
    await expectProblem(processPhoto(input), 413, 'PAYLOAD_TOO_LARGE');
  });

  it('rejects more than 40 megapixels with 413 from the header alone', async () => {
    // The PNG has no real pixel data: decoding it would fail with 422, so 413 proves no decode.
    await expectProblem(processPhoto(pngClaiming(8000, 6000)), 413, 'PAYLOAD_TOO_LARGE');
    await expectProblem(processPhoto(pngClaiming(7000, 5000)), 422, 'UNPROCESSABLE');
  });

  it('rejects truncated or corrupt images with 422', async () => {
    const jpeg = await sharp({
      create: {
        width: 300,
        height: 300,
        channels: 3,
        background: '#000',
        noise: { type: 'gaussian', mean: 128, sigma: 30 },
      },
    })
      .jpeg()
      .toBuffer();
    await expectProblem(processPhoto(truncate(jpeg)), 422, 'UNPROCESSABLE');
    await expectProblem(processPhoto(truncate(await solidImage('png', 300, 300))), 422, 'UNPROCESSABLE');
    await expectProblem(processPhoto(truncate(await solidImage('webp', 300, 300))), 422, 'UNPROCESSABLE');
    const pngSignatureOnly = Buffer.concat([
      (await solidImage('png', 8, 8)).subarray(0, 8),
      Buffer.from('garbage'),
    ]);
    await expectProblem(processPhoto(pngSignatureOnly), 422, 'UNPROCESSABLE');
  });

  it('rejects anything that is not JPEG, PNG or WebP with 415, whatever it claims to be', async () => {
    await expectProblem(processPhoto(await solidImage('gif', 50, 50)), 415, 'UNSUPPORTED_MEDIA_TYPE');
    await expectProblem(processPhoto(Buffer.from('I am photo.jpg, honest')), 415, 'UNSUPPORTED_MEDIA_TYPE');
    await expectProblem(processPhoto(Buffer.alloc(0)), 415, 'UNSUPPORTED_MEDIA_TYPE');
  });
});
