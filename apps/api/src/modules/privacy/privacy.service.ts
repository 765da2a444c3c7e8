import { randomBytes } from 'node:crypto';
import { type Clock, toDbTime } from '../../ports/clock';
import { DecryptionError, KEY_BYTES, openBinary, openText, sealBinary, sealText, textKid } from './aead';
import { BlindIndex, type BlindIndexPurpose } from './blind-index';
import type { DataKeyRow, DataKeysRepository } from './data-keys.repository';
import { type Keyring, KeyringError } from './keyring';

/** The owner of the data key for secrets that belong to no patient (providers' documents, …). */
export const SYSTEM_KEY_OWNER = 'system';

/** Thrown when the owner has no data key: it was destroyed (erasure) or never made. */
export class DataKeyMissing extends DecryptionError {}

/** A stored value that is not a `v1.` envelope is legacy plaintext (written before encryption). */
export const isSealed = (value: string): boolean => textKid(value) !== null;
const KEY_CHECK_PLAINTEXT = Buffer.from('carebook key check v1', 'utf8');
const KEY_CHECK_AAD = 'key-check';

interface CachedKey {
  keyId: string;
  key: Buffer;
  until: number;
}

export interface PrivacyOptions {
  /** Unwrapped data keys kept in memory per instance (least recently used dropped). */
  cacheSize?: number;
  /** How long an unwrapped key is kept; bounds how long another instance can still use a destroyed key. */
  cacheTtlMs?: number;
}

/**
 * Envelope encryption of personal data. Every patient has a data key (AES-256), stored wrapped
 * under the current key-encryption key (KEK) with the patient id as associated data, so a wrapped
 * key copied onto another patient does not unwrap. Fields are sealed with the data key in the
 * `v1.<keyId>.<iv>.<tag>.<ct>` format (aead.ts). Destroying a patient's key (crypto-shredding)
 * makes every copy of their sealed data unreadable, backups included.
 */
export class PrivacyService {
  private readonly cache = new Map<string, CachedKey>();
  private readonly cacheSize: number;
  private readonly cacheTtlMs: number;

  constructor(
    private readonly repo: DataKeysRepository,
    private readonly keyring: Keyring,
    private readonly clock: Clock,
    options: PrivacyOptions = {},
  ) {
    this.cacheSize = options.cacheSize ?? 10_000;
    this.cacheTtlMs = options.cacheTtlMs ?? 5 * 60_000;
  }

  /**
   * Start-up check: every configured KEK matches the key-check value stored for its id (stored
   * on first use), and every KEK that wraps a data key is configured. Throws a KeyringError that
   * says what to fix; nothing is ever decrypted with a wrong key.
   */
  async verifyKeyring(): Promise<void> {
    for (const { kid, key } of this.keyring.keys) {
      let stored = await this.repo.keyCheck(kid);
      if (stored === undefined) {
        const check = sealText(kid, key, KEY_CHECK_PLAINTEXT, KEY_CHECK_AAD);
        await this.repo.insertKeyCheckIfAbsent(kid, check, toDbTime(this.clock.now()));
        stored = await this.repo.keyCheck(kid);
      }
      try {
        if (!stored) throw new DecryptionError('missing');
        const opened = openText(stored, () => key, KEY_CHECK_AAD);
        if (!opened.equals(KEY_CHECK_PLAINTEXT)) throw new DecryptionError('mismatch');
      } catch {
        throw new KeyringError(
          `ENCRYPTION_KEYS: key "${kid}" is not the key this database knows by that id (its key-check value does not decrypt). Configure the original key for "${kid}".`,
        );
      }
    }
    const missing = (await this.repo.kekUsage()).filter((u) => !this.keyring.has(u.kekId));
    if (missing.length > 0)
      throw new KeyringError(
        `ENCRYPTION_KEYS is missing ${missing.map((m) => `"${m.kekId}" (wraps ${m.count} data key(s))`).join(', ')}. Add it back; remove a key only after \`npm run rotate-keys\` has re-wrapped everything under the current key.`,
      );
  }

  async encryptForPatient(patientId: string, plaintext: string): Promise<string> {
    const dk = await this.dataKey(patientId, true);
    return sealText(dk.keyId, dk.key, Buffer.from(plaintext, 'utf8'));
  }

  /**
   * A synchronous `encryptForPatient` for one patient (the data key made or looked up now): for
   * sealing inside a transaction that must not wait on the key store.
   */
  async sealerForPatient(patientId: string): Promise<(plaintext: string) => string> {
    const dk = await this.dataKey(patientId, true);
    return (plaintext) => sealText(dk.keyId, dk.key, Buffer.from(plaintext, 'utf8'));
  }

  async decryptForPatient(patientId: string, ciphertext: string): Promise<string> {
    const dk = await this.dataKey(patientId, false);
    return this.openWith(dk, ciphertext, patientId);
  }

  /** Seals many values of one patient; null stays null. */
  async encryptManyForPatient(
    patientId: string,
    values: readonly (string | null)[],
  ): Promise<(string | null)[]> {
    if (values.every((v) => v === null)) return values.map(() => null);
    const dk = await this.dataKey(patientId, true);
    return values.map((v) => (v === null ? null : sealText(dk.keyId, dk.key, Buffer.from(v, 'utf8'))));
  }

  /** Opens values of many patients with one key lookup per patient; null stays null. */
  async decryptMany(
    items: readonly { patientId: string; value: string | null }[],
  ): Promise<(string | null)[]> {
    await this.preload([...new Set(items.filter((i) => i.value !== null).map((i) => i.patientId))]);
    return Promise.all(
      items.map((i) => (i.value === null ? null : this.decryptForPatient(i.patientId, i.value))),
    );
  }

