import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config } from '../../config/config';
import type { BookingDatabase } from '../../db/schema';
import type { BucketMap } from '../../db/shards/bucket-map';
import { checkedEvents } from '../../lib/events';
import type { BusyTimeReader } from '../../ports/busy-time';
import type { Clock } from '../../ports/clock';
import type { EventBus } from '../../ports/event-bus';
import type { Bookings } from '../bookings/booking-shards';
import type { ProvidersService } from '../providers/providers.service';
import { WaitlistRepository } from './waitlist.repository';
import { WaitlistService } from './waitlist.service';
import { WaitlistShards } from './waitlist-shards';

/**
 * The waitlist service and its consumer: booking events (freed time) and listing events (new
 * opening hours) run the matcher once per cluster (`once`), on whichever instance gets the event.
 * `dbs` are the booking databases in shard order; a listing's line lives on its provider's.
 */
export function createWaitlist(
  config: Config,
  dbs: Kysely<BookingDatabase>[],
  d: {
    bucketMap: Pick<BucketMap, 'shardOf'>;
    bookings: Bookings;
    providers: ProvidersService;
    busyTime: BusyTimeReader;
    clock: Clock;
    eventBus: EventBus;
    log: FastifyBaseLogger;
  },
  changed: () => void,
): WaitlistService {
  const waitlist = new WaitlistService({
    shards: new WaitlistShards(
      dbs.map((db, index) => ({ index, db, repo: new WaitlistRepository(db) })),
      d.bucketMap,
    ),
    bookings: d.bookings,
    providers: d.providers,
    busy: d.busyTime,
    clock: d.clock,
    offerMinutes: config.waitlist.offerMinutes,
    changed,
    log: d.log,
  });
  d.eventBus.subscribe(
    'waitlist',
    'once',
    checkedEvents((e) => waitlist.handle(e), d.log),
  );
  return waitlist;
}
