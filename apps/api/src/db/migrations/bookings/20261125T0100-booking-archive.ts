import { type Migration, sql } from 'kysely';
import { instant, isMysql, type MigrationDb, tableOptions, uuid } from '../helpers';

/**
 * The SQL archive of finished bookings (`archived_bookings`: one row per booking, the booking and
 * its history as JSON, plus the columns the history listings filter and sort on) and the archival
 * job's in-flight marks (`booking_archival`): a booking is marked before it is copied to the
 * archive and the mark is deleted with the booking, so every booking present in both stores is
 * marked, and readers know which archived copies to ignore while the live row still exists.
 */
export const bookingArchive: Migration = {
  async up(db: MigrationDb) {
    await tableOptions(
      db,
      db.schema
        .createTable('archived_bookings')
        .addColumn('id', uuid, (c) => c.primaryKey())
        .addColumn('patient_id', uuid, (c) => c.notNull())
        .addColumn('owner_id', uuid, (c) => c.notNull())
        .addColumn('provider_id', uuid, (c) => c.notNull())
        .addColumn('status', 'varchar(20)', (c) => c.notNull())
        .addColumn('start_at', instant, (c) => c.notNull())
        .addColumn('updated_at', instant, (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('record', isMysql(db) ? sql`mediumtext` : 'text', (c) => c.notNull()),
    ).execute();
    for (const [name, column] of [
      ['archived_bookings_patient', 'patient_id'],
      ['archived_bookings_owner', 'owner_id'],
      ['archived_bookings_provider', 'provider_id'],
    ] as const) {
      await db.schema.createIndex(name).on('archived_bookings').columns([column, 'start_at', 'id']).execute();
    }
    await db.schema
      .createIndex('archived_bookings_start')
      .on('archived_bookings')
      .columns(['start_at', 'id'])
      .execute();

    await tableOptions(
      db,
      db.schema
        .createTable('booking_archival')
        .addColumn('booking_id', uuid, (c) => c.primaryKey())
        .addColumn('marked_at', instant, (c) => c.notNull()),
    ).execute();
    // The job deletes a moved booking's idempotency keys by booking id.
    await db.schema
      .createIndex('idempotency_keys_booking')
      .on('idempotency_keys')
      .column('booking_id')
      .execute();
  },
  async down(db: MigrationDb) {
    const drop = db.schema.dropIndex('idempotency_keys_booking');
    await (isMysql(db) ? drop.on('idempotency_keys') : drop).execute();
    await db.schema.dropTable('booking_archival').execute();
    await db.schema.dropTable('archived_bookings').execute();
  },
};
