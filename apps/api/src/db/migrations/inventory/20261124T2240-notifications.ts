import { type Migration, sql } from 'kysely';
import { instant, isMysql, type MigrationDb, tableOptions, uuid } from '../helpers';

/**
 * The in-app notification list and the embedded profile's dev mailbox. Both are fed by the
 * notifications consumer, which is delivered at least once: a UNIQUE dedupe/idempotency key
 * makes a redelivered event a no-op. `emailed_at` records that the e-mail for the same event and
 * recipient went out, so a redelivery after a mail failure sends it, and after success does not.
 */
export const notifications: Migration = {
  async up(db: MigrationDb) {
    const longText = isMysql(db) ? sql`mediumtext` : sql`text`;
    await tableOptions(
      db,
      db.schema
        .createTable('notifications')
        .addColumn('id', uuid, (c) => c.primaryKey())
        .addColumn('user_id', uuid, (c) => c.notNull().references('users.id').onDelete('cascade'))
        .addColumn('booking_id', uuid, (c) => c.notNull())
        .addColumn('kind', 'varchar(40)', (c) => c.notNull())
        .addColumn('title', 'varchar(200)', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('read_at', instant)
        .addColumn('emailed_at', instant)
        .addColumn('dedupe_key', 'varchar(160)', (c) => c.notNull().unique()),
    ).execute();
    await db.schema
      .createIndex('notifications_user_created')
      .on('notifications')
      .columns(['user_id', 'created_at'])
      .execute();

    await tableOptions(
      db,
      db.schema
        .createTable('dev_mailbox')
        .addColumn('id', uuid, (c) => c.primaryKey())
        .addColumn('to_address', 'varchar(254)', (c) => c.notNull())
        .addColumn('subject', 'varchar(998)', (c) => c.notNull())
        .addColumn('text', longText, (c) => c.notNull())
        .addColumn('html', longText)
        .addColumn('attachments', longText, (c) => c.notNull())
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('idempotency_key', 'varchar(160)', (c) => c.notNull().unique()),
    ).execute();
    await db.schema.createIndex('dev_mailbox_created').on('dev_mailbox').column('created_at').execute();
  },
  async down(db: MigrationDb) {
    await db.schema.dropTable('dev_mailbox').execute();
    await db.schema.dropTable('notifications').execute();
  },
};
