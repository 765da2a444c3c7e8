import { type Kysely, sql } from 'kysely';
import { PARTITIONED_HISTORY } from '../migrations/bookings/20261207T0600-partitioned-history';
import { isMysql, type MigrationDb } from '../migrations/helpers';
import type { BookingDatabase } from '../schema';
import {
  FUTURE,
  monthsToAdd,
  parseBound,
  partitionClauses,
  partitionsBefore,
  type RangePartition,
} from './monthly';

export type HistoryTable = (typeof PARTITIONED_HISTORY)[number]['table'];

/**
 * The monthly partitions of the history tables on MySQL/MariaDB (migration 20261207T0600): reads
 * them from information_schema, splits months off `p_future` ahead of time, drops whole old
 * ones. On SQLite, or a table that is not partitioned, `partitions` is null and nothing happens.
 */
export class HistoryPartitions {
  constructor(private readonly db: Kysely<BookingDatabase>) {}

  async partitions(table: HistoryTable): Promise<RangePartition[] | null> {
    if (!(await this.isMysql())) return null;
    const { rows } = await sql<{ name: string | null; description: string | null }>`
      select PARTITION_NAME as name, PARTITION_DESCRIPTION as description
      from information_schema.PARTITIONS
      where TABLE_SCHEMA = database() and TABLE_NAME = ${table}
      order by PARTITION_ORDINAL_POSITION`.execute(this.db);
    if (rows.length === 0 || rows.some((r) => !r.name)) return null;
    return rows.map((r) => ({ name: r.name as string, lessThan: parseBound(r.description) }));
  }

  /** Splits the months up to `monthsAhead` after `now`'s off `p_future`; returns their names. */
  async addAhead(now: Date, monthsAhead: number): Promise<string[]> {
    const added: string[] = [];
    for (const { table } of PARTITIONED_HISTORY) {
      const existing = await this.partitions(table);
      if (!existing?.some((p) => p.name === FUTURE)) continue;
      const missing = monthsToAdd(existing, now, monthsAhead);
      if (missing.length === 0) continue;
      const into = partitionClauses([...missing, { name: FUTURE, lessThan: null }]);
      await sql.raw(`ALTER TABLE ${table} REORGANIZE PARTITION ${FUTURE} INTO (${into})`).execute(this.db);
      added.push(...missing.map((p) => `${table}.${p.name}`));
    }
    return added;
  }

  /**
   * Drops the partitions wholly before `cutoff` (an ISO instant) — with `onlyEmpty`, only those
   * holding no row. Returns the names dropped. A metadata operation: no row is read or deleted.
   */
  async dropBefore(table: HistoryTable, cutoff: string, onlyEmpty = false): Promise<string[]> {
    const existing = await this.partitions(table);
    if (!existing) return [];
    let old = partitionsBefore(existing, cutoff);
    if (onlyEmpty) {
      const empty: RangePartition[] = [];
      for (const p of old) if ((await this.rowsIn(table, p.name, 1)) === 0) empty.push(p);
      old = empty;
    }
    if (old.length === 0) return [];
    await sql
      .raw(`ALTER TABLE ${table} DROP PARTITION ${old.map((p) => p.name).join(', ')}`)
      .execute(this.db);
    return old.map((p) => p.name);
  }

  /** Rows in one partition (at most `limit` counted when given). */
  async rowsIn(table: HistoryTable, partition: string, limit?: number): Promise<number> {
    if (!/^p[A-Za-z0-9_]+$/.test(partition)) throw new Error(`not a partition name: ${partition}`);
    const inner = `select 1 from ${table} partition (${partition})${limit ? ` limit ${Math.floor(limit)}` : ''}`;
    const { rows } = await sql<{
      n: number | string;
    }>`select count(*) as n from (${sql.raw(inner)}) x`.execute(this.db);
    return Number(rows[0]?.n ?? 0);
  }

  private async isMysql(): Promise<boolean> {
    return isMysql(this.db as unknown as MigrationDb);
  }
}
