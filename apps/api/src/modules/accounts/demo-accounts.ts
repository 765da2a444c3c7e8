import type { Role } from '@carebook/contracts';
import type { Kysely } from 'kysely';
import type { InventoryDatabase } from '../../db/schema';
import type { Clock } from '../../ports/clock';
import type { PasswordHasher } from '../auth/passwords';
import { newAccountRow, UsersRepository } from './users.repository';

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
  const users = new UsersRepository(db);
  const created: string[] = [];
  for (const account of demoAccounts) {
    if (await users.byEmail(account.email)) continue;
    await users.insert(
      newAccountRow({
        email: account.email,
        passwordHash: await hasher.hash(account.password),
        displayName: account.displayName,
        role: account.role,
        verified: true,
        emailVerified: true,
        at: clock.now(),
      }),
    );
    created.push(account.email);
  }
  return created;
}
