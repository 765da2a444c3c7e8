import type { Migration } from 'kysely';
import { instant, type MigrationDb, tableOptions, uuid } from '../helpers';

/**
 * The simulated payment provider (embedded profile) keeps its state in the bookings database, so
 * intents survive restarts and every instance sees the same ones. Deliveries are an outbox of
 * Stripe-format webhook events: written with the state change, delivered, retried until they land.
 */
export const simulatedPayments: Migration = {
  async up(db: MigrationDb) {
    await tableOptions(
      db,
      db.schema
        .createTable('simulated_payment_intents')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('booking_id', uuid, (c) => c.notNull())
        .addColumn('amount_cents', 'integer', (c) => c.notNull())
        .addColumn('currency', 'char(3)', (c) => c.notNull())
        .addColumn('description', 'varchar(500)', (c) => c.notNull())
        .addColumn('status', 'varchar(32)', (c) => c.notNull())
        .addColumn('client_secret', 'varchar(100)', (c) => c.notNull())
        .addColumn('idempotency_key', 'varchar(255)', (c) => c.notNull().unique())
        .addColumn('request_hash', 'char(64)', (c) => c.notNull())
        .addColumn('last_decline_code', 'varchar(40)')
        .addColumn('refunded_cents', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('updated_at', instant, (c) => c.notNull()),
    ).execute();
    await db.schema
      .createIndex('simulated_payment_intents_booking')
      .on('simulated_payment_intents')
      .column('booking_id')
      .execute();

    await tableOptions(
      db,
      db.schema
        .createTable('simulated_payment_refunds')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('payment_intent_id', 'varchar(40)', (c) =>
          c.notNull().references('simulated_payment_intents.id'),
        )
        .addColumn('amount_cents', 'integer', (c) => c.notNull())
        .addColumn('reason', 'varchar(40)', (c) => c.notNull())
        .addColumn('idempotency_key', 'varchar(255)', (c) => c.notNull().unique())
        .addColumn('request_hash', 'char(64)', (c) => c.notNull())
        .addColumn('created_at', instant, (c) => c.notNull()),
    ).execute();

    await tableOptions(
      db,
      db.schema
        .createTable('simulated_payment_deliveries')
        .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('next_attempt_at', instant, (c) => c.notNull())
        .addColumn('delivered_at', instant)
        .addColumn('last_error', 'varchar(500)'),
    ).execute();
    await db.schema
      .createIndex('simulated_payment_deliveries_pending')
      .on('simulated_payment_deliveries')
      .columns(['delivered_at', 'next_attempt_at'])
      .execute();
  },
  async down(db: MigrationDb) {
    await db.schema.dropTable('simulated_payment_deliveries').execute();
    await db.schema.dropTable('simulated_payment_refunds').execute();
    await db.schema.dropTable('simulated_payment_intents').execute();
  },
};
