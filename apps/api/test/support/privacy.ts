import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DatabaseConfig } from '../../src/config/config';
import { openDatabase } from '../../src/db/database';
import { migrateToLatest } from '../../src/db/migrate';
import type { InventoryDatabase } from '../../src/db/schema';
import { DataKeysRepository } from '../../src/modules/privacy/data-keys.repository';
import { Keyring } from '../../src/modules/privacy/keyring';
import { PrivacyService } from '../../src/modules/privacy/privacy.service';
import { systemClock } from '../../src/ports/clock';

/** A real PrivacyService on a private in-memory SQLite database, for tests of its users. */
export async function inMemoryPrivacy(): Promise<{ privacy: PrivacyService; close: () => Promise<void> }> {
  const handle = openDatabase<InventoryDatabase>({ url: 'sqlite::memory:', poolSize: 1 } as DatabaseConfig);
  await migrateToLatest(handle.db, 'inventory');
  const privacy = new PrivacyService(
    new DataKeysRepository(handle.db),
    new Keyring([{ kid: 'test-kek', key: randomBytes(32) }]),
    systemClock,
  );
  await privacy.verifyKeyring();
  return { privacy, close: () => handle.close() };
}

const sharedKek = { kid: 'test-kek-shared', key: randomBytes(32) };

/** A real PrivacyService on a test's own (migrated) inventory database; one KEK per test process. */
export function privacyOn(db: Kysely<InventoryDatabase>): PrivacyService {
  return new PrivacyService(new DataKeysRepository(db), new Keyring([sharedKek]), systemClock);
}
