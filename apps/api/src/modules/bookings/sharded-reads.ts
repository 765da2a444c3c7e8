import type { Rating } from '@carebook/search-engine';
import { type BookingArchive, compareCursor } from '../../ports/archive';
import type { BusyTimeReader } from '../../ports/busy-time';
import type { RatingReader } from '../../ports/ratings';

/**
 * Reads over every booking database that need no routing, only a merge: a provider's rows are on
 * one database, so asking each and merging gives the one-database answer.
 */

/** Archived bookings of every database's archive, in (start, id) order, at most `limit`. */
export function mergedArchiveList(archives: BookingArchive[]): Pick<BookingArchive, 'list'> {
  const [only] = archives;
  if (archives.length === 1 && only) return only;
  return {
    async list(filter, options) {
      const parts = await Promise.all(archives.map((a) => a.list(filter, options)));
      const sign = options.order === 'asc' ? 1 : -1;
      return parts
        .flat()
        .sort(
          (a, b) =>
            sign *
            compareCursor(
              { start: a.booking.start_at, id: a.booking.id },
              { start: b.booking.start_at, id: b.booking.id },
            ),
        )
        .slice(0, options.limit);
    },
  };
}

/** Ratings from every database's reviews (a listing's reviews are all on its own database). */
export function mergedRatings(readers: RatingReader[]): RatingReader {
  const [only] = readers;
  if (readers.length === 1 && only) return only;
  const merge = (maps: Map<string, Rating>[]) => new Map(maps.flatMap((m) => [...m]));
  return {
    ratingsOf: async (ids) => merge(await Promise.all(readers.map((r) => r.ratingsOf(ids)))),
    allRatings: async () => merge(await Promise.all(readers.map((r) => r.allRatings()))),
  };
}

/**
 * Busy time from every database's claims, for a tool without the bookings front (`npm run
 * reindex`): a provider's claims are on its own database, so the others add nothing.
 */
export function mergedBusyTime(readers: BusyTimeReader[]): BusyTimeReader {
  const [only] = readers;
  if (readers.length === 1 && only) return only;
  return {
    busyIntervals: async (providerId, from, to) =>
      (await Promise.all(readers.map((r) => r.busyIntervals(providerId, from, to)))).flat(),
  };
}
