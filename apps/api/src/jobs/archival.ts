import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { BookingDatabase, BookingsTable } from '../db/schema';
import { withLockRetries } from '../modules/bookings/booking-transitions';
import { bookingCacheTag } from '../modules/bookings/bookings.service';
import { type FieldSealer, sealStoredBooking } from '../modules/bookings/sealed-fields';
import type { ArchivedBooking, BookingArchive } from '../ports/archive';
import type { Cache } from '../ports/cache';
import { type Clock, toDbTime } from '../ports/clock';

const DAY = 86_400_000;

/** The states nothing leaves: only these are ever archived. */
export const ARCHIVABLE_STATUSES: BookingsTable['status'][] = [
  'completed',
  'cancelled',
  'expired',
  'no_show',
];

export interface ArchivalOptions {
  /**
   * A finished booking moves once its appointment ended and it last changed more than this many
   * days ago (the integrator maps an env var such as ARCHIVE_AFTER_DAYS onto it). At least 1.
   */
  olderThanDays: number;
  /** Bookings per batch: one archive write and one delete transaction each. Default 200. */
  batchSize?: number;
  /** Upper bound on batches per run, so one run cannot go on forever. Default 1000. */
  maxBatches?: number;
}

export interface ArchivalDeps {
  db: Kysely<BookingDatabase>;
  archive: BookingArchive;
  clock: Clock;
  /** Seals any PHI field still in plaintext (rows written before encryption) before it is archived. */
  privacy: FieldSealer;
  /** The bookings cache: moved bookings' entries are dropped so reads go to the archive. */
  cache?: Pick<Cache, 'invalidateTag'>;
  log?: Pick<FastifyBaseLogger, 'info'>;
}

/**
 * Moves old finished bookings from the booking database to the archive, batch by batch:
 *
 * 1. mark the batch in `booking_archival` (insert-or-ignore),
 * 2. copy bookings + history to the archive (idempotent, newest copy wins),
 * 3. in one transaction: delete each booking only if it is unchanged since it was copied
 *    (same version and updated_at), then its history, claims, idempotency keys and mark.
 *
 * A crash after 2 leaves marked bookings in both stores; the next run starts with the marked ones
 * and finishes them. Readers skip the archived copy of a marked booking while its live row
 * exists, so nothing shows twice. Two concurrent runs write the same copies and race on
 * conditional deletes; each booking is deleted once. Bookings with a refund still pending stay
 * live (the lifecycle job retries the refund). See adapters/archive/README.md.
 */
export class BookingArchival {
  private readonly olderThanMs: number;
  private readonly batchSize: number;
  private readonly maxBatches: number;

  constructor(
    private readonly d: ArchivalDeps,
    options: ArchivalOptions,
  ) {
    if (!Number.isFinite(options.olderThanDays) || options.olderThanDays < 1)
      throw new Error('Archival needs olderThanDays ≥ 1');
    this.olderThanMs = options.olderThanDays * DAY;
    this.batchSize = Math.max(1, Math.floor(options.batchSize ?? 200));
    this.maxBatches = Math.max(1, Math.floor(options.maxBatches ?? 1000));
  }

