import type { Migration } from 'kysely';
import { instant, type MigrationDb, tableOptions } from '../helpers';

/**
 * Envelope encryption (modules/privacy): one data key per patient (and one `system` key), stored
 * wrapped under a key-encryption key named by `kek_id`; deleting a row crypto-shreds everything
 * sealed with it. `encryption_key_checks` holds, per KEK, a value sealed with it at first use, so
 * start-up can tell a wrong key from a right one before decrypting anything.
 */
export const privacyKeys: Migration = {
  async up(db: MigrationDb) {
    await tableOptions(
      db,
      db.schema
        .createTable('patient_data_keys')
        .addColumn('user_id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('key_id', 'varchar(32)', (c) => c.notNull().unique())
        .addColumn('wrapped_key', 'varchar(255)', (c) => c.notNull())
        .addColumn('kek_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('rotated_at', instant),
    ).execute();
    await db.schema
      .createIndex('patient_data_keys_kek')
      .on('patient_data_keys')
      .columns(['kek_id', 'user_id'])
      .execute();
    await tableOptions(
      db,
      db.schema
        .createTable('encryption_key_checks')
        .addColumn('kek_id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('check_value', 'varchar(255)', (c) => c.notNull())
        .addColumn('created_at', instant, (c) => c.notNull()),
    ).execute();
  },
  async down(db: MigrationDb) {
    await db.schema.dropTable('encryption_key_checks').execute();
    await db.schema.dropTable('patient_data_keys').execute();
  },
};
