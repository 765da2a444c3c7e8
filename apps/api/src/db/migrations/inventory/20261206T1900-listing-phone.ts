import type { Migration } from 'kysely';
import type { MigrationDb } from '../helpers';

/** A listing's phone number for patients, shown on its profile; null when not given. */
export const listingPhone: Migration = {
  async up(db: MigrationDb) {
    await db.schema.alterTable('providers').addColumn('phone', 'varchar(40)').execute();
  },
  async down(db: MigrationDb) {
    await db.schema.alterTable('providers').dropColumn('phone').execute();
  },
};
