import type { Migration } from 'kysely';
import { instant, type MigrationDb, tableOptions, uuid } from '../helpers';
import { createOutbox } from '../outbox-table';

/**
 * Bookings and the invariant that protects them: an active booking owns one `booking_claims` row
 * per 5-minute unit of its time (buffers included), and (provider_id, unit) is the primary key,
 * so two overlapping active bookings cannot both commit — on any dialect, from any instance.
 */
export const bookings: Migration = {
  async up(db: MigrationDb) {
    await tableOptions(
      db,
      db.schema
        .createTable('bookings')
        .addColumn('id', uuid, (c) => c.primaryKey())
        .addColumn('patient_id', uuid, (c) => c.notNull())
        .addColumn('provider_id', uuid, (c) => c.notNull())
        .addColumn('owner_id', uuid, (c) => c.notNull())
        .addColumn('service_id', uuid, (c) => c.notNull())
        .addColumn('provider_name', 'varchar(160)', (c) => c.notNull())
        .addColumn('service_name', 'varchar(120)', (c) => c.notNull())
        .addColumn('time_zone', 'varchar(64)', (c) => c.notNull())
        .addColumn('start_at', instant, (c) => c.notNull())
        .addColumn('end_at', instant, (c) => c.notNull())
        .addColumn('block_start_at', instant, (c) => c.notNull())
        .addColumn('block_end_at', instant, (c) => c.notNull())
        .addColumn('status', 'varchar(20)', (c) => c.notNull())
        .addColumn('price_cents', 'integer', (c) => c.notNull())
        .addColumn('currency', 'char(3)', (c) => c.notNull())
        .addColumn('reason_for_visit', 'text', (c) => c.notNull())
        .addColumn('new_patient', 'integer', (c) => c.notNull())
        .addColumn('cancellation_window_hours', 'integer', (c) => c.notNull())
        .addColumn('hold_expires_at', instant)
        .addColumn('payment_intent_id', 'varchar(100)')
        .addColumn('payment_client_secret', 'varchar(200)')
        .addColumn('payment_checkout_url', 'varchar(500)')
        .addColumn('payment_status', 'varchar(30)')
        .addColumn('refunded_cents', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('rescheduled_from', uuid)
        .addColumn('rescheduled_to', uuid)
        .addColumn('reminder_sent_at', instant)
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('updated_at', instant, (c) => c.notNull()),
    ).execute();
    await db.schema
      .createIndex('bookings_patient')
      .on('bookings')
      .columns(['patient_id', 'start_at'])
      .execute();
    await db.schema.createIndex('bookings_owner').on('bookings').columns(['owner_id', 'start_at']).execute();
    await db.schema
      .createIndex('bookings_provider')
      .on('bookings')
      .columns(['provider_id', 'start_at'])
      .execute();
    await db.schema
      .createIndex('bookings_status_hold')
      .on('bookings')
      .columns(['status', 'hold_expires_at'])
      .execute();
    await db.schema
      .createIndex('bookings_status_start')
      .on('bookings')
      .columns(['status', 'start_at'])
      .execute();
    await db.schema.createIndex('bookings_status_end').on('bookings').columns(['status', 'end_at']).execute();
    await db.schema.createIndex('bookings_updated').on('bookings').columns(['updated_at']).execute();
    await db.schema.createIndex('bookings_intent').on('bookings').column('payment_intent_id').execute();

    await tableOptions(
      db,
      db.schema
        .createTable('booking_claims')
        .addColumn('provider_id', uuid, (c) => c.notNull())
        .addColumn('unit', 'bigint', (c) => c.notNull())
        .addColumn('booking_id', uuid, (c) => c.notNull())
        .addPrimaryKeyConstraint('booking_claims_pk', ['provider_id', 'unit']),
    ).execute();
    await db.schema.createIndex('booking_claims_booking').on('booking_claims').column('booking_id').execute();

    await tableOptions(
      db,
      db.schema
        .createTable('booking_history')
        .addColumn('id', uuid, (c) => c.primaryKey())
        .addColumn('booking_id', uuid, (c) => c.notNull())
        .addColumn('at', instant, (c) => c.notNull())
        .addColumn('from_status', 'varchar(20)')
        .addColumn('to_status', 'varchar(20)', (c) => c.notNull())
        .addColumn('actor_role', 'varchar(16)', (c) => c.notNull())
        .addColumn('actor_id', uuid)
        .addColumn('reason', 'varchar(500)'),
    ).execute();
    await db.schema
      .createIndex('booking_history_booking')
      .on('booking_history')
      .columns(['booking_id', 'at'])
      .execute();

    await tableOptions(
      db,
      db.schema
        .createTable('idempotency_keys')
        .addColumn('user_id', uuid, (c) => c.notNull())
        .addColumn('idem_key', 'varchar(200)', (c) => c.notNull())
        .addColumn('request_hash', 'char(64)', (c) => c.notNull())
        .addColumn('booking_id', uuid, (c) => c.notNull())
        .addColumn('response_status', 'integer')
        .addColumn('response_body', 'text')
        .addColumn('created_at', instant, (c) => c.notNull())
        .addPrimaryKeyConstraint('idempotency_keys_pk', ['user_id', 'idem_key']),
    ).execute();

    await tableOptions(
      db,
      db.schema
        .createTable('payment_events')
        .addColumn('event_id', 'varchar(100)', (c) => c.primaryKey())
        .addColumn('type', 'varchar(60)', (c) => c.notNull())
        .addColumn('booking_id', uuid)
        .addColumn('processed_at', instant, (c) => c.notNull()),
    ).execute();

    await createOutbox(db, 'bookings_outbox');
  },
  async down(db: MigrationDb) {
    for (const t of [
      'bookings_outbox',
      'payment_events',
      'idempotency_keys',
      'booking_history',
      'booking_claims',
      'bookings',
    ]) {
      await db.schema.dropTable(t).execute();
    }
  },
};
