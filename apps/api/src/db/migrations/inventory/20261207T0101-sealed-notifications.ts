import type { Migration } from 'kysely';
import { isMysql, type MigrationDb, uuid } from '../helpers';

/**
 * In-app notification text is sealed with the data key of the patient it is about
 * (`patient_id`; null on rows written before, which are sealed under the recipient's key by
 * `npm run rotate-keys`), so erasing that patient shreds it. The title grows when sealed.
 */
export const sealedNotifications: Migration = {
  async up(db: MigrationDb) {
    await db.schema.alterTable('notifications').addColumn('patient_id', uuid).execute();
    if (isMysql(db))
      await db.schema
        .alterTable('notifications')
        .modifyColumn('title', 'text', (c) => c.notNull())
        .execute();
  },
  async down(db: MigrationDb) {
    if (isMysql(db))
      await db.schema
        .alterTable('notifications')
        .modifyColumn('title', 'varchar(200)', (c) => c.notNull())
        .execute();
    await db.schema.alterTable('notifications').dropColumn('patient_id').execute();
  },
};
