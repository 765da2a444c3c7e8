import { randomBytes } from 'node:crypto';
import type { DatabaseConfig } from '../../config/config';
import { openDatabase } from '../../db/database';
import { migrateToLatest } from '../../db/migrate';
import type { InventoryDatabase } from '../../db/schema';
import { systemClock } from '../../ports/clock';
import { DataKeysRepository } from './data-keys.repository';
import { Keyring } from './keyring';
import { PrivacyService } from './privacy.service';

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
