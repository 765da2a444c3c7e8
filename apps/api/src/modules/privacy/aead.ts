import { createCipheriv, createDecipheriv } from 'node:crypto';
import { RandomPool } from '../../lib/random-pool';

/**
 * AES-256-GCM with a self-describing envelope. Text form (database columns):
 *
 *   v1.<kid>.<iv>.<tag>.<ciphertext>      (iv, tag, ciphertext base64url; kid [A-Za-z0-9_-])
 *
 * Binary form (blobs): "CBE1", one byte kid length, kid, 12-byte iv, 16-byte tag, ciphertext.
 * The kid names the key that sealed it, so a reader never guesses and a wrong key is an
 * authentication failure (GCM tag), never garbage.
 */
export const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const TEXT_VERSION = 'v1';
const BINARY_MAGIC = Buffer.from('CBE1', 'latin1');
const KID = /^[A-Za-z0-9_-]{1,64}$/;
/** The 96-bit IVs are random (NIST SP 800-38D 8.2.2), drawn from a pool. */
const ivs = new RandomPool();

export class DecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecryptionError';
  }
}

function assertKid(kid: string): void {
  if (!KID.test(kid)) throw new RangeError(`key id "${kid}" must be 1-64 of [A-Za-z0-9_-]`);
}

function gcmSeal(key: Buffer, plaintext: Buffer, aad: string | undefined) {
  if (key.length !== KEY_BYTES) throw new RangeError('AES-256-GCM needs a 32-byte key');
  const iv = ivs.bytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  if (aad) cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, tag: cipher.getAuthTag(), ct };
}

function gcmOpen(key: Buffer, iv: Buffer, tag: Buffer, ct: Buffer, aad: string | undefined): Buffer {
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new DecryptionError('malformed ciphertext');
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  if (aad) decipher.setAAD(Buffer.from(aad, 'utf8'));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(ct), decipher.final()]);
  } catch {
    throw new DecryptionError('ciphertext does not authenticate under its key (wrong key or tampered)');
  }
}

export function sealText(kid: string, key: Buffer, plaintext: Buffer, aad?: string): string {
  assertKid(kid);
  const { iv, tag, ct } = gcmSeal(key, plaintext, aad);
  return [
    TEXT_VERSION,
    kid,
    iv.toString('base64url'),
    tag.toString('base64url'),
    ct.toString('base64url'),
  ].join('.');
}

/** The key id a text envelope names, or null when the value is not one. */
export function textKid(value: string): string | null {
  const parts = value.split('.');
  return parts.length === 5 && parts[0] === TEXT_VERSION && KID.test(parts[1] as string)
    ? (parts[1] as string)
    : null;
}

export function openText(value: string, keyFor: (kid: string) => Buffer, aad?: string): Buffer {
  const kid = textKid(value);
  if (!kid) throw new DecryptionError('not a v1 ciphertext');
  const [, , iv, tag, ct] = value.split('.') as [string, string, string, string, string];
  return gcmOpen(
    keyFor(kid),
    Buffer.from(iv, 'base64url'),
    Buffer.from(tag, 'base64url'),
    Buffer.from(ct, 'base64url'),
    aad,
  );
}

export function sealBinary(kid: string, key: Buffer, plaintext: Buffer): Buffer {
  assertKid(kid);
  const { iv, tag, ct } = gcmSeal(key, plaintext, undefined);
  const kidBytes = Buffer.from(kid, 'latin1');
  return Buffer.concat([BINARY_MAGIC, Buffer.from([kidBytes.length]), kidBytes, iv, tag, ct]);
}

export function binaryKid(value: Buffer): string | null {
  if (value.length < BINARY_MAGIC.length + 1 || !value.subarray(0, 4).equals(BINARY_MAGIC)) return null;
  const len = value[4] as number;
  const kid = value.subarray(5, 5 + len).toString('latin1');
  return KID.test(kid) && value.length >= 5 + len + IV_BYTES + TAG_BYTES ? kid : null;
}

export function openBinary(value: Buffer, keyFor: (kid: string) => Buffer): Buffer {
  const kid = binaryKid(value);
  if (!kid) throw new DecryptionError('not a CBE1 envelope');
  const start = 5 + kid.length;
  const iv = value.subarray(start, start + IV_BYTES);
  const tag = value.subarray(start + IV_BYTES, start + IV_BYTES + TAG_BYTES);
  return gcmOpen(keyFor(kid), iv, tag, value.subarray(start + IV_BYTES + TAG_BYTES), undefined);
}
