import { type Migration, sql } from 'kysely';
import { instant, isMysql, type MigrationDb, tableOptions } from '../helpers';
import { BUCKET_MOVING, movedProviders } from './20261208T0101-moved-providers';

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
 * `carebook_bucket(provider_id)` on MySQL/MariaDB: the provider's bucket, exactly as
 * `bucketOf` (db/shards/buckets.ts) computes it — FNV-1a (32 bit) over the id's UTF-16 code units,
 * modulo 1024 (the bucket count, fixed for ever). SQLite gets the same function from the app on
 * every connection (db/database.ts).
 */
const BUCKET_FUNCTION = `CREATE FUNCTION carebook_bucket(id VARCHAR(255) CHARACTER SET utf8mb4) RETURNS INT
  DETERMINISTIC NO SQL
BEGIN
  DECLARE units VARBINARY(1020) DEFAULT CAST(CONVERT(id USING utf16) AS BINARY);
  DECLARE h BIGINT UNSIGNED DEFAULT 2166136261;
  DECLARE i INT DEFAULT 1;
  WHILE i < LENGTH(units) DO
    SET h = ((h ^ (ASCII(SUBSTRING(units, i, 1)) * 256 + ASCII(SUBSTRING(units, i + 1, 1)))) * 16777619)
      & 4294967295;
    SET i = i + 2;
  END WHILE;
  RETURN h % 1024;
END`;

/**
 * The move's fence is the bucket itself (db/shards/bucket-move.ts, docs/scaling.md): `moved_buckets`
 * lists the buckets being moved off this booking database, or moved; the triggers refuse an insert
 * or update of any row whose provider's bucket is listed — also a provider nobody knew of when
 * the move began (a listing created during it), which a list of providers could not fence. The
 * bucket is computed inside the trigger from `provider_id`, so no row gains a column and no
 * writer has to fill one. The check is skipped while the table is empty (a single booking
 * database never fills it), so a write pays one read of an empty table, as before. On MariaDB
 * both reads lock (a gap or the row), so the fence insert waits for writers already past the
 * check and no writer's old snapshot can miss it.
 *
 * Replaces `moved_providers` (20261208T0101): its buckets become `moved_buckets` rows, its triggers
 * and table are dropped.
 */
export const movedBuckets: Migration = {
  async up(db: MigrationDb) {
    await tableOptions(
      db,
      db.schema
        .createTable('moved_buckets')
        .addColumn('bucket', 'integer', (c) => c.primaryKey())
        .addColumn('moved_at', instant, (c) => c.notNull()),
    ).execute();
    await sql`INSERT INTO moved_buckets (bucket, moved_at)
      SELECT bucket, MIN(moved_at) FROM moved_providers GROUP BY bucket`.execute(db);
    const mysql = isMysql(db);
    if (mysql) await sql.raw(BUCKET_FUNCTION).execute(db);
    for (const table of FENCED)
      for (const op of ['insert', 'update'] as const) {
        const name = `${table}_fence_${op}`;
        await sql.raw(`DROP TRIGGER IF EXISTS ${name}`).execute(db);
        await sql
          .raw(
            mysql
              ? `CREATE TRIGGER ${name} BEFORE ${op.toUpperCase()} ON ${table} FOR EACH ROW BEGIN
                   IF EXISTS (SELECT 1 FROM moved_buckets LIMIT 1 LOCK IN SHARE MODE) THEN
                     IF EXISTS (SELECT 1 FROM moved_buckets WHERE bucket = carebook_bucket(NEW.provider_id) LOCK IN SHARE MODE) THEN
                       SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = '${BUCKET_MOVING}';
                     END IF;
                   END IF;
                 END`
              : `CREATE TRIGGER ${name} BEFORE ${op.toUpperCase()} ON ${table}
                 WHEN EXISTS (SELECT 1 FROM moved_buckets)
                   AND EXISTS (SELECT 1 FROM moved_buckets WHERE bucket = carebook_bucket(NEW.provider_id))
                 BEGIN SELECT RAISE(ABORT, '${BUCKET_MOVING}'); END`,
          )
          .execute(db);
      }
    await db.schema.dropTable('moved_providers').execute();
  },
  async down(db: MigrationDb) {
    // The provider-level fence comes back empty: which providers a bucket held is not recorded.
    for (const table of FENCED)
      for (const op of ['insert', 'update'])
        await sql.raw(`DROP TRIGGER IF EXISTS ${table}_fence_${op}`).execute(db);
    if (isMysql(db)) await sql.raw('DROP FUNCTION IF EXISTS carebook_bucket').execute(db);
    await db.schema.dropTable('moved_buckets').execute();
    await movedProviders.up(db);
  },
};
