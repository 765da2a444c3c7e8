import type { Role, User, UserStatus } from '@carebook/contracts';
import type { Kysely, Selectable } from 'kysely';
import type { InventoryDatabase, UsersTable } from '../../db/schema';
import { newId } from '../../lib/ids';
import { paginate } from '../../lib/paginate';
import { fromDbTime, toDbTime } from '../../ports/clock';

export type UserRow = Selectable<UsersTable>;

export const toUser = (row: UserRow): User => ({
  id: row.id,
  email: row.email,
  displayName: row.display_name,
  role: row.role,
  status: row.status,
  verified: row.verified === 1,
  emailVerified: row.email_verified_at !== null,
  providerId: row.provider_id,
  createdAt: fromDbTime(row.created_at).toISOString(),
});

/**
 * The one way a new account row is made: registration, `create-admin`, the demo accounts and the
 * demo directory's owner all start here (active, not suspended, linked to no provider).
 */
export function newAccountRow(account: {
  email: string;
  passwordHash: string;
  displayName: string;
  role: Role;
  verified: boolean;
  /** Demo and command-line accounts are; a sign-up is not until its link is followed. */
  emailVerified: boolean;
  at: Date;
}): UserRow {
  const at = toDbTime(account.at);
  return {
    id: newId(),
    email: account.email,
    password_hash: account.passwordHash,
    display_name: account.displayName,
    role: account.role,
    status: 'active',
    verified: account.verified ? 1 : 0,
    provider_id: null,
    suspended_reason: null,
    created_at: at,
    updated_at: at,
    erased_at: null,
    email_verified_at: account.emailVerified ? at : null,
  };
}

/** What an erased account's row says instead of the person (modules/data-rights). */
export const ERASED_DISPLAY_NAME = 'Former patient';

export interface UserFilter {
  role?: Role;
  status?: UserStatus;
  verified?: boolean;
  q?: string;
}

export class UsersRepository {
  constructor(private readonly db: Kysely<InventoryDatabase>) {}

  byId(id: string, db: Kysely<InventoryDatabase> = this.db): Promise<UserRow | undefined> {
    return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The users with these ids that exist, in no particular order (one statement). */
  byIds(ids: readonly string[], db: Kysely<InventoryDatabase> = this.db): Promise<UserRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return db.selectFrom('users').selectAll().where('id', 'in', ids).execute();
  }

  byEmail(email: string, db: Kysely<InventoryDatabase> = this.db): Promise<UserRow | undefined> {
    return db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  }

  async insert(row: UserRow, db: Kysely<InventoryDatabase> = this.db): Promise<void> {
    await db.insertInto('users').values(row).execute();
  }

  async update(
    id: string,
    changes: Partial<Omit<UserRow, 'id' | 'created_at'>>,
    db: Kysely<InventoryDatabase> = this.db,
  ): Promise<void> {
    await db.updateTable('users').set(changes).where('id', '=', id).execute();
  }

  /**
   * Erasure (GDPR Art. 17): the row stays as a pseudonym so the bookings a practice keeps still
   * point at someone. The e-mail becomes a random placeholder (the address can register again and
   * nothing leads back to it), the name "Former patient", the password unusable, the account
   * suspended so no sign-in or session can start.
   */
  async pseudonymise(
    id: string,
    placeholderEmail: string,
    at: string,
    db: Kysely<InventoryDatabase> = this.db,
  ): Promise<void> {
    await db
      .updateTable('users')
      .set({
        email: placeholderEmail,
        display_name: ERASED_DISPLAY_NAME,
        password_hash: '!erased',
        status: 'suspended',
        suspended_reason: 'erased',
        erased_at: at,
        updated_at: at,
      })
      .where('id', '=', id)
      .execute();
  }

  async page(
    filter: UserFilter,
    page: number,
    pageSize: number,
  ): Promise<{ rows: UserRow[]; total: number }> {
    let query = this.db.selectFrom('users');
    if (filter.role) query = query.where('role', '=', filter.role);
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.verified !== undefined) query = query.where('verified', '=', filter.verified ? 1 : 0);
    if (filter.q) {
      const like = `%${filter.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query = query.where((eb) => eb.or([eb('email', 'like', like), eb('display_name', 'like', like)]));
    }
    return paginate(
      query,
      (q) => q.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc'),
      page,
      pageSize,
    );
  }
}
