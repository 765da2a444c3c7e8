import { createHash } from 'node:crypto';
import sharp, { type Sharp } from 'sharp';
import {
  checkPhotoDimensions,
  checkPhotoUpload,
  corruptImage,
  type ImageFormat,
  PHOTO_MAX_PIXELS,
} from './image-formats';

export const PHOTO_CACHE_CONTROL = 'public, max-age=31536000, immutable';

export type PhotoVariantName = 'thumbnail' | 'card' | 'full';
export const PHOTO_VARIANTS: readonly PhotoVariantName[] = ['thumbnail', 'card', 'full'];

export interface PhotoVariant {
  webp: string;
  jpeg: string;
  width: number;
  height: number;
}

export interface PhotoManifest {
  /** First 32 hex digits of the SHA-256 of the uploaded bytes. */
  id: string;
  /** Dimensions of the original after EXIF orientation. */
  width: number;
  height: number;
  variants: Record<PhotoVariantName, PhotoVariant>;
}

export interface PhotoRendition {
  key: string;
  body: Buffer;
  contentType: 'image/webp' | 'image/jpeg';
}

export interface ProcessedPhoto {
  manifest: PhotoManifest;
  renditions: PhotoRendition[];
}

const FULL_MAX = 1600;
const CARD_WIDTH = 480;
const THUMBNAIL_SIZE = 160;

export const photoKey = (id: string, variant: PhotoVariantName, format: 'webp' | 'jpeg') =>
  `media/photos/${id}/${variant}.${format === 'webp' ? 'webp' : 'jpg'}`;

/**
 * Validates an uploaded photo and renders its variants (thumbnail 160×160 cover, card 480 wide,
 * full at most 1600×1600; full and card never upscaled) in WebP and JPEG. The image is turned
 * upright by its EXIF orientation and every output carries no metadata at all (no GPS, no
 * camera details). Rejections are ProblemErrors: too large (413), not JPEG/PNG/WebP by its
 * bytes (415), unreadable (422).
 */
export async function processPhoto(input: Buffer): Promise<ProcessedPhoto> {
  const format = checkPhotoUpload(input);
  const { width, height } = await readOrientedSize(input, format);
  const id = createHash('sha256').update(input).digest('hex').slice(0, 32);

  // Decode once, straight to the largest size needed; every variant is rendered from that.
  const decoded = await sharp(input, { limitInputPixels: PHOTO_MAX_PIXELS, failOn: 'error' })
    .autoOrient()
    .resize({ width: FULL_MAX, height: FULL_MAX, fit: 'inside', withoutEnlargement: true })
    .toColourspace('srgb')
    .raw()
    .toBuffer({ resolveWithObject: true })
    .catch(() => {
      throw corruptImage();
    });
  const { channels } = decoded.info;
  const fromDecoded = () =>
    sharp(decoded.data, { raw: { width: decoded.info.width, height: decoded.info.height, channels } });

  const pipelines: Record<PhotoVariantName, () => Sharp> = {
    full: fromDecoded,
    card: () => fromDecoded().resize({ width: CARD_WIDTH, withoutEnlargement: true }),
    thumbnail: () =>
      fromDecoded().resize({
        width: THUMBNAIL_SIZE,
        height: THUMBNAIL_SIZE,
        fit: 'cover',
        position: 'centre',
      }),
  };

  const renditions: PhotoRendition[] = [];
  const variants = {} as Record<PhotoVariantName, PhotoVariant>;
  for (const name of PHOTO_VARIANTS) {
    const [webp, jpeg] = await Promise.all([
      pipelines[name]().webp({ quality: 80 }).toBuffer({ resolveWithObject: true }),
      pipelines[name]()
        .flatten({ background: '#ffffff' })
        .jpeg({ quality: 82, progressive: true })
        .toBuffer({ resolveWithObject: true }),
    ]);
    variants[name] = {
      webp: photoKey(id, name, 'webp'),
      jpeg: photoKey(id, name, 'jpeg'),
      width: webp.info.width,
      height: webp.info.height,
    };
    renditions.push(
      { key: variants[name].webp, body: webp.data, contentType: 'image/webp' },
      { key: variants[name].jpeg, body: jpeg.data, contentType: 'image/jpeg' },
    );
  }
  return { manifest: { id, width, height, variants }, renditions };
}

/** Reads only the header: the pixel limit is enforced before any decoding. */
async function readOrientedSize(
  input: Buffer,
  format: ImageFormat,
): Promise<{ width: number; height: number }> {
  const meta = await sharp(input)
    .metadata()
    .catch(() => {
      throw corruptImage();
    });
  if (meta.format !== format || !meta.width || !meta.height) throw corruptImage();
  checkPhotoDimensions(meta.width, meta.height);
  return meta.autoOrient;
}