  /** One archival pass: first finishes interrupted batches, then moves due bookings. */
  async runOnce(): Promise<{ archived: number }> {
    let archived = 0;
    let batches = 0;
    // 1. Bookings a crashed (or concurrent) run marked: finish them.
    let afterId = '';
    while (batches < this.maxBatches) {
      const marked = await this.d.db
        .selectFrom('booking_archival')
        .select('booking_id')
        .where('booking_id', '>', afterId)
        .orderBy('booking_id')
        .limit(this.batchSize)
        .execute();
      if (marked.length === 0) break;
      batches++;
      archived += await this.moveBatch(marked.map((m) => m.booking_id));
      afterId = marked.at(-1)?.booking_id ?? afterId;
      if (marked.length < this.batchSize) break;
    }
    // 2. Bookings that became due. Moved ones leave the selection, so the next batch is the first page.
    const cutoff = toDbTime(new Date(this.d.clock.now().getTime() - this.olderThanMs));
    while (batches < this.maxBatches) {
      const due = await this.d.db
        .selectFrom('bookings')
        .select('id')
        .where('status', 'in', ARCHIVABLE_STATUSES)
        .where('end_at', '<', cutoff)
        .where('updated_at', '<', cutoff)
        .where((eb) =>
          eb.or([eb('payment_status', 'is', null), eb('payment_status', '!=', 'refund_pending')]),
        )
        .orderBy('end_at')
        .orderBy('id')
        .limit(this.batchSize)
        .execute();
      if (due.length === 0) break;
      batches++;
      const moved = await this.moveBatch(due.map((r) => r.id));
      archived += moved;
      // Nothing moved: every one changed meanwhile or another run holds them; stop rather than spin.
      if (moved === 0 || due.length < this.batchSize) break;
    }
    if (archived > 0) this.d.log?.info({ archived, batches }, 'archived finished bookings');
    return { archived };
  }

  /** Moves the given bookings (those still finished and not awaiting a refund); returns how many. */
  private async moveBatch(ids: string[]): Promise<number> {
    const now = toDbTime(this.d.clock.now());
    await this.d.db
      .insertInto('booking_archival')
      .orIgnore()
      .values(ids.map((id) => ({ booking_id: id, marked_at: now })))
      .execute();
    const rows = await this.d.db.selectFrom('bookings').selectAll().where('id', 'in', ids).execute();
    const movable = rows.filter(
      (r) => ARCHIVABLE_STATUSES.includes(r.status) && r.payment_status !== 'refund_pending',
    );
    const history = movable.length
      ? await this.d.db
          .selectFrom('booking_history')
          .selectAll()
          .where(
            'booking_id',
            'in',
            movable.map((r) => r.id),
          )
          .orderBy('at')
          .orderBy('id')
          .execute()
      : [];
    const records: ArchivedBooking[] = await Promise.all(
      movable.map(async (booking) => {
        const sealed = await sealStoredBooking(this.d.privacy, {
          row: booking,
          history: history.filter((h) => h.booking_id === booking.id),
        });
        return { booking: sealed.row, history: sealed.history };
      }),
    );
    if (records.length) await this.d.archive.put(records);

    const live = new Set(rows.map((r) => r.id));
    const gone = ids.filter((id) => !live.has(id));
    const deleted = await withLockRetries(() =>
      this.d.db.transaction().execute(async (trx) => {
        const deleted: string[] = [];
        for (const { booking } of [...records].sort((a, b) => (a.booking.id < b.booking.id ? -1 : 1))) {
          const result = await trx
            .deleteFrom('bookings')
            .where('id', '=', booking.id)
            .where('version', '=', booking.version)
            .where('updated_at', '=', booking.updated_at)
            .executeTakeFirst();
          if (Number(result.numDeletedRows) === 1) deleted.push(booking.id);
        }
        if (deleted.length) {
          await trx.deleteFrom('booking_history').where('booking_id', 'in', deleted).execute();
          await trx.deleteFrom('booking_claims').where('booking_id', 'in', deleted).execute();
          await trx.deleteFrom('idempotency_keys').where('booking_id', 'in', deleted).execute();
        }
        // Marks go with their bookings, or when the booking is already gone (another run moved it).
        const unmark = [...deleted, ...gone];
        if (unmark.length)
          await trx.deleteFrom('booking_archival').where('booking_id', 'in', unmark).execute();
        return deleted;
      }),
    );
    const cache = this.d.cache;
    if (cache) await Promise.all(deleted.map((id) => cache.invalidateTag(bookingCacheTag(id))));
    return deleted.length;
  }
}

/** True during the nightly archival hour (UTC) the operator chose (`ARCHIVE_HOUR_UTC`). */
export const archivalHour = (now: Date, hourUtc: number): boolean => now.getUTCHours() === hourUtc;
