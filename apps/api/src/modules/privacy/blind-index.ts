import { createHmac, hkdfSync } from 'node:crypto';
import type { Keyring } from './keyring';

/** What a blind index is for; each purpose gets its own key, so values never match across them. */
export type BlindIndexPurpose = 'sms-phone' | 'sign-in-email' | 'reset-email';

const PREFIX = 'h1';

/**
 * Keyed hashes (HMAC-SHA256) of personal values that must be found by equality without being
 * stored: the SMS number for STOP/START, the e-mail typed at a failed sign-in. The key is derived
 * (HKDF-SHA256) from a key-encryption key of the keyring and the purpose, so it is never stored in
 * the database: a copy of the database alone cannot test guesses. The stored form
 * `h1.<kek id>.<mac>` names the KEK, so during a rotation lookups try every configured key
 * (`candidates`) while new values use the current one.
 */
export class BlindIndex {
  private readonly keys = new Map<string, Buffer>();

  constructor(
    private readonly keyring: Keyring,
    private readonly purpose: BlindIndexPurpose,
  ) {}

  /** The index of a value under the current key: what is stored. */
  of(value: string): string {
    return this.under(this.keyring.current.kid, value);
  }

  /** The index of a value under every configured key, current first: what a lookup matches. */
  candidates(value: string): string[] {
    return this.keyring.keys.map((k) => this.under(k.kid, value));
  }

  /** How an index made with the current key begins (one made otherwise is redone by `npm run rotate-keys`). */
  currentPrefix(): string {
    return `${PREFIX}.${this.keyring.current.kid}.`;
  }

  private under(kid: string, value: string): string {
    let key = this.keys.get(kid);
    if (!key) {
      key = Buffer.from(hkdfSync('sha256', this.keyring.key(kid), 'carebook-blind-index', this.purpose, 32));
      this.keys.set(kid, key);
    }
    return `${PREFIX}.${kid}.${createHmac('sha256', key).update(value, 'utf8').digest('base64url')}`;
  }
}
