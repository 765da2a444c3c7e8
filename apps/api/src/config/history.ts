import type { EnvReader } from './cluster';

/** The partitioned history tables (jobs/history-partitions.ts, docs/scaling.md). */
export interface HistoryConfig {
  /** Archived bookings whose appointment is older than this are removed; 0 keeps them for ever. */
  archivedBookingsRetentionDays: number;
  /** Months kept partitioned ahead of the current one (MySQL/MariaDB). */
  partitionMonthsAhead: number;
}

export function readHistoryConfig(read: EnvReader): HistoryConfig {
  return {
    archivedBookingsRetentionDays: read.int('RETAIN_ARCHIVED_BOOKINGS_DAYS', 0, 0, 36_500),
    partitionMonthsAhead: read.int('HISTORY_PARTITION_MONTHS_AHEAD', 3, 1, 24),
  };
}
