import type { Db } from './db/database';
import type { Replication } from './db/replication/replication';
import type { BookingDatabase, InventoryDatabase } from './db/schema';
import type { SoftDependency } from './modules/health/health.routes';
import type { BookingArchive } from './ports/archive';
import type { BlobStore } from './ports/blob-store';
import type { BusyTimeReader } from './ports/busy-time';
import type { Cache } from './ports/cache';
import type { Clock } from './ports/clock';
import type { EventBus } from './ports/event-bus';
import type { Mailer } from './ports/mailer';
import type { PaymentsPort } from './ports/payments';
import type { SearchIndex } from './ports/search-index';
import type { SmsSender } from './ports/sms';

/** The databases an app instance works on (db/open-databases.ts opens them from the config). */
export interface Databases {
  inventory: Db<InventoryDatabase>;
  bookings: Db<BookingDatabase>;
  /**
   * Reads of the inventory database that tolerate replication lag (public listing pages, the
   * search rebuild), routed to its replicas (`INVENTORY_REPLICA_URLS`, db/replication) with
   * read-your-writes; tests may pass any handle. Cached listing reads, owners'
   * reads and every write stay on the primary (a cache filled from a lagging replica after an
   * invalidation would serve the old version until its TTL).
   */
  inventoryRead?: Db<InventoryDatabase>;
  /**
   * More booking databases (`BOOKING_DATABASE_URLS` after the first, which is `bookings`): booking
   * shards, each holding the bookings of the providers whose buckets it holds (db/shards).
   */
  bookingShards?: Db<BookingDatabase>[];
  /**
   * Replicas of the booking database (`BOOKING_REPLICA_URLS`): booking history lists, calendar
   * feeds' bookings, the practice schedule's past.
   */
  bookingsRead?: Db<BookingDatabase>;
  /** The replicas' monitor, read-your-writes positions and status (db/replication). */
  replication?: Replication;
  /**
   * MySQL: the outbox relays' own pool on the primaries (`DB_RELAY_POOL_SIZE`): the relays'
   * reads and marks and the WebSocket push's session re-check, apart from the main pool.
   */
  inventoryRelay?: Db<InventoryDatabase>;
  bookingsRelay?: Db<BookingDatabase>;
}

export interface Adapters {
  dbs: Databases;
  clock: Clock;
  /** Defaults to the in-process bus (embedded profile). */
  eventBus?: EventBus;
  /** Defaults to an in-process LRU; server.ts passes Redis when CACHE_URL says so. */
  cache?: Cache;
  /** Defaults to the configured store (local files or S3). */
  blobStore?: BlobStore;
  /** Defaults to the claims table; tests may pass another reader. */
  busyTime?: BusyTimeReader;
  /** Defaults to the embedded engine, or Elasticsearch when SEARCH_URL is set. */
  searchIndex?: SearchIndex;
  /** Defaults to the dev mailbox (embedded) or SMTP. */
  mailer?: Mailer;
  /** Defaults to the configured provider (simulated or Stripe). */
  payments?: PaymentsPort;
  /** Cache, event stream…: reported by /readyz as `degraded` when down (the instance keeps serving). */
  dependencies?: SoftDependency[];
  /** Archived finished bookings; defaults to the SQL archive table in the booking database. */
  archive?: BookingArchive;
  /** Defaults to the configured SMS sender (dev inbox, Twilio, or none). */
  sms?: SmsSender;
  /** Where log lines go; defaults to stdout (the erasure test reads them back). */
  logStream?: { write(line: string): void };
}
