import type { Kysely, Selectable } from 'kysely';
import type { InventoryDatabase, PatientDataKeysTable } from '../../db/schema';

export type DataKeyRow = Selectable<PatientDataKeysTable>;
type Db = Kysely<InventoryDatabase>;

/** Wrapped data keys and key-check values (inventory database). */
export class DataKeysRepository {
  constructor(private readonly db: Db) {}

  byOwner(userId: string): Promise<DataKeyRow | undefined> {
    return this.db
      .selectFrom('patient_data_keys')
      .selectAll()
      .where('user_id', '=', userId)
      .executeTakeFirst();
  }

  async byOwners(userIds: readonly string[]): Promise<DataKeyRow[]> {
    if (userIds.length === 0) return [];
    return this.db
      .selectFrom('patient_data_keys')
      .selectAll()
      .where('user_id', 'in', [...userIds])
      .execute();
  }

  /**
   * Inserts unless the owner already has a key (another request or instance was first). Never
   * for an erased account: its key was destroyed on purpose (crypto-shredding), and a new one
   * would make what is sealed after the erasure (a late notification) readable again. Erasure
   * marks the account before it destroys the key, so checking after the insert catches every
   * key made too late; such a key is removed again at once, and the caller finds none.
   */
  async insertIfAbsent(row: DataKeyRow): Promise<void> {
    await this.db.insertInto('patient_data_keys').values(row).orIgnore().execute();
    const owner = await this.db
      .selectFrom('users')
      .select('erased_at')
      .where('id', '=', row.user_id)
      .executeTakeFirst();
    if (owner?.erased_at)
      await this.db
        .deleteFrom('patient_data_keys')
        .where('user_id', '=', row.user_id)
        .where('key_id', '=', row.key_id)
        .execute();
  }

  /** Crypto-shredding: without the row, nothing sealed with the key can be read again. */
  async delete(userId: string): Promise<boolean> {
    const r = await this.db.deleteFrom('patient_data_keys').where('user_id', '=', userId).executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }

  /** The next keys not wrapped under `currentKek`, in a stable order (rotation resumes from the database). */
  notWrappedUnder(currentKek: string, limit: number): Promise<DataKeyRow[]> {
    return this.db
      .selectFrom('patient_data_keys')
      .selectAll()
      .where('kek_id', '!=', currentKek)
      .orderBy('user_id')
      .limit(limit)
      .execute();
  }

  /** Swaps the wrapping if nobody changed the row meanwhile; false when it had changed. */
  async rewrap(old: DataKeyRow, wrapped: string, kekId: string, at: string): Promise<boolean> {
    const r = await this.db
      .updateTable('patient_data_keys')
      .set({ wrapped_key: wrapped, kek_id: kekId, rotated_at: at })
      .where('user_id', '=', old.user_id)
      .where('kek_id', '=', old.kek_id)
      .where('wrapped_key', '=', old.wrapped_key)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async kekUsage(): Promise<{ kekId: string; count: number }[]> {
    const rows = await this.db
      .selectFrom('patient_data_keys')
      .select(['kek_id', (eb) => eb.fn.countAll<number | string>().as('n')])
      .groupBy('kek_id')
      .execute();
    return rows.map((r) => ({ kekId: r.kek_id, count: Number(r.n) }));
  }

  keyCheck(kekId: string): Promise<string | undefined> {
    return this.db
      .selectFrom('encryption_key_checks')
      .select('check_value')
      .where('kek_id', '=', kekId)
      .executeTakeFirst()
      .then((r) => r?.check_value);
  }

  async insertKeyCheckIfAbsent(kekId: string, checkValue: string, at: string): Promise<void> {
    await this.db
      .insertInto('encryption_key_checks')
      .values({ kek_id: kekId, check_value: checkValue, created_at: at })
      .orIgnore()
      .execute();
  }
}
