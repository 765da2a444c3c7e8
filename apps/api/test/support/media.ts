import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import type { BlobInfo, BlobPutOptions, BlobStore, StoredBlob } from '../../src/ports/blob-store';

/** Test images, generated with sharp at test time. */
export function solidImage(
  format: 'jpeg' | 'png' | 'webp' | 'gif',
  width: number,
  height: number,
  channels: 3 | 4 = 3,
): Promise<Buffer> {
  const background = channels === 4 ? { r: 20, g: 120, b: 200, alpha: 0.5 } : { r: 20, g: 120, b: 200 };
  return sharp({ create: { width, height, channels, background } })[format]().toBuffer();
}

/** A JPEG carrying GPS coordinates, a camera make and an EXIF orientation (6 = rotate 90° clockwise). */
export function jpegWithExif(width: number, height: number, orientation = 6): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#336699' } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'SecretCam' },
      IFD3: {
        GPSLatitudeRef: 'N',
        GPSLatitude: '48/1 51/1 24/1',
        GPSLongitudeRef: 'E',
        GPSLongitude: '2/1 21/1 7/1',
      },
    })
    .withMetadata({ orientation })
    .toBuffer();
}

/** The EXIF tag that points at the GPS directory, little-endian as sharp writes it. */
export const GPS_IFD_POINTER = Buffer.from([0x25, 0x88]);

/** A PNG whose header claims the given size, with no real pixel data: costs no memory. */
export function pngClaiming(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(16))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

export const truncate = (bytes: Buffer, fraction = 0.5) =>
  bytes.subarray(0, Math.floor(bytes.length * fraction));

export function minimalPdf(text = 'licence'): Buffer {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% ${text}\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
  );
}

/** Wraps a store: counts puts and makes the Nth one fail, before or after it really writes. */
export class FailingBlobStore implements BlobStore {
  puts = 0;
  constructor(
    private readonly inner: BlobStore,
    private readonly failOnPut = Number.POSITIVE_INFINITY,
    private readonly failAfterWriting = false,
  ) {}

  async put(key: string, body: Buffer, options: BlobPutOptions): Promise<void> {
    this.puts += 1;
    if (this.puts !== this.failOnPut) return this.inner.put(key, body, options);
    if (this.failAfterWriting) await this.inner.put(key, body, options);
    throw new Error(`injected failure on put #${this.puts}`);
  }
  get(key: string): Promise<StoredBlob | null> {
    return this.inner.get(key);
  }
  head(key: string): Promise<BlobInfo | null> {
    return this.inner.head(key);
  }
  exists(key: string): Promise<boolean> {
    return this.inner.exists(key);
  }
  delete(key: string): Promise<void> {
    return this.inner.delete(key);
  }
}
