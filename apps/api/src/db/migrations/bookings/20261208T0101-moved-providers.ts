import { type Migration, sql } from 'kysely';
import { instant, isMysql, type MigrationDb, tableOptions, uuid } from '../helpers';

/** The message a fenced write fails with (lib/db-errors.ts recognises it). */
export const BUCKET_MOVING = 'carebook:bucket-moving';

/** Tables whose rows name their provider: every booking-writing transaction touches one of them. */
const FENCED = [
  'bookings',
  'booking_claims',
  'archived_bookings',
  'booking_series',
  'waitlist_entries',
  'reviews',
];

/**
 * `moved_providers`: the providers of a bucket that is being moved off this booking database, or
 * has been (db/shards, `npm run shards -- move`). Triggers refuse any insert or update of their
 * rows here, in the writer's own transaction: a write that slips past a stale bucket map fails
 * (and is retried on the right database) instead of landing where nobody reads it. On MariaDB the
 * check is a locking read, so it waits for the move's fence and sees it however old the writer's
 * snapshot is.
 */
export const movedProviders: Migration = {
  async up(db: MigrationDb) {
    await tableOptions(
      db,
      db.schema
        .createTable('moved_providers')
        .addColumn('provider_id', uuid, (c) => c.primaryKey())
        .addColumn('bucket', 'integer', (c) => c.notNull())
        .addColumn('moved_at', instant, (c) => c.notNull()),
    ).execute();
    await db.schema.createIndex('moved_providers_bucket').on('moved_providers').column('bucket').execute();
    const mysql = isMysql(db);
    for (const table of FENCED)
      for (const op of ['insert', 'update'] as const) {
        const name = `${table}_fence_${op}`;
        await sql
          .raw(
            mysql
              ? `CREATE TRIGGER ${name} BEFORE ${op.toUpperCase()} ON ${table} FOR EACH ROW BEGIN
                   IF EXISTS (SELECT 1 FROM moved_providers WHERE provider_id = NEW.provider_id LOCK IN SHARE MODE) THEN
                     SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '${BUCKET_MOVING}';
                   END IF;
                 END`
              : `CREATE TRIGGER ${name} BEFORE ${op.toUpperCase()} ON ${table}
                 WHEN EXISTS (SELECT 1 FROM moved_providers WHERE provider_id = NEW.provider_id)
                 BEGIN SELECT RAISE(ABORT, '${BUCKET_MOVING}'); END`,
          )
          .execute(db);
      }
  },
  async down(db: MigrationDb) {
    for (const table of FENCED)
      for (const op of ['insert', 'update'])
        await sql.raw(`DROP TRIGGER IF EXISTS ${table}_fence_${op}`).execute(db);
    await db.schema.dropTable('moved_providers').execute();
  },
};
