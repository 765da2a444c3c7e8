import type { FastifyBaseLogger } from 'fastify';
import { LocalFsBlobStore } from './adapters/blob-store/local-fs';
import { S3BlobStore } from './adapters/blob-store/s3';
import { MemoryCache } from './adapters/cache/memory';
import { InProcessEventBus } from './adapters/event-bus/in-process';
import { DevMailbox } from './adapters/mailer/dev-mailbox';
import { SmtpMailer } from './adapters/mailer/smtp';
import type { Deliver } from './adapters/payments/webhook-deliveries';
import { BreakerRegistry } from './adapters/resilience/breaker';
import { GuardedBlobStore } from './adapters/resilience/guarded-blob-store';
import { GuardedMailer } from './adapters/resilience/guarded-mailer';
import { GuardedSearchIndex } from './adapters/resilience/guarded-search-index';
import { ElasticsearchSearchIndex } from './adapters/search/elasticsearch';
import { EmbeddedSearchIndex } from './adapters/search/embedded';
import type { Config } from './config/config';
import { createAccountLinks } from './container-accounts';
import { bookingDatabases, createBookings } from './container-bookings';
import { createMessaging } from './container-messaging';
import type { Db } from './db/database';
import type { Replication } from './db/replication/replication';
import type { BookingDatabase, InventoryDatabase } from './db/schema';
import { ListingViews } from './jobs/cache-warming';
import { OutboxRelay } from './jobs/outbox-relay';
import { checkedEvents } from './lib/events';
import { UsersRepository } from './modules/accounts/users.repository';
import { AdminService } from './modules/admin/admin.service';
import { AuditRepository } from './modules/audit/audit.repository';
import { AuditService } from './modules/audit/audit.service';
import { AccessTokens } from './modules/auth/access-tokens';
import { type AuthDeps, AuthService } from './modules/auth/auth.service';
import { resolveJwtKeys } from './modules/auth/jwt-keys';
import { LoginThrottle } from './modules/auth/login-throttle';
import { PasswordHasher } from './modules/auth/passwords';
import { SessionsRepository } from './modules/auth/sessions.repository';
import { AvailabilityService } from './modules/availability/availability.service';
import { bookingCacheTag } from './modules/bookings/bookings.service';
import { createDataRights } from './modules/data-rights/data-rights.module';
import type { SoftDependency } from './modules/health/health.routes';
import { MediaService } from './modules/media/media.service';
import { MessagingRepository } from './modules/messaging/messaging.repository';
import { notificationContextLoader } from './modules/notifications/context';
import { NotificationsService } from './modules/notifications/notifications.service';
import { BlindIndex } from './modules/privacy/blind-index';
import { DataKeysRepository } from './modules/privacy/data-keys.repository';
import { resolveKeyring } from './modules/privacy/keyring';
import { PrivacyService } from './modules/privacy/privacy.service';
import { listingCacheInvalidator, listingCacheTag } from './modules/providers/listing-cache';
import { ListingChanges } from './modules/providers/listing-changes';
import { ListingMedia } from './modules/providers/listing-media';
import { ListingServices } from './modules/providers/listing-services';
import { ProvidersRepository } from './modules/providers/providers.repository';
import { ProvidersService } from './modules/providers/providers.service';
import { RealtimeHub } from './modules/realtime/realtime-hub';
import { ReviewShards } from './modules/reviews/review-shards';
import { ReviewsRepository } from './modules/reviews/reviews.repository';
import { ReviewsService } from './modules/reviews/reviews.service';
import { DatabaseSearchFallback } from './modules/search/database-fallback';
import { createSearchIndexer, movesBusyTime } from './modules/search/indexer';
import { SearchService } from './modules/search/search.service';
import { createWaitlist } from './modules/waitlist/waitlist.composition';
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

/** What the services need from the app that hosts them. */
export interface AppHooks {
  /** Hands a signed payment event to the app's webhook route (the simulated provider's delivery). */
  deliverWebhook: Deliver;
}

