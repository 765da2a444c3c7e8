import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { HistoryConfig } from '../config/history';
import { HistoryPartitions } from '../db/partitions/history-partitions';
import type { BookingDatabase } from '../db/schema';
import { type Clock, toDbTime } from '../ports/clock';
import { type LeasedJob, type LeaseStore, runLeased } from './lease';

const DAY = 86_400_000;

export interface HistoryPartitionsReport {
  /** Month partitions split off `p_future` (`table.pYYYYMM`). */
  added: string[];
  /** Whole months of archived bookings dropped (older than the retention). */
  droppedArchive: string[];
  /** Archived bookings past the retention deleted row by row (the month the cutoff falls in; all of them on SQLite). */
  deletedArchiveRows: number;
  /** Emptied months of booking_history dropped (their bookings were all archived). */
  droppedHistory: string[];
}

/**
 * Keeps the history tables' partitions ahead of time and old history small, once per cluster:
 *
 * - splits the coming months off `p_future` (MySQL/MariaDB),
 * - archived bookings whose appointment is older than RETAIN_ARCHIVED_BOOKINGS_DAYS (when set):
 *   whole months are dropped as partitions, only the month the cutoff falls in (and everything
 *   on SQLite) is deleted row by row, in batches,
 * - booking_history months wholly before the archival age that archival has emptied are dropped
 *   (a live booking's history is never dropped: it leaves with its booking).
 */
export class HistoryPartitionsJob {
  private readonly partitions: HistoryPartitions;

  constructor(
    private readonly d: { db: Kysely<BookingDatabase>; clock: Clock; log?: Pick<FastifyBaseLogger, 'info'> },
    private readonly options: HistoryConfig & { archiveAfterDays: number; batchSize?: number },
  ) {
    this.partitions = new HistoryPartitions(d.db);
  }

  async runOnce(signal?: AbortSignal): Promise<HistoryPartitionsReport> {
    const now = this.d.clock.now();
    const report: HistoryPartitionsReport = {
      added: await this.partitions.addAhead(now, this.options.partitionMonthsAhead),
      droppedArchive: [],
      deletedArchiveRows: 0,
      droppedHistory: [],
    };
    const days = this.options.archivedBookingsRetentionDays;
    if (days > 0 && !signal?.aborted) {
      const cutoff = toDbTime(new Date(now.getTime() - days * DAY));
      report.droppedArchive = await this.partitions.dropBefore('archived_bookings', cutoff);
      report.deletedArchiveRows = await this.deleteArchivedBefore(cutoff, signal);
    }
    if (!signal?.aborted) {
      const archivalCutoff = toDbTime(new Date(now.getTime() - this.options.archiveAfterDays * DAY));
      report.droppedHistory = await this.partitions.dropBefore('booking_history', archivalCutoff, true);
    }
    if (
      report.added.length +
      report.droppedArchive.length +
      report.deletedArchiveRows +
      report.droppedHistory.length
    )
      this.d.log?.info({ history: report }, 'history partitions maintained');
    return report;
  }

  private async deleteArchivedBefore(cutoff: string, signal?: AbortSignal): Promise<number> {
    const batch = this.options.batchSize ?? 500;
    let deleted = 0;
    for (;;) {
      if (signal?.aborted) return deleted;
      const ids = (
        await this.d.db
          .selectFrom('archived_bookings')
          .select('id')
          .where('start_at', '<', cutoff)
          .limit(batch)
          .execute()
      ).map((r) => r.id);
      if (ids.length === 0) return deleted;
      await this.d.db
        .deleteFrom('archived_bookings')
        .where('id', 'in', ids)
        .where('start_at', '<', cutoff)
        .execute();
      deleted += ids.length;
      if (ids.length < batch) return deleted;
    }
  }
}

/** The job under its lease, hourly. Registration is one line in jobs.plugin.ts. */
export function startHistoryPartitions(
  leases: { store: LeaseStore; holder: string; log?: Pick<FastifyBaseLogger, 'error' | 'warn'> },
  d: ConstructorParameters<typeof HistoryPartitionsJob>[0],
  options: ConstructorParameters<typeof HistoryPartitionsJob>[1],
  /** The lease's name: one per booking database (`history-partitions:1`, … for booking shards). */
  name = 'history-partitions',
): LeasedJob {
  const job = new HistoryPartitionsJob(d, options);
  return runLeased(leases, name, 60 * 60_000, (signal) => job.runOnce(signal));
}
