import type { Migration } from 'kysely';
import { instant, type MigrationDb, tableOptions, uuid } from '../helpers';

/**
 * `calendar_feeds`: one private calendar feed per user (patient, provider or staff). The token
 * is the secret part of the feed URL; rotating replaces it, so the old URL stops working.
 */
export const calendarFeeds: Migration = {
  async up(db: MigrationDb) {
    await tableOptions(
      db,
      db.schema
        .createTable('calendar_feeds')
        .addColumn('user_id', uuid, (c) => c.primaryKey())
        .addColumn('token', 'varchar(64)', (c) => c.notNull().unique())
        .addColumn('created_at', instant, (c) => c.notNull()),
    ).execute();
  },
  async down(db: MigrationDb) {
    await db.schema.dropTable('calendar_feeds').execute();
  },
};
