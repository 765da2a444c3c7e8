import type { Migration } from 'kysely';
import { instant, type MigrationDb, tableOptions, uuid } from '../helpers';

/**
 * The waitlist (modules/waitlist), in the booking database beside the holds its offers make.
 * An entry waits for a window (local dates, a weekday mask, a part of the day in the listing's
 * zone) or for a time earlier than one of the patient's bookings. An offer is a hold booking;
 * UNIQUE(entry_id, slot_start) means an entry is never offered the same time twice, and
 * UNIQUE(booking_id) ties one offer to one hold.
 */
export const waitlist: Migration = {
  async up(db: MigrationDb) {
    await tableOptions(
      db,
      db.schema
        .createTable('waitlist_entries')
        .addColumn('id', uuid, (c) => c.primaryKey())
        .addColumn('patient_id', uuid, (c) => c.notNull())
        .addColumn('provider_id', uuid, (c) => c.notNull())
        .addColumn('owner_id', uuid, (c) => c.notNull())
        .addColumn('service_id', uuid, (c) => c.notNull())
        .addColumn('from_date', 'char(10)')
        .addColumn('to_date', 'char(10)')
        .addColumn('weekdays', 'integer', (c) => c.notNull())
        .addColumn('day_part', 'varchar(16)', (c) => c.notNull())
        .addColumn('earlier_than_booking_id', uuid)
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('updated_at', instant, (c) => c.notNull()),
    ).execute();
    await db.schema
      .createIndex('waitlist_entries_line')
      .on('waitlist_entries')
      .columns(['provider_id', 'status', 'created_at', 'id'])
      .execute();
    await db.schema
      .createIndex('waitlist_entries_patient')
      .on('waitlist_entries')
      .columns(['patient_id', 'created_at'])
      .execute();
    await tableOptions(
      db,
      db.schema
        .createTable('waitlist_offers')
        .addColumn('id', uuid, (c) => c.primaryKey())
        .addColumn('entry_id', uuid, (c) => c.notNull())
        .addColumn('booking_id', uuid, (c) => c.notNull().unique())
        .addColumn('slot_start', instant, (c) => c.notNull())
        .addColumn('expires_at', instant, (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('updated_at', instant, (c) => c.notNull())
        .addUniqueConstraint('waitlist_offers_entry_slot', ['entry_id', 'slot_start']),
    ).execute();
  },
  async down(db: MigrationDb) {
    await db.schema.dropTable('waitlist_offers').execute();
    await db.schema.dropTable('waitlist_entries').execute();
  },
};
