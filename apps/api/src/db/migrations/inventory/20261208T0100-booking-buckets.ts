import type { Migration } from 'kysely';
import { instant, type MigrationDb, tableOptions } from '../helpers';

/**
 * `booking_buckets`: which booking database (an index into BOOKING_DATABASE_URLS) holds each
 * virtual bucket of providers (db/shards). A bucket without a row is on the first database, so
 * an empty table is the single-database layout.
 */
export const bookingBuckets: Migration = {
  async up(db: MigrationDb) {
    await tableOptions(
      db,
      db.schema
        .createTable('booking_buckets')
        .addColumn('bucket', 'integer', (c) => c.primaryKey())
        .addColumn('shard', 'integer', (c) => c.notNull())
        .addColumn('updated_at', instant, (c) => c.notNull()),
    ).execute();
  },
  async down(db: MigrationDb) {
    await db.schema.dropTable('booking_buckets').execute();
  },
};
