import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../../config/config';
import type { EncryptionKey } from '../../config/privacy';
import { writeSecretFile } from '../../lib/secret-file';
import { KEY_BYTES } from './aead';

/** Raised when the keys cannot decrypt what the database holds: start-up stops with its message. */
export class KeyringError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyringError';
  }
}

/** The key-encryption keys (KEKs): the first wraps new data keys, every one of them unwraps. */
export class Keyring {
  private readonly byKid: Map<string, Buffer>;

  constructor(readonly keys: readonly EncryptionKey[]) {
    if (keys.length === 0) throw new KeyringError('ENCRYPTION_KEYS: no key-encryption key configured');
    this.byKid = new Map(keys.map((k) => [k.kid, k.key]));
  }

  get current(): EncryptionKey {
    return this.keys[0] as EncryptionKey;
  }

  has(kid: string): boolean {
    return this.byKid.has(kid);
  }

  key(kid: string): Buffer {
    const key = this.byKid.get(kid);
    if (!key)
      throw new KeyringError(
        `ENCRYPTION_KEYS has no key "${kid}", which wrapped data in this database; add it back (remove a key only after npm run rotate-keys)`,
      );
    return key;
  }
}

export const ENCRYPTION_KEYS_FILE = 'encryption-keys.json';

/**
 * Production must configure ENCRYPTION_KEYS (config.ts refuses to start without). The embedded
 * profile makes one key once and keeps it, owner-only, in the data directory.
 */
export function resolveKeyring(config: Config): Keyring {
  const configured = config.privacy.encryptionKeys;
  if (configured !== 'generate') return new Keyring(configured);
  if (config.profile === 'production')
    throw new KeyringError('ENCRYPTION_KEYS is required in the production profile');
  const file = join(config.dataDir, ENCRYPTION_KEYS_FILE);
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { kid: string; key: string }[];
    return new Keyring(stored.map((k) => ({ kid: k.kid, key: Buffer.from(k.key, 'base64') })));
  }
  const key = { kid: `kek-${Date.now().toString(36)}`, key: randomBytes(KEY_BYTES) };
  writeSecretFile(file, JSON.stringify([{ kid: key.kid, key: key.key.toString('base64') }]));
  return new Keyring([key]);
}
