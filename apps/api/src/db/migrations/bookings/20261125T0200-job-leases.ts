import type { Migration } from 'kysely';
import { instant, type MigrationDb, tableOptions, uuid } from '../helpers';

/**
 * `job_leases`: one row per scheduled job; the instance named in `holder` may run it until
 * `expires_at` (see jobs/README.md). `generation` grows on every change of holder (a fencing
 * number for logs); `renewals` on every acquire or renew, so a renew always changes the row.
 *
 * `listing_views`: listing reads per listing and hour, added up from every instance, for cache
 * warming (recent bookings come from `bookings` itself).
 */
export const jobLeases: Migration = {
  async up(db: MigrationDb) {
    await tableOptions(
      db,
      db.schema
        .createTable('job_leases')
        .addColumn('name', 'varchar(100)', (c) => c.primaryKey())
        .addColumn('holder', 'varchar(200)', (c) => c.notNull())
        .addColumn('expires_at', instant, (c) => c.notNull())
        .addColumn('acquired_at', instant, (c) => c.notNull())
        .addColumn('generation', 'integer', (c) => c.notNull())
        .addColumn('renewals', 'integer', (c) => c.notNull()),
    ).execute();

    await tableOptions(
      db,
      db.schema
        .createTable('listing_views')
        .addColumn('listing_id', uuid, (c) => c.notNull())
        .addColumn('hour', instant, (c) => c.notNull())
        .addColumn('views', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('listing_views_pk', ['listing_id', 'hour']),
    ).execute();
    await db.schema.createIndex('listing_views_hour').on('listing_views').column('hour').execute();
  },
  async down(db: MigrationDb) {
    await db.schema.dropTable('listing_views').execute();
    await db.schema.dropTable('job_leases').execute();
  },
};
