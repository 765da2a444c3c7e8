import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../test/support/app';
import { resolveWebhookSecret } from '../adapters/payments/webhook-secret';
import type { DatabaseConfig } from '../config/config';
import { resolveJwtKeys } from '../modules/auth/jwt-keys';
import { ENCRYPTION_KEYS_FILE, resolveKeyring } from '../modules/privacy/keyring';
import { openDatabase } from './database';

const modeOf = (file: string) => statSync(file).mode & 0o777;

describe('database and key files are owner-only (0600)', () => {
  let previous: number;
  beforeAll(() => {
    // A permissive umask, as a container or a careless service unit may have.
    previous = process.umask(0o000);
  });
  afterAll(() => {
    process.umask(previous);
  });

  it('SQLite database, WAL and shared-memory files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'carebook-modes-'));
    const file = join(dir, 'nested', 'carebook.db');
    const handle = openDatabase({ url: `sqlite:${file}`, poolSize: 1 } as DatabaseConfig);
    await sql`create table t (x integer)`.execute(handle.db);
    await sql`insert into t values (1)`.execute(handle.db);
    for (const f of [file, `${file}-wal`, `${file}-shm`]) {
      expect(existsSync(f), f).toBe(true);
      expect(modeOf(f), f).toBe(0o600);
    }
    expect(modeOf(join(dir, 'nested')) & 0o077).toBe(0);
    await handle.close();
  });

  it('generated JWT keys, encryption keys and the simulated webhook secret', () => {
    const config = testConfig({ JWT_KEYS: '' });
    resolveJwtKeys(config);
    resolveKeyring(config);
    resolveWebhookSecret(config);
    for (const name of ['jwt-keys.json', ENCRYPTION_KEYS_FILE, 'payments-webhook-secret'])
      expect(modeOf(join(config.dataDir, name)), name).toBe(0o600);
  });
});
