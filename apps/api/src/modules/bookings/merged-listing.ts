import type { Booking } from '@carebook/contracts';
import { type ArchiveCursor, type BookingArchive, compareCursor } from '../../ports/archive';
import { type FieldOpener, type StoredBooking, toBookings } from './booking-mapper';
import type { BookingFilter, BookingRow, BookingsRepository } from './bookings.repository';

const FINAL = new Set<BookingRow['status']>(['completed', 'cancelled', 'expired', 'no_show']);
const MAX_CHUNK = 500;

/**
 * The bookings list over live and archived bookings as one sequence in (start, id) order, with
 * page/pageSize/total exactly as before archival existed.
 *
 * The archive can only hold final bookings whose appointment ended days ago, so "upcoming",
 * an active status and `updatedSince` (a reconnect catch-up over recent changes) read the live
 * table alone. Otherwise both sides are walked with keyset cursors and merged; a booking the
 * archival job is moving is in both stores for a moment and is served from the live side only
 * (the job marks such bookings in `booking_archival`). Reading page p costs p × pageSize
 * keys per side, the same order of work an OFFSET query does.
 */
export async function listLiveAndArchived(
  d: { repo: BookingsRepository; privacy: FieldOpener; archive?: BookingArchive | undefined },
  filter: BookingFilter,
  order: 'asc' | 'desc',
  page: number,
  pageSize: number,
  /** Smallest read per round trip; tests lower it to cross chunk boundaries with little data. */
  minChunk = 20,
): Promise<{ items: Booking[]; total: number }> {
  // Live rows get their history in one query; then every sealed field is opened in one batch.
  const open = async (picked: ({ live: BookingRow } | { archived: StoredBooking })[]) => {
    const liveRows = picked.flatMap((p) => ('live' in p ? [p.live] : []));
    const histories = await d.repo.histories(liveRows.map((r) => r.id));
    return toBookings(
      d.privacy,
      picked.map((p) =>
        'live' in p ? { row: p.live, history: histories.get(p.live.id) ?? [] } : p.archived,
      ),
    );
  };
  const live = async () => {
    const { rows, total } = await d.repo.page(filter, order, page, pageSize);
    return { items: await open(rows.map((r) => ({ live: r }))), total };
  };
  const archive = d.archive;
  if (!archive || filter.updatedSince || filter.startFrom || (filter.status && !FINAL.has(filter.status)))
    return live();
  const archiveFilter = {
    ...(filter.patientId ? { patientId: filter.patientId } : {}),
    ...(filter.ownerId ? { ownerId: filter.ownerId } : {}),
    ...(filter.providerId ? { providerId: filter.providerId } : {}),
    ...(filter.status ? { status: filter.status } : {}),
    ...(filter.startBefore ? { startBefore: filter.startBefore } : {}),
  };
  const archivedCount = await archive.count(archiveFilter);
  if (archivedCount === 0) return live();

  const moving = new Set(await d.repo.beingArchived(filter));
  let inBoth = 0;
  for (const id of moving) if (await archive.get(id)) inBoth++;
  const total = (await d.repo.count(filter)) + archivedCount - inBoth;

  const offset = (page - 1) * pageSize;
  const chunk = Math.min(MAX_CHUNK, Math.max(minChunk, offset + pageSize));
  const liveSide = new Side<BookingRow>(
    (after) => d.repo.afterKey(filter, order, after, chunk),
    (r) => ({ start: r.start_at, id: r.id }),
    chunk,
  );
  const archivedSide = new Side(
    (after) => archive.list(archiveFilter, { order, limit: chunk, ...(after ? { after } : {}) }),
    (rec) => ({ start: rec.booking.start_at, id: rec.booking.id }),
    chunk,
    (rec) => !moving.has(rec.booking.id),
  );
  const sign = order === 'asc' ? 1 : -1;
  const picked: ({ live: BookingRow } | { archived: StoredBooking })[] = [];
  for (let position = 0; position < offset + pageSize; position++) {
    const [a, b] = [await liveSide.peek(), await archivedSide.peek()];
    if (!a && !b) break;
    const takeLive =
      a !== undefined && (b === undefined || sign * compareCursor(liveSide.key(a), archivedSide.key(b)) <= 0);
    if (takeLive) {
      liveSide.shift();
      if (position >= offset) picked.push({ live: a });
    } else if (b) {
      archivedSide.shift();
      if (position >= offset) picked.push({ archived: { row: b.booking, history: b.history } });
    }
  }
  return { items: await open(picked), total };
}

/** One ordered source read in chunks with a keyset cursor; `keep` drops items after the cursor moved. */
class Side<T> {
  private buffer: T[] = [];
  private after: ArchiveCursor | undefined;
  private done = false;

  constructor(
    private readonly fetch: (after: ArchiveCursor | undefined) => Promise<T[]>,
    readonly key: (item: T) => ArchiveCursor,
    private readonly chunk: number,
    private readonly keep: (item: T) => boolean = () => true,
  ) {}

  async peek(): Promise<T | undefined> {
    while (this.buffer.length === 0 && !this.done) {
      const got = await this.fetch(this.after);
      this.done = got.length < this.chunk;
      const last = got.at(-1);
      if (last) this.after = this.key(last);
      this.buffer = got.filter(this.keep);
    }
    return this.buffer[0];
  }

  shift(): void {
    this.buffer.shift();
  }
}