  /**
   * Opens stored fields for display, one key lookup per patient: legacy plaintext (not a `v1.`
   * envelope) is returned as it is, and a value whose patient's key was destroyed (erased) comes
   * back `null`, so one erased patient never breaks a list. A wrong key or a tampered value still
   * throws (an error, never garbage).
   */
  async revealMany(
    items: readonly { patientId: string; value: string | null }[],
  ): Promise<(string | null)[]> {
    const sealed = items.filter((i) => i.value !== null && isSealed(i.value));
    await this.preload([...new Set(sealed.map((i) => i.patientId))]);
    const now = Date.now();
    return Promise.all(
      items.map(async (i) => {
        if (i.value === null || !isSealed(i.value)) return i.value;
        // preload() cached every key that exists; a missing one is not looked up again per value.
        const key = this.cache.get(i.patientId);
        if (!key || key.until <= now) return null;
        // Sealed under a data key the patient no longer has (destroyed, then a new one made): shredded.
        if (textKid(i.value) !== key.keyId) return null;
        try {
          return await this.decryptForPatient(i.patientId, i.value);
        } catch (err) {
          if (err instanceof DataKeyMissing) return null;
          throw err;
        }
      }),
    );
  }

  /** Seals a value unless it is null or sealed already (legacy plaintext gets sealed). */
  async sealIfPlain(patientId: string, value: string | null): Promise<string | null> {
    return value === null || isSealed(value) ? value : this.encryptForPatient(patientId, value);
  }

  encryptSystem(plaintext: string): Promise<string> {
    return this.encryptForPatient(SYSTEM_KEY_OWNER, plaintext);
  }

  decryptSystem(ciphertext: string): Promise<string> {
    return this.decryptForPatient(SYSTEM_KEY_OWNER, ciphertext);
  }

  /** Binary envelope (CBE1) for blobs such as licence documents, under the system key. */
  async encryptSystemBytes(plaintext: Buffer): Promise<Buffer> {
    const dk = await this.dataKey(SYSTEM_KEY_OWNER, true);
    return sealBinary(dk.keyId, dk.key, plaintext);
  }

  async decryptSystemBytes(sealed: Buffer): Promise<Buffer> {
    const dk = await this.dataKey(SYSTEM_KEY_OWNER, false);
    return openBinary(sealed, (kid) => {
      if (kid !== dk.keyId) throw new DecryptionError(`sealed with key "${kid}", not the system key`);
      return dk.key;
    });
  }

  /** Keyed hashes for `purpose`, under this keyring (never stored: see blind-index.ts). */
  blindIndex(purpose: BlindIndexPurpose): BlindIndex {
    return new BlindIndex(this.keyring, purpose);
  }

  /** Crypto-shredding: deletes the patient's data key; what was sealed with it is unreadable from now on. */
  async destroyPatientKey(patientId: string): Promise<boolean> {
    this.cache.delete(patientId);
    return this.repo.delete(patientId);
  }

  /** Forgets a cached key (another instance destroyed it); the next use reads the database. */
  forget(patientId: string): void {
    this.cache.delete(patientId);
  }

  private openWith(dk: { keyId: string; key: Buffer }, ciphertext: string, owner: string): string {
    const kid = textKid(ciphertext);
    if (kid !== dk.keyId)
      throw new DecryptionError(
        kid ? `sealed with data key "${kid}", which is not ${owner}'s key` : 'not a v1 ciphertext',
      );
    return openText(ciphertext, () => dk.key).toString('utf8');
  }

  private async preload(owners: string[]): Promise<void> {
    const now = Date.now();
    const missing = owners.filter((o) => (this.cache.get(o)?.until ?? 0) <= now);
    for (const row of await this.repo.byOwners(missing)) this.remember(row);
  }

  private async dataKey(owner: string, create: boolean): Promise<{ keyId: string; key: Buffer }> {
    const cached = this.cache.get(owner);
    if (cached && cached.until > Date.now()) {
      // Recently used goes to the back of the eviction order.
      this.cache.delete(owner);
      this.cache.set(owner, cached);
      return cached;
    }
    let row = await this.repo.byOwner(owner);
    if (!row && create) {
      const kek = this.keyring.current;
      const key = randomBytes(KEY_BYTES);
      await this.repo.insertIfAbsent({
        user_id: owner,
        key_id: `dk${randomBytes(10).toString('base64url')}`,
        wrapped_key: sealText(kek.kid, kek.key, key, owner),
        kek_id: kek.kid,
        created_at: toDbTime(this.clock.now()),
        rotated_at: null,
      });
      row = await this.repo.byOwner(owner);
    }
    if (!row) throw new DataKeyMissing(`no data key for ${owner}: it was destroyed (erased) or never made`);
    return this.remember(row);
  }

  private remember(row: DataKeyRow): CachedKey {
    const key = unwrapDataKey(this.keyring, row);
    const entry = { keyId: row.key_id, key, until: Date.now() + this.cacheTtlMs };
    this.cache.set(row.user_id, entry);
    if (this.cache.size > this.cacheSize) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    return entry;
  }
}

/** Unwraps a stored data key with the KEK its envelope names (the owner is the associated data). */
export function unwrapDataKey(keyring: Keyring, row: DataKeyRow): Buffer {
  return openText(row.wrapped_key, (kid) => keyring.key(kid), row.user_id);
}

/** Wraps a data key under the current KEK. */
export function wrapDataKey(
  keyring: Keyring,
  owner: string,
  key: Buffer,
): { wrapped: string; kekId: string } {
  const kek = keyring.current;
  return { wrapped: sealText(kek.kid, kek.key, key, owner), kekId: kek.kid };
}
