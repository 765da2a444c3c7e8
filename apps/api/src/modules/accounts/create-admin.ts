import type { Kysely } from 'kysely';
import type { InventoryDatabase } from '../../db/schema';
import { newId } from '../../lib/ids';
import type { Clock } from '../../ports/clock';
import { AuditRepository } from '../audit/audit.repository';
import { AuditService } from '../audit/audit.service';
import type { PasswordHasher } from '../auth/passwords';
import { newAccountRow, UsersRepository } from './users.repository';

export interface NewAdmin {
  email: string;
  displayName: string;
  password: string;
}

export class CreateAdminError extends Error {}

/**
 * Creates an administrator account from the command line (`npm run create-admin`): the production
 * profile seeds no accounts, so the first admin has to come from somewhere other than the API.
 * The account and its audit entry commit together; an e-mail already in use is refused, never
 * promoted silently (promote through the admin API instead).
 */
export async function createAdmin(
  db: Kysely<InventoryDatabase>,
  hasher: PasswordHasher,
  clock: Clock,
  admin: NewAdmin,
): Promise<string> {
  const email = admin.email.trim().toLowerCase();
  const displayName = admin.displayName.trim();
  if (email.length > 254 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
    throw new CreateAdminError(`"${admin.email}" is not an e-mail address`);
  // The same rule as registration (packages/contracts Password).
  if (admin.password.length < 10 || admin.password.length > 256)
    throw new CreateAdminError('the password must be 10 to 256 characters long');
  if (displayName.length < 1 || displayName.length > 120)
    throw new CreateAdminError('the display name must be 1 to 120 characters long');
  const passwordHash = await hasher.hash(admin.password);
  const audit = new AuditService(new AuditRepository(db), clock);
  const users = new UsersRepository(db);
  const row = newAccountRow({
    email,
    passwordHash,
    displayName,
    role: 'admin',
    verified: true,
    emailVerified: true,
    at: clock.now(),
  });
  const { id } = row;
  await db.transaction().execute(async (trx) => {
    if (await users.byEmail(email, trx))
      throw new CreateAdminError(`an account with ${email} already exists`);
    await users.insert(row, trx);
    await audit.record(
      { action: 'admin.bootstrapped', target: { type: 'user', id }, details: { email, via: 'cli' } },
      { ip: null, userAgent: 'create-admin', requestId: newId() },
      trx,
    );
  });
  return id;
}
