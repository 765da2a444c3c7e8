import type { Migration } from 'kysely';
import { instant, type MigrationDb, tableOptions, uuid } from '../helpers';

/**
 * A patient's contact details for clinics (modules/accounts/profile): phone and date of birth
 * sealed with the patient's data key (modules/privacy; erasing the key shreds them), the
 * preferred language in clear (a language code, not health data).
 */
export const patientProfiles: Migration = {
  async up(db: MigrationDb) {
    await tableOptions(
      db,
      db.schema
        .createTable('patient_profiles')
        .addColumn('user_id', uuid, (c) => c.primaryKey().references('users.id').onDelete('cascade'))
        .addColumn('phone_sealed', 'varchar(255)')
        .addColumn('birth_date_sealed', 'varchar(255)')
        .addColumn('preferred_language', 'varchar(16)')
        .addColumn('updated_at', instant, (c) => c.notNull()),
    ).execute();
  },
  async down(db: MigrationDb) {
    await db.schema.dropTable('patient_profiles').execute();
  },
};
