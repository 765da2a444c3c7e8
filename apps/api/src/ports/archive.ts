import type { Selectable } from 'kysely';
import type { BookingHistoryTable, BookingsTable } from '../db/schema';

/**
 * The archive of finished bookings. The nightly archival job moves old finished bookings here from
 * the booking database; the bookings API reads them back so patients and practices keep their
 * whole history. A record is the booking row and its history exactly as they were, so the API maps
 * an archived booking with the same code as a live one.
 */
export interface ArchivedBooking {
  booking: Selectable<BookingsTable>;
  /** Oldest first, as the booking database returns it. */
  history: Selectable<BookingHistoryTable>[];
}

/** Which archived bookings a listing covers. Times are DB instants (fixed-width UTC ISO). */
export interface ArchiveFilter {
  /** A patient's history. */
  patientId?: string;
  /** A practice's history: the listing owner's account, which providers and their staff act for. */
  ownerId?: string;
  /** One listing. */
  providerId?: string;
  status?: BookingsTable['status'];
  /** start ≥ startFrom */
  startFrom?: string;
  /** start < startBefore */
  startBefore?: string;
}

/** A position in (start, id) order: the last item a page returned. */
export interface ArchiveCursor {
  start: string;
  id: string;
}

export interface ArchiveListOptions {
  /** `desc` = newest first. */
  order: 'asc' | 'desc';
  limit: number;
  /** Only items strictly after this position in `order`. */
  after?: ArchiveCursor;
}

export interface BookingArchive {
  /**
   * Stores records; idempotent. The same booking twice is one record, and a record is replaced
   * only by a newer copy (later `updated_at`, then higher `version`), so a slow writer holding an
   * older copy can never overwrite a newer one.
   */
  put(records: readonly ArchivedBooking[]): Promise<void>;
  get(id: string): Promise<ArchivedBooking | null>;
  /** Ordered by (start, id) in `order`; keyset-paginated with `after`. */
  list(filter: ArchiveFilter, options: ArchiveListOptions): Promise<ArchivedBooking[]>;
  count(filter: ArchiveFilter): Promise<number>;
  close(): Promise<void>;
}

/** Orders (start, id) pairs; used by adapters and the merged live + archive listing. */
export function compareCursor(a: ArchiveCursor, b: ArchiveCursor): number {
  if (a.start !== b.start) return a.start < b.start ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}
