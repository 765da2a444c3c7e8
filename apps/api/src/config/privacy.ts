import type { EnvReader } from './cluster';

export interface EncryptionKey {
  kid: string;
  key: Buffer;
}

/** How long what the retention job prunes is kept (jobs/retention.ts, docs/security.md). */
export interface RetentionConfig {
  /** How often the retention job runs (minutes); 0 turns it off. */
  intervalMinutes: number;
  deliveredOutboxDays: number;
  /** Sessions (and their refresh tokens) this many days after they expired or were revoked. */
  endedSessionsDays: number;
  /** Used or expired refresh tokens of live sessions. */
  spentRefreshTokensDays: number;
  paymentEventsDays: number;
  idempotencyKeysHours: number;
  readNotificationsDays: number;
  devMailboxDays: number;
}

export interface PrivacyConfig {
  /** Key-encryption keys; the first one wraps new data keys, all of them unwrap. */
  encryptionKeys: EncryptionKey[] | 'generate';
  retention: RetentionConfig;
}

export function readPrivacyConfig(
  read: EnvReader,
  raw: string | undefined,
  prod: boolean,
  problems: string[],
): PrivacyConfig {
  const encryptionKeys = parseEncryptionKeys(raw, problems);
  if (prod && encryptionKeys === 'generate')
    problems.push(
      'ENCRYPTION_KEYS: required in the production profile (format kid:base64key[,kid:base64key], 32-byte keys, the first one current)',
    );
  return {
    encryptionKeys,
    retention: {
      intervalMinutes: read.int('RETENTION_INTERVAL_MINUTES', 60, 0, 10_080),
      deliveredOutboxDays: read.int('RETAIN_DELIVERED_OUTBOX_DAYS', 7, 1, 3650),
      endedSessionsDays: read.int('RETAIN_ENDED_SESSIONS_DAYS', 30, 1, 3650),
      spentRefreshTokensDays: read.int('RETAIN_SPENT_REFRESH_TOKENS_DAYS', 7, 1, 3650),
      paymentEventsDays: read.int('RETAIN_PAYMENT_EVENTS_DAYS', 90, 1, 3650),
      idempotencyKeysHours: read.int('RETAIN_IDEMPOTENCY_KEYS_HOURS', 72, 1, 87_600),
      readNotificationsDays: read.int('RETAIN_READ_NOTIFICATIONS_DAYS', 90, 1, 3650),
      devMailboxDays: read.int('RETAIN_DEV_MAILBOX_DAYS', 7, 1, 3650),
    },
  };
}

function parseEncryptionKeys(raw: string | undefined, problems: string[]): EncryptionKey[] | 'generate' {
  if (!raw) return 'generate';
  const keys: EncryptionKey[] = [];
  for (const part of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const i = part.indexOf(':');
    const kid = i > 0 ? part.slice(0, i) : '';
    const b64 = i > 0 ? part.slice(i + 1) : '';
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(kid) || !b64) {
      problems.push('ENCRYPTION_KEYS: each entry must be kid:base64key (kid of letters, digits, _ and -)');
      return 'generate';
    }
    const key = Buffer.from(b64, 'base64');
    if (key.length !== 32) {
      problems.push(`ENCRYPTION_KEYS: key "${kid}" must be exactly 32 bytes (256 bits), base64-encoded`);
      return 'generate';
    }
    if (keys.some((k) => k.kid === kid)) {
      problems.push(`ENCRYPTION_KEYS: key id "${kid}" appears twice`);
      return 'generate';
    }
    keys.push({ kid, key });
  }
  if (keys.length === 0) problems.push('ENCRYPTION_KEYS: no keys given');
  return keys;
}
