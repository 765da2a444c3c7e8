import type { Kysely, Selectable } from 'kysely';
import type { InventoryDatabase, PatientProfilesTable } from '../../db/schema';

export type ProfileRow = Selectable<PatientProfilesTable>;

export class ProfileRepository {
  constructor(private readonly db: Kysely<InventoryDatabase>) {}

  byUser(userId: string): Promise<ProfileRow | undefined> {
    return this.db
      .selectFrom('patient_profiles')
      .selectAll()
      .where('user_id', '=', userId)
      .executeTakeFirst();
  }

  async upsert(row: ProfileRow): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const updated = await trx
        .updateTable('patient_profiles')
        .set({
          phone_sealed: row.phone_sealed,
          birth_date_sealed: row.birth_date_sealed,
          preferred_language: row.preferred_language,
          updated_at: row.updated_at,
        })
        .where('user_id', '=', row.user_id)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0)
        await trx.insertInto('patient_profiles').values(row).execute();
    });
  }
}
