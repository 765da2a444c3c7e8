import type { Migration } from 'kysely';
import { isMysql, type MigrationDb, uuid } from '../helpers';

/**
 * The SMS reminder number is sealed with the patient's data key (modules/privacy), so erasing the
 * key shreds it: `messaging_preferences.phone_sealed`, `sms_messages.to_phone_sealed` and
 * `dev_sms_inbox.to_phone_sealed` (with the account it was for, `user_id`). The plaintext columns
 * stay for rows written before (null / '' on new rows); `npm run rotate-keys` seals those.
 * `phone_index` is a keyed hash of the number (privacy/blind-index.ts) for the STOP/START lookup.
 */
export const sealedSmsPhone: Migration = {
  async up(db: MigrationDb) {
    await db.schema.alterTable('messaging_preferences').addColumn('phone_sealed', 'varchar(255)').execute();
    await db.schema.alterTable('messaging_preferences').addColumn('phone_index', 'varchar(160)').execute();
    await db.schema
      .createIndex('messaging_preferences_phone_index')
      .on('messaging_preferences')
      .column('phone_index')
      .execute();
    await db.schema.alterTable('sms_messages').addColumn('to_phone_sealed', 'varchar(255)').execute();
    await db.schema.alterTable('dev_sms_inbox').addColumn('to_phone_sealed', 'varchar(255)').execute();
    await db.schema.alterTable('dev_sms_inbox').addColumn('user_id', uuid).execute();
    await db.schema.createIndex('dev_sms_inbox_user').on('dev_sms_inbox').column('user_id').execute();
  },
  async down(db: MigrationDb) {
    const dropIndex = (name: string, table: string) =>
      isMysql(db) ? db.schema.dropIndex(name).on(table) : db.schema.dropIndex(name);
    await dropIndex('dev_sms_inbox_user', 'dev_sms_inbox').execute();
    await db.schema.alterTable('dev_sms_inbox').dropColumn('user_id').execute();
    await db.schema.alterTable('dev_sms_inbox').dropColumn('to_phone_sealed').execute();
    await db.schema.alterTable('sms_messages').dropColumn('to_phone_sealed').execute();
    await dropIndex('messaging_preferences_phone_index', 'messaging_preferences').execute();
    await db.schema.alterTable('messaging_preferences').dropColumn('phone_index').execute();
    await db.schema.alterTable('messaging_preferences').dropColumn('phone_sealed').execute();
  },
};
