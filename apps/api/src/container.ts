import type { FastifyBaseLogger } from 'fastify';
import { LocalFsBlobStore } from './adapters/blob-store/local-fs';
import { S3BlobStore } from './adapters/blob-store/s3';
import { MemoryCache } from './adapters/cache/memory';
import { inProcessBusFor } from './adapters/event-bus/in-process';
import { DevMailbox } from './adapters/mailer/dev-mailbox';
import { SmtpMailer } from './adapters/mailer/smtp';
import type { Deliver } from './adapters/payments/webhook-deliveries';
import { BreakerRegistry } from './adapters/resilience/breaker';
import { GuardedBlobStore } from './adapters/resilience/guarded-blob-store';
import { GuardedMailer } from './adapters/resilience/guarded-mailer';
import type { Config } from './config/config';
import { createAccountLinks } from './container-accounts';
import { bookingDatabases, createBookings } from './container-bookings';
import { createMessaging } from './container-messaging';
import { createSearch } from './container-search';
import type { Adapters } from './container-types';
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
import { createWaitlist } from './modules/waitlist/waitlist.composition';
import type { BlobStore } from './ports/blob-store';
import type { Mailer } from './ports/mailer';
import { busForRole } from './process-role';

export type { Adapters, Databases } from './container-types';

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
  // PROCESS_ROLE: an `api` process leaves the `once` consumers to the workers (process-role.ts).
  const eventBus = busForRole(
    adapters.eventBus ?? inProcessBusFor(dbs.inventory.dialect),
    config.processRole,
  );
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
  const { searchIndex, searchIndexer, search } = createSearch(config, adapters, {
    breakers,
    busyTime,
    ratings,
    cache,
    eventBus,
    log,
  });
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
