import type { Migration } from 'kysely';
import { instant, type MigrationDb, tableOptions, uuid } from '../helpers';

/**
 * Verified reviews (modules/reviews), in the booking database beside the visit they review:
 * UNIQUE(booking_id) makes "one review per booking" an invariant of the database. `author` is
 * the name shown, fixed when the review is written (first name and initial unless the patient
 * chose their full name). A hidden review keeps its row, with who hid it, when and why.
 */
export const reviews: Migration = {
  async up(db: MigrationDb) {
    await tableOptions(
      db,
      db.schema
        .createTable('reviews')
        .addColumn('id', uuid, (c) => c.primaryKey())
        .addColumn('booking_id', uuid, (c) => c.notNull().unique())
        .addColumn('provider_id', uuid, (c) => c.notNull())
        .addColumn('owner_id', uuid, (c) => c.notNull())
        .addColumn('patient_id', uuid, (c) => c.notNull())
        .addColumn('service_name', 'varchar(200)', (c) => c.notNull())
        .addColumn('rating', 'integer', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('author', 'varchar(200)', (c) => c.notNull())
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('reply_text', 'text')
        .addColumn('reply_by', uuid)
        .addColumn('replied_at', instant)
        .addColumn('hidden_at', instant)
        .addColumn('hidden_reason', 'varchar(500)')
        .addColumn('hidden_by', uuid),
    ).execute();
    await db.schema
      .createIndex('reviews_provider_created')
      .on('reviews')
      .columns(['provider_id', 'created_at'])
      .execute();
  },
  async down(db: MigrationDb) {
    await db.schema.dropTable('reviews').execute();
  },
};