/** Wires repositories and services for one app instance. */
export function createServices(config: Config, adapters: Adapters, log: FastifyBaseLogger, hooks: AppHooks) {
  const { dbs, clock } = adapters;
  // Outside dependencies made from the config sit behind a timeout and a circuit breaker.
  const breakers = new BreakerRegistry(config.resilience.breakers);
  const db = dbs.inventory.db;
  const users = new UsersRepository(db);
  const sessions = new SessionsRepository(db);
  const auditRepo = new AuditRepository(db);
  const audit = new AuditService(auditRepo, clock);
  const keyring = resolveKeyring(config);
  const privacy = new PrivacyService(new DataKeysRepository(db), keyring, clock);
  const messagingKeys = { privacy, phoneIndex: new BlindIndex(keyring, 'sms-phone') };
  const hasher = new PasswordHasher(config.auth.passwordHashMemoryKiB);
  const tokens = new AccessTokens(
    resolveJwtKeys(config),
    config.auth.issuer,
    config.auth.audience,
    config.auth.accessTokenTtlSeconds,
  );
  const throttle = new LoginThrottle(auditRepo, clock, {
    perAccount: config.auth.loginFailureLimitPerAccount,
    perIp: config.auth.loginFailureLimitPerIp,
    windowSeconds: config.auth.loginFailureWindowSeconds,
    delayBaseSeconds: config.auth.loginDelayBaseSeconds,
    delayMaxSeconds: config.auth.loginDelayMaxSeconds,
  });
  const authDeps: AuthDeps = {
    db,
    users,
    sessions,
    audit,
    hasher,
    tokens,
    throttle,
    signInIndex: new BlindIndex(keyring, 'sign-in-email'),
    // Bound late: sign-up (below) is built after sign-in.
    resendConfirmation: (user, meta) => accountLinks.signUp.resendOnSignIn(user, meta),
    clock,
    refreshTokenTtlSeconds: config.auth.refreshTokenTtlSeconds,
  };
  const auth = new AuthService(authDeps);
  const admin = new AdminService({ db, users, sessions, auditRepo, audit, clock });
  const eventBus = adapters.eventBus ?? new InProcessEventBus();
  const relay = new OutboxRelay(dbs.inventoryRelay?.db ?? db, 'inventory_outbox', eventBus, clock, log);
  const providersRepo = new ProvidersRepository(db);
  const cache = adapters.cache ?? new MemoryCache({ clock });
  // Listing reads counted on this instance, for cache warming (jobs/cache-warming.ts).
  const listingViews = new ListingViews(dbs.bookings.db, clock);
  const listingChanges = new ListingChanges({
    db,
    repo: providersRepo,
    clock,
    listener: {
      // Before the response goes out: this instance never serves the old version again.
      // Other instances drop theirs when the event reaches them (listingCacheInvalidator).
      listingChanged: async (id) => {
        await cache.invalidateTag(listingCacheTag(id));
        relay.nudge();
      },
    },
  });
  const providers = new ProvidersService({
    repo: providersRepo,
    ...(dbs.inventoryRead ? { replica: new ProvidersRepository(dbs.inventoryRead.db) } : {}),
    accounts: users,
    changes: listingChanges,
    log,
    audit,
    clock,
    cache,
    viewed: (id) => listingViews.viewed(id),
  });
  const listingServices = new ListingServices({
    providers,
    repo: providersRepo,
    changes: listingChanges,
    clock,
  });
  const listingMedia = new ListingMedia({ repo: providersRepo, changes: listingChanges });
  eventBus.subscribe('listing-cache', 'broadcast', checkedEvents(listingCacheInvalidator(cache), log));
  const blobStore = adapters.blobStore ?? createBlobStore(config, breakers);
  const media = new MediaService(blobStore, { cipher: privacy, audit });

  // Bookings over every booking database (container-bookings.ts): one front, per-shard parts.
  const booking = createBookings(config, adapters, {
    providers,
    cache,
    privacy,
    audit,
    eventBus,
    breakers,
    log,
    hooks,
  });
  const { bookings, bookingsChanged } = booking;
  const busyTime = adapters.busyTime ?? booking.busyTime;
  const availability = new AvailabilityService({ providers, busy: busyTime, clock });
  const devMailbox = config.mail.url === 'mailbox' ? new DevMailbox(db, clock) : null;
  const mailer: Mailer =
    adapters.mailer ??
    devMailbox ??
    new GuardedMailer(new SmtpMailer({ url: config.mail.url, from: config.mail.from }), breakers.get('mail'));
  const accountLinks = createAccountLinks(config, {
    db,
    users,
    sessions,
    auditRepo,
    audit,
    hasher,
    clock,
    mailer,
    log,
    privacy,
  });
  const notifications = new NotificationsService({
    db,
    mailer,
    loadContext: notificationContextLoader({
      bookingRow: async (id) => (await bookings.forBooking(id)).repo.byId(id),
      bookings,
      users,
      providersRepo,
      webUrl: config.publicUrl,
    }),
    clock,
    log,
    privacy,
    wantsEmailReminders: async (patientId) => {
      const prefs = await new MessagingRepository(db, messagingKeys).preferences(patientId);
      return !prefs || prefs.reminder_channels.split(',').includes('email');
    },
  });
  eventBus.subscribe(
    'notifications',
    'once',
    checkedEvents((e) => notifications.handle(e), log),
  );
  const reviews = new ReviewsService({
    // A review lives on its booking's database (its provider's shard).
    reviews: new ReviewShards(
      bookings,
      bookingDatabases(dbs).map((d) => new ReviewsRepository(d.db)),
      booking.bucketMap,
    ),
    users,
    audit,
    clock,
    windowDays: config.reviews.windowDays,
  });
  const messaging = createMessaging(config, adapters, { users, mailer, log, ...messagingKeys });
  const { ratings } = booking;
  const waitlist = createWaitlist(
    config,
    bookingDatabases(dbs).map((d) => d.db),
    { bookings, providers, busyTime, clock, eventBus, log, bucketMap: booking.bucketMap },
    booking.nudgeBookingRelays,
  );
  const searchIndex =
    adapters.searchIndex ??
    (config.searchUrl
      ? new GuardedSearchIndex(
          new ElasticsearchSearchIndex({ node: config.searchUrl }),
          breakers.get('search'),
          new DatabaseSearchFallback({
            db: (dbs.inventoryRead ?? dbs.inventory).db,
            busy: busyTime,
            ratings,
            retryAfterSeconds: breakers.get('search').retryAfterSeconds,
          }),
        )
      : new EmbeddedSearchIndex());
  const searchIndexer = createSearchIndexer({
    db,
    index: searchIndex,
    busy: busyTime,
    ratings,
    clock,
    cache,
  });
  // An in-process index is fed on every instance; a shared cluster index once per cluster.
  eventBus.subscribe(
    'search-indexer',
    config.searchUrl ? 'once' : 'broadcast',
    checkedEvents(async (e) => {
      await searchIndexer.handle(e);
      // Booked or freed time moves a provider's next available slot.
      if (movesBusyTime(e) && 'providerId' in e.payload)
        await searchIndexer.onBusyTimeChanged(e.payload.providerId);
    }, log),
  );
  const search = new SearchService({ index: searchIndex, cache, clock });
  // The push's session re-check reads on the relays' pool (MySQL), beside the relay's reads.
  const pushAuth = dbs.inventoryRelay
    ? new AuthService({ ...authDeps, sessions: new SessionsRepository(dbs.inventoryRelay.db) })
    : auth;
  const realtime = new RealtimeHub((p) => pushAuth.principalForSession(p.userId, p.sessionId));
  eventBus.subscribe(
    'realtime',
    'broadcast',
    checkedEvents((e) => realtime.handle(e), log),
  );
  // Other instances' changes reach this one's booking cache through the bus.
  eventBus.subscribe(
    'booking-cache',
    'broadcast',
    checkedEvents(async (e) => {
      if (e.type.startsWith('booking.')) await cache.invalidateTag(bookingCacheTag(e.aggregateId));
    }, log),
  );
  const dataRights = createDataRights({
    profile: accountLinks.profile,
    db,
    // Every booking database, with the archive each reads back (a shared archive with the first).
    bookingShards: booking.bookingShards.map((s) => ({
      db: s.db.db,
      ...(s.shard.archive ? { archive: s.shard.archive } : {}),
    })),
    users,
    bookings,
    auditRepo,
    audit,
    clock,
    publicUrl: config.publicUrl,
    privacy,
    hasher,
    providersRepo,
    bookingsChanged,
    nudge: () => relay.nudge(),
    cache,
    eventBus,
    log,
  });
  return {
    dataRights,
    breakers,
    users,
    sessions,
    auditRepo,
    audit,
    privacy,
    hasher,
    tokens,
    auth,
    admin,
    eventBus,
    relay,
    providersRepo,
    providers,
    listingChanges,
    listingServices,
    listingMedia,
    listingViews,
    availability,
    blobStore,
    media,
    cache,
    ...booking,
    busyTime,
    realtime,
    devMailbox,
    mailer,
    notifications,
    searchIndex,
    searchIndexer,
    search,
    reviews,
    ...accountLinks,
    ratings,
    waitlist,
    ...messaging,
  };
}

export type Services = ReturnType<typeof createServices>;

function createBlobStore(config: Config, breakers: BreakerRegistry): BlobStore {
  const b = config.blobs;
  if (b.kind === 'local') return new LocalFsBlobStore({ root: b.root });
  const s3 = new S3BlobStore({
    bucket: b.bucket,
    region: b.region,
    forcePathStyle: b.forcePathStyle,
    ...(b.endpoint ? { endpoint: b.endpoint } : {}),
  });
  return new GuardedBlobStore(s3, breakers.get('blob-store'));
}
