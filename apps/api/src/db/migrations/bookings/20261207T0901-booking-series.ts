import type { Migration } from 'kysely';
import { instant, type MigrationDb, tableOptions, uuid } from '../helpers';

/**
 * Recurring series (modules/bookings/booking-series.ts). A series is a rule — every `interval_weeks`
 * weeks at the same local wall-clock time in `time_zone`, `occurrences` times — and one ordinary
 * booking per occurrence, each with its own claims, so the claims table still enforces no double
 * booking. `booking_series_occurrences` links them (one row per occurrence, numbered from 1).
 * UNIQUE(patient_id, idem_key) makes a retried request return the same series.
 */
export const bookingSeries: Migration = {
  async up(db: MigrationDb) {
    await tableOptions(
      db,
      db.schema
        .createTable('booking_series')
        .addColumn('id', uuid, (c) => c.primaryKey())
        .addColumn('patient_id', uuid, (c) => c.notNull())
        .addColumn('provider_id', uuid, (c) => c.notNull())
        .addColumn('owner_id', uuid, (c) => c.notNull())
        .addColumn('service_id', uuid, (c) => c.notNull())
        .addColumn('time_zone', 'varchar(64)', (c) => c.notNull())
        .addColumn('local_start', 'char(19)', (c) => c.notNull())
        .addColumn('interval_weeks', 'integer', (c) => c.notNull())
        .addColumn('occurrences', 'integer', (c) => c.notNull())
        .addColumn('booked_by', uuid, (c) => c.notNull())
        .addColumn('idem_key', 'varchar(200)', (c) => c.notNull())
        .addColumn('request_hash', 'char(64)', (c) => c.notNull())
        .addColumn('created_at', instant, (c) => c.notNull())
        .addUniqueConstraint('booking_series_patient_key', ['patient_id', 'idem_key']),
    ).execute();
    await tableOptions(
      db,
      db.schema
        .createTable('booking_series_occurrences')
        .addColumn('series_id', uuid, (c) => c.notNull())
        .addColumn('occurrence', 'integer', (c) => c.notNull())
        .addColumn('booking_id', uuid, (c) => c.notNull().unique())
        .addPrimaryKeyConstraint('booking_series_occurrences_pk', ['series_id', 'occurrence']),
    ).execute();
  },
  async down(db: MigrationDb) {
    await db.schema.dropTable('booking_series_occurrences').execute();
    await db.schema.dropTable('booking_series').execute();
  },
};
