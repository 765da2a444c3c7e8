import { DomainError } from '../../domain/errors';
import { isBucketMoving } from '../../lib/db-errors';
import type { BookingArchive } from '../../ports/archive';
import { toDbTime } from '../../ports/clock';
import type { BookingDataRepository } from './booking-data.repository';
import { scrubArchive } from './scrub-archive';

/** One booking database's side of a person's data, and the archive read back through it. */
export interface BookingDataShard {
  data: BookingDataRepository;
  /** Its SQL archive, or the deployment's shared archive (listed with the first database only). */
  archive?: BookingArchive;
}

/** Scrub passes refused by a bucket move before the erasure answers 503, and the wait between them. */
const MOVE_PASSES = 10;
const MOVE_WAIT_MS = 300;

/**
 * A person's booking-side data on every booking database (docs/scaling.md, "Booking shards"): a
 * patient books at practices on any of them, so reads ask each and merge, and the scrub runs on
 * each. With one database every call is that database's, as before: no extra query.
 */
export class BookingDataShards {
  constructor(
    private readonly shards: BookingDataShard[],
    private readonly wait = (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
  ) {
    if (shards.length === 0) throw new RangeError('at least one booking database');
  }

  async liveBookingIds(patientId: string): Promise<string[]> {
    return (await Promise.all(this.shards.map((s) => s.data.liveBookingIds(patientId)))).flat();
  }

  /** Ids of the events about these bookings still in any database's outbox. */
  async eventIds(bookingIds: readonly string[]): Promise<string[]> {
    return (await Promise.all(this.shards.map((s) => s.data.eventIds(bookingIds)))).flat();
  }

  /** Their reviews on every database, oldest first. */
  async reviews(patientId: string) {
    const parts = await Promise.all(this.shards.map((s) => s.data.reviews(patientId)));
    if (parts.length === 1) return parts[0] ?? [];
    return parts.flat().sort((a, b) => cmp(a.created_at, b.created_at) || cmp(a.id, b.id));
  }

  /** Their waitlist entries (with offers) on every database, oldest first. */
  async waitlist(patientId: string) {
    const parts = await Promise.all(this.shards.map((s) => s.data.waitlist(patientId)));
    if (parts.length === 1) return parts[0] ?? [];
    return parts
      .flat()
      .sort((a, b) => cmp(a.entry.created_at, b.entry.created_at) || cmp(a.entry.id, b.entry.id));
  }

  /** Their recurring series on every database, oldest first. */
  async series(patientId: string) {
    const parts = await Promise.all(this.shards.map((s) => s.data.series(patientId)));
    if (parts.length === 1) return parts[0] ?? [];
    return parts.flat().sort((a, b) => cmp(a.row.created_at, b.row.created_at) || cmp(a.row.id, b.row.id));
  }

  /**
   * Removes what the person wrote on every database and its archive (BookingDataRepository.scrub,
   * scrubArchive), database by database; each step is idempotent, so an erasure stopped between
   * databases finishes when repeated. A database that refuses because one of the person's
   * practices is being moved to another database (the move's fence) is scrubbed again on the next
   * pass, and once a pass was refused one more full pass follows the first clean one: the target
   * may have been scrubbed before the move copied the last rows to it. Still refused after
   * `MOVE_PASSES`: `503 SERVICE_UNAVAILABLE`, the rest done; repeating the erasure finishes it.
   */
  async scrub(patientId: string, now: Date): Promise<void> {
    const at = toDbTime(now);
    let cleanPassesNeeded = 1;
    for (let pass = 1; ; pass++) {
      if (await this.scrubPass(patientId, at, now)) {
        if (--cleanPassesNeeded === 0) return;
        continue;
      }
      cleanPassesNeeded = 2;
      if (pass >= MOVE_PASSES)
        throw new DomainError(
          'SERVICE_UNAVAILABLE',
          'Some of this person’s bookings are being moved to another database; the erasure stopped part-way. Repeat it in a moment to finish it.',
          { retryAfterSeconds: 1 },
        );
      await this.wait(MOVE_WAIT_MS);
    }
  }

  /** One scrub of every database; false when a bucket move's fence refused one of them. */
  private async scrubPass(patientId: string, at: string, now: Date): Promise<boolean> {
    let clean = true;
    for (const s of this.shards) {
      try {
        await s.data.scrub(patientId, at);
        if (s.archive) await scrubArchive(s.archive, patientId, now);
      } catch (err) {
        if (!isBucketMoving(err) || this.shards.length === 1) throw err;
        clean = false;
      }
    }
    return clean;
  }
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
