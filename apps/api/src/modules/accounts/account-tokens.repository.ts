import type { Kysely, Selectable } from 'kysely';
import type { AccountTokensTable, InventoryDatabase } from '../../db/schema';

export type AccountTokenRow = Selectable<AccountTokensTable>;
export type AccountTokenPurpose = AccountTokensTable['purpose'];
type Db = Kysely<InventoryDatabase>;

/** The single-use links of modules/accounts; tokens are looked up by their SHA-256 only. */
export class AccountTokensRepository {
  constructor(private readonly db: Db) {}

  async insert(row: AccountTokenRow, db: Db = this.db): Promise<void> {
    await db.insertInto('account_tokens').values(row).execute();
  }

  /** An unused, unexpired token of that purpose, or undefined (unknown, used and expired look alike). */
  live(hash: string, purpose: AccountTokenPurpose, now: string, db: Db = this.db) {
    return db
      .selectFrom('account_tokens')
      .selectAll()
      .where('token_hash', '=', hash)
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .where('expires_at', '>', now)
      .executeTakeFirst();
  }

  /** Marks a token used; false when a concurrent request used it first. */
  async consume(id: string, at: string, db: Db = this.db): Promise<boolean> {
    const result = await db
      .updateTable('account_tokens')
      .set({ used_at: at })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Retires every unused token of a user for that purpose (a reset makes older reset links void). */
  async retireAll(userId: string, purpose: AccountTokenPurpose, at: string, db: Db = this.db): Promise<void> {
    await db
      .updateTable('account_tokens')
      .set({ used_at: at })
      .where('user_id', '=', userId)
      .where('purpose', '=', purpose)
      .where('used_at', 'is', null)
      .execute();
  }
}
