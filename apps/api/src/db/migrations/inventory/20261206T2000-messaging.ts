import type { Migration } from 'kysely';
import { instant, type MigrationDb, tableOptions, uuid } from '../helpers';

/**
 * SMS reminders (modules/messaging):
 * - `messaging_preferences`: per user, the phone number, the reminder channels, and the SMS
 *   consent with its time and the exact text agreed to; `sms_opted_out_at` is set by STOP.
 * - `reminders_sent`: one row per booking and reminder offset, written before anything is sent,
 *   so a reminder goes out at most once even with several instances.
 * - `sms_messages`: every SMS sent, with the provider's id and the latest delivery status, and
 *   when the e-mail fallback went out for a failed one.
 * - `dev_sms_inbox`: the embedded profile's SMS "phone", read in the browser at /dev/sms.
 */
export const messaging: Migration = {
  async up(db: MigrationDb) {
    await tableOptions(
      db,
      db.schema
        .createTable('messaging_preferences')
        .addColumn('user_id', uuid, (c) => c.primaryKey().references('users.id').onDelete('cascade'))
        .addColumn('phone', 'varchar(16)')
        .addColumn('reminder_channels', 'varchar(20)', (c) => c.notNull())
        .addColumn('sms_consent_at', instant)
        .addColumn('sms_consent_text', 'varchar(500)')
        .addColumn('sms_opted_out_at', instant)
        .addColumn('updated_at', instant, (c) => c.notNull()),
    ).execute();
    await db.schema
      .createIndex('messaging_preferences_phone')
      .on('messaging_preferences')
      .column('phone')
      .execute();

    await tableOptions(
      db,
      db.schema
        .createTable('reminders_sent')
        .addColumn('booking_id', uuid, (c) => c.notNull())
        .addColumn('offset_minutes', 'integer', (c) => c.notNull())
        .addColumn('sent_at', instant, (c) => c.notNull())
        .addPrimaryKeyConstraint('reminders_sent_pk', ['booking_id', 'offset_minutes']),
    ).execute();

    await tableOptions(
      db,
      db.schema
        .createTable('sms_messages')
        .addColumn('id', uuid, (c) => c.primaryKey())
        .addColumn('user_id', uuid, (c) => c.notNull())
        .addColumn('booking_id', uuid)
        .addColumn('to_phone', 'varchar(16)', (c) => c.notNull())
        .addColumn('body', 'varchar(1600)', (c) => c.notNull())
        .addColumn('provider_id', 'varchar(64)', (c) => c.unique())
        .addColumn('status', 'varchar(20)', (c) => c.notNull())
        .addColumn('error', 'varchar(500)')
        .addColumn('fallback_email_subject', 'varchar(300)', (c) => c.notNull())
        .addColumn('fallback_email_text', 'text', (c) => c.notNull())
        .addColumn('fallback_emailed_at', instant)
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('updated_at', instant, (c) => c.notNull()),
    ).execute();
    await db.schema.createIndex('sms_messages_booking').on('sms_messages').column('booking_id').execute();

    await tableOptions(
      db,
      db.schema
        .createTable('dev_sms_inbox')
        .addColumn('id', uuid, (c) => c.primaryKey())
        .addColumn('sid', 'varchar(64)', (c) => c.notNull().unique())
        .addColumn('to_phone', 'varchar(16)', (c) => c.notNull())
        .addColumn('body', 'varchar(1600)', (c) => c.notNull())
        .addColumn('created_at', instant, (c) => c.notNull()),
    ).execute();
    await db.schema.createIndex('dev_sms_inbox_created').on('dev_sms_inbox').column('created_at').execute();
  },
  async down(db: MigrationDb) {
    await db.schema.dropTable('dev_sms_inbox').execute();
    await db.schema.dropTable('sms_messages').execute();
    await db.schema.dropTable('reminders_sent').execute();
    await db.schema.dropTable('messaging_preferences').execute();
  },
};
