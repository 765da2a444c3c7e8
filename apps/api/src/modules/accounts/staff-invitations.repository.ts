import type { Kysely, Selectable } from 'kysely';
import type { InventoryDatabase, StaffInvitationsTable } from '../../db/schema';

export type StaffInvitationRow = Selectable<StaffInvitationsTable>;
type Db = Kysely<InventoryDatabase>;

export class StaffInvitationsRepository {
  constructor(private readonly db: Db) {}

  async insert(row: StaffInvitationRow, db: Db = this.db): Promise<void> {
    await db.insertInto('staff_invitations').values(row).execute();
  }

  /** An invitation still open: not accepted, not revoked, not expired. */
  live(hash: string, now: string, db: Db = this.db) {
    return db
      .selectFrom('staff_invitations')
      .selectAll()
      .where('token_hash', '=', hash)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
  }

  /** Marks it accepted; false when a concurrent acceptance (or a revocation) came first. */
  async accept(id: string, userId: string, at: string, db: Db = this.db): Promise<boolean> {
    const result = await db
      .updateTable('staff_invitations')
      .set({ accepted_at: at, accepted_user_id: userId })
      .where('id', '=', id)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async revoke(id: string, providerId: string, at: string, db: Db = this.db): Promise<boolean> {
    const result = await db
      .updateTable('staff_invitations')
      .set({ revoked_at: at })
      .where('id', '=', id)
      .where('provider_id', '=', providerId)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Invitations neither accepted nor revoked, newest first (expired ones included, marked so). */
  open(providerId: string): Promise<StaffInvitationRow[]> {
    return this.db
      .selectFrom('staff_invitations')
      .selectAll()
      .where('provider_id', '=', providerId)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .orderBy('created_at', 'desc')
      .limit(100)
      .execute();
  }

  staffOf(providerId: string) {
    return this.db
      .selectFrom('users')
      .select(['id', 'display_name', 'email'])
      .where('role', '=', 'staff')
      .where('provider_id', '=', providerId)
      .orderBy('display_name')
      .execute();
  }
}
