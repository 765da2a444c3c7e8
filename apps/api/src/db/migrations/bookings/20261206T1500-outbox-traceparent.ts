import type { Migration } from 'kysely';
import type { MigrationDb } from '../helpers';

/**
 * The W3C trace context of the request that wrote an outbox event, so the relay and the consumers
 * (e-mail, search update, WebSocket push) join that request's trace. Null when tracing is off.
 */
export const bookingsOutboxTraceparent: Migration = {
  async up(db: MigrationDb) {
    await db.schema.alterTable('bookings_outbox').addColumn('traceparent', 'varchar(64)').execute();
  },
  async down(db: MigrationDb) {
    await db.schema.alterTable('bookings_outbox').dropColumn('traceparent').execute();
  },
};
