import { DomainError } from '../../domain/errors';

export type ImageFormat = 'jpeg' | 'png' | 'webp';

export const PHOTO_MAX_BYTES = 10 * 1024 * 1024;
export const PHOTO_MAX_PIXELS = 40_000_000;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The image format from the file's magic bytes; the declared content type is never trusted. */
export function detectImageFormat(bytes: Buffer): ImageFormat | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  if (
    bytes.length >= 12 &&
    bytes.toString('latin1', 0, 4) === 'RIFF' &&
    bytes.toString('latin1', 8, 12) === 'WEBP'
  ) {
    return 'webp';
  }
  return null;
}

/** Checks that cost nothing: size and magic bytes. */
export function checkPhotoUpload(bytes: Buffer): ImageFormat {
  if (bytes.length > PHOTO_MAX_BYTES) {
    throw new DomainError('PAYLOAD_TOO_LARGE', `A photo may be at most ${mb(PHOTO_MAX_BYTES)}.`);
  }
  const format = detectImageFormat(bytes);
  if (!format) {
    throw new DomainError('UNSUPPORTED_MEDIA_TYPE', 'A photo must be a JPEG, PNG or WebP image.');
  }
  return format;
}

/** Checks the header's dimensions before anything is decoded. */
export function checkPhotoDimensions(width: number, height: number): void {
  if (width * height > PHOTO_MAX_PIXELS) {
    throw new DomainError(
      'PAYLOAD_TOO_LARGE',
      `A photo may have at most ${PHOTO_MAX_PIXELS / 1_000_000} megapixels; this one is ${width}×${height}.`,
    );
  }
}

export const corruptImage = () =>
  new DomainError('UNPROCESSABLE', 'The image is truncated or corrupt and cannot be read.');

const mb = (bytes: number) => `${bytes / (1024 * 1024)} MB`;
