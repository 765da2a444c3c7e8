import type { Migration } from 'kysely';
import { instant, type MigrationDb, tableOptions, uuid } from '../helpers';
import { createOutboxMarks } from '../outbox-table';

/**
 * `payment_starts`: a paid booking whose payment intent does not exist yet. The row is written in
 * the booking's own transaction and deleted in the one that attaches the intent (or ends the
 * booking), so "needs a payment, has none" is durable state that any instance can finish. Whoever
 * calls the payment provider first takes `lease_until`; others wait for it or take over after it.
 *
 * `bookings_outbox_marks`: what the bookings outbox relay knows about the event stream (its epoch
 * and the last row every consumer acknowledged), so it can re-publish after the stream lost data.
 */
export const paymentStarts: Migration = {
  async up(db: MigrationDb) {
    await tableOptions(
      db,
      db.schema
        .createTable('payment_starts')
        .addColumn('booking_id', uuid, (c) => c.primaryKey())
        .addColumn('lease_until', instant, (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('last_error', 'varchar(500)')
        .addColumn('created_at', instant, (c) => c.notNull()),
    ).execute();
    await db.schema.createIndex('payment_starts_lease').on('payment_starts').column('lease_until').execute();
    await createOutboxMarks(db, 'bookings_outbox');
  },
  async down(db: MigrationDb) {
    await db.schema.dropTable('bookings_outbox_marks').execute();
    await db.schema.dropTable('payment_starts').execute();
  },
};
