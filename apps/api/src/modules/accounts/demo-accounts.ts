import type { Role } from '@carebook/contracts';
import type { Kysely } from 'kysely';
import type { InventoryDatabase } from '../../db/schema';
import { newId } from '../../lib/ids';
import { type Clock, toDbTime } from '../../ports/clock';
import type { PasswordHasher } from '../auth/passwords';

/** Demo accounts for the embedded profile only; production refuses SEED_DEMO_DATA. */
export const demoAccounts: { email: string; password: string; displayName: string; role: Role }[] = [
  { email: 'admin@carebook.test', password: 'carebook-admin-demo', displayName: 'Ada Admin', role: 'admin' },
  {
    email: 'provider@carebook.test',
    password: 'carebook-provider-demo',
    displayName: 'Dr. Paula Provider',
    role: 'provider',
  },
  {
    email: 'patient@carebook.test',
    password: 'carebook-patient-demo',
    displayName: 'Pat Patient',
    role: 'patient',
  },
];

/** Creates the demo accounts that do not exist yet; returns the e-mails created. */
export async function seedDemoAccounts(
  db: Kysely<InventoryDatabase>,
  hasher: PasswordHasher,
  clock: Clock,
): Promise<string[]> {
  const created: string[] = [];
  for (const account of demoAccounts) {
    const exists = await db
      .selectFrom('users')
      .select('id')
      .where('email', '=', account.email)
      .executeTakeFirst();
    if (exists) continue;
    const now = toDbTime(clock.now());
    await db
      .insertInto('users')
      .values({
        id: newId(),
        email: account.email,
        password_hash: await hasher.hash(account.password),
        display_name: account.displayName,
        role: account.role,
        status: 'active',
        verified: 1,
        provider_id: null,
        suspended_reason: null,
        created_at: now,
        updated_at: now,
      })
      .execute();
    created.push(account.email);
  }
  return created;
}
