import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { BookingDatabase } from '../../db/schema';
import { checkedEvents } from '../../lib/events';
import type { Cache } from '../../ports/cache';
import type { EventBus } from '../../ports/event-bus';
import { bookingCacheTag } from '../bookings/bookings.service';
import type { PrivacyService } from '../privacy/privacy.service';
import { BookingDataRepository } from './booking-data.repository';
import { DataEraser, type ErasureDeps } from './data-erasure';
import { DataExporter } from './data-export';
import { PersonalDataRepository } from './personal-data.repository';

/** Builds export and erasure, and makes every instance forget an erased person (`privacy.forget`). */
export function createDataRights(
  d: Omit<ErasureDeps, 'personal' | 'bookingData' | 'log'> & {
    bookingsDb: Kysely<BookingDatabase>;
    cache: Cache;
    eventBus: EventBus;
    log: Pick<FastifyBaseLogger, 'info' | 'error'>;
  },
) {
  const deps: ErasureDeps = {
    ...d,
    personal: new PersonalDataRepository(d.db, d.privacy),
    bookingData: new BookingDataRepository(d.bookingsDb),
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
