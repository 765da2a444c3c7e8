import type { Migration } from 'kysely';
import type { MigrationDb } from '../helpers';

/** Whether patients may book recurring series at a listing (the practice always may). */
export const listingRecurring: Migration = {
  async up(db: MigrationDb) {
    await db.schema
      .alterTable('providers')
      .addColumn('allow_recurring', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
  },
  async down(db: MigrationDb) {
    await db.schema.alterTable('providers').dropColumn('allow_recurring').execute();
  },
};
