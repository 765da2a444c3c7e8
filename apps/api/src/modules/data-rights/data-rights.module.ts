import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { BookingDatabase } from '../../db/schema';
import { checkedEvents } from '../../lib/events';
import type { BookingArchive } from '../../ports/archive';
import type { Cache } from '../../ports/cache';
import type { EventBus } from '../../ports/event-bus';
import { bookingCacheTag } from '../bookings/bookings.service';
import type { PrivacyService } from '../privacy/privacy.service';
import { BookingDataRepository } from './booking-data.repository';
import { BookingDataShards } from './booking-data-shards';
import { DataEraser, type ErasureDeps } from './data-erasure';
import { DataExporter } from './data-export';
import { PersonalDataRepository } from './personal-data.repository';

/** Builds export and erasure, and makes every instance forget an erased person (`privacy.forget`). */
export function createDataRights(
  d: Omit<ErasureDeps, 'personal' | 'bookingData' | 'log'> & {
    /** Every booking database in shard order, each with the archive read back through it. */
    bookingShards: { db: Kysely<BookingDatabase>; archive?: BookingArchive }[];
    cache: Cache;
    eventBus: EventBus;
    log: Pick<FastifyBaseLogger, 'info' | 'error'>;
  },
) {
  const deps: ErasureDeps = {
    ...d,
    personal: new PersonalDataRepository(d.db, d.privacy),
    bookingData: new BookingDataShards(
      d.bookingShards.map((s) => ({
        data: new BookingDataRepository(s.db),
        ...(s.archive ? { archive: s.archive } : {}),
      })),
    ),
  };
  d.eventBus.subscribe('privacy-forget', 'broadcast', checkedEvents(forgetOnThisInstance(d), d.log));
  return { exporter: new DataExporter(deps), eraser: new DataEraser(deps) };
}

/**
 * What one instance holds in memory about a person, dropped when they are erased anywhere: the
 * unwrapped data key and cached bookings. (Their live WebSocket subscriptions end by themselves:
 * each push re-checks the session, which erasure deleted.)
 */
function forgetOnThisInstance(d: { privacy: PrivacyService; cache: Cache }) {
  return async (event: { type: string; payload: unknown }) => {
    if (event.type !== 'privacy.forget') return;
    const { userId, bookingIds } = event.payload as { userId: string; bookingIds: string[] };
    d.privacy.forget(userId);
    await Promise.all(bookingIds.map((id) => d.cache.invalidateTag(bookingCacheTag(id))));
  };
}
