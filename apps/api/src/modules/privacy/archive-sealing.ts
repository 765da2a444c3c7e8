import type { ArchiveCursor, ArchivedBooking, BookingArchive } from '../../ports/archive';
import { type FieldSealer, sealStoredBooking } from '../bookings/sealed-fields';
import type { Batch } from './sealing-batches';

/**
 * Batches of legacy records in an archive read through its port (DynamoDB): every record in
 * (start, id) order; one whose fields are still plaintext is replaced by a sealed copy one version
 * up, which the archive's "newer copy wins" rule stores. A record the archival job or an erasure
 * rewrote meanwhile keeps the newer copy (those writers seal too): that row counts as skipped.
 */
export async function* archivePortBatches(
  archive: BookingArchive,
  privacy: FieldSealer,
  limit: number,
): AsyncIterable<Batch> {
  let after: ArchiveCursor | undefined;
  for (;;) {
    const page = await archive.list({}, { order: 'asc', limit, ...(after ? { after } : {}) });
    const last = page.at(-1);
    if (!last) return;
    after = { start: last.booking.start_at, id: last.booking.id };
    const items: Batch = [];
    for (const record of page) {
      const sealed = await sealStoredBooking(privacy, { row: record.booking, history: record.history });
      const copy: ArchivedBooking = { booking: sealed.row, history: sealed.history };
      if (JSON.stringify(copy) === JSON.stringify(record)) continue;
      const version = record.booking.version + 1;
      items.push({
        key: record.booking.id,
        update: async () => {
          await archive.put([{ ...copy, booking: { ...copy.booking, version } }]);
          return (await archive.get(record.booking.id))?.booking.version === version;
        },
      });
    }
    yield items;
    if (page.length < limit) return;
  }
}
