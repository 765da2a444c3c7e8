import { type Migration, sql } from 'kysely';
import { initialPartitions, partitionClauses } from '../../partitions/monthly';
import { isMysql, type MigrationDb } from '../helpers';

/** The history tables partitioned by month on MySQL/MariaDB, and the column each is partitioned by. */
export const PARTITIONED_HISTORY = [
  { table: 'archived_bookings', column: 'start_at' },
  { table: 'booking_history', column: 'at' },
] as const;

/**
 * MySQL/MariaDB only (SQLite has no partitions; nothing changes there): `archived_bookings` by
 * the appointment's month and `booking_history` by the event's month, `PARTITION BY RANGE
 * COLUMNS` on the instant strings. Every unique key must contain the partitioning column, so
 * each primary key becomes (id, <column>): ids are UUIDv7 and an archived booking's start never
 * changes, so an id still names one row. The first partition holds everything before this
 * month, then this month and the next two, then `p_future` (MAXVALUE) so no insert ever lacks a
 * partition; the partition job (jobs/history-partitions.ts) splits months off it ahead of time
 * and drops old ones whole.
 */
export const partitionedHistory: Migration = {
  async up(db: MigrationDb) {
    if (!isMysql(db)) return;
    const parts = partitionClauses(initialPartitions(new Date(), 3));
    for (const { table, column } of PARTITIONED_HISTORY) {
      await sql.raw(`ALTER TABLE ${table} DROP PRIMARY KEY, ADD PRIMARY KEY (id, ${column})`).execute(db);
      await sql.raw(`ALTER TABLE ${table} PARTITION BY RANGE COLUMNS (${column}) (${parts})`).execute(db);
    }
  },
  async down(db: MigrationDb) {
    if (!isMysql(db)) return;
    for (const { table } of PARTITIONED_HISTORY) {
      await sql.raw(`ALTER TABLE ${table} REMOVE PARTITIONING`).execute(db);
      await sql.raw(`ALTER TABLE ${table} DROP PRIMARY KEY, ADD PRIMARY KEY (id)`).execute(db);
    }
  },
};
