import type { FastifyBaseLogger } from 'fastify';
import { LocalFsBlobStore } from './adapters/blob-store/local-fs';
import { S3BlobStore } from './adapters/blob-store/s3';
import { MemoryCache } from './adapters/cache/memory';
import { InProcessEventBus } from './adapters/event-bus/in-process';
import type { Config } from './config/config';
import type { Db } from './db/database';
import type { BookingDatabase, InventoryDatabase } from './db/schema';
import { OutboxRelay } from './jobs/outbox-relay';
import { UsersRepository } from './modules/accounts/users.repository';
import { AdminService } from './modules/admin/admin.service';
import { AuditRepository } from './modules/audit/audit.repository';
import { AuditService } from './modules/audit/audit.service';
import { AccessTokens } from './modules/auth/access-tokens';
import { AuthService } from './modules/auth/auth.service';
import { resolveJwtKeys } from './modules/auth/jwt-keys';
import { LoginThrottle } from './modules/auth/login-throttle';
import { PasswordHasher } from './modules/auth/passwords';
import { SessionsRepository } from './modules/auth/sessions.repository';
import { AvailabilityService } from './modules/availability/availability.service';
import { MediaService } from './modules/media/media.service';
import { listingCacheInvalidator, listingCacheTag } from './modules/providers/listing-cache';
import { ProvidersRepository } from './modules/providers/providers.repository';
import { ProvidersService } from './modules/providers/providers.service';
import type { BlobStore } from './ports/blob-store';
import { type BusyTimeReader, noBookingClaimsYet } from './ports/busy-time';
import type { Cache } from './ports/cache';
import type { Clock } from './ports/clock';
import type { EventBus } from './ports/event-bus';

export interface Databases {
  inventory: Db<InventoryDatabase>;
  bookings: Db<BookingDatabase>;
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
  /** Defaults to "no claims yet" until the bookings module provides its reader. */
  busyTime?: BusyTimeReader;
}

/** Wires repositories and services for one app instance. */
export function createServices(config: Config, adapters: Adapters, log: FastifyBaseLogger) {
  const { dbs, clock } = adapters;
  const db = dbs.inventory.db;
  const users = new UsersRepository(db);
  const sessions = new SessionsRepository(db);
  const auditRepo = new AuditRepository(db);
  const audit = new AuditService(auditRepo, clock);
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
  });
  const auth = new AuthService({
    db,
    users,
    sessions,
    audit,
    hasher,
    tokens,
    throttle,
    clock,
    refreshTokenTtlSeconds: config.auth.refreshTokenTtlSeconds,
  });
  const admin = new AdminService({ db, users, sessions, auditRepo, audit, clock });
  const eventBus = adapters.eventBus ?? new InProcessEventBus();
  const relay = new OutboxRelay(db, eventBus, clock, log);
  const providersRepo = new ProvidersRepository(db);
  const cache = adapters.cache ?? new MemoryCache({ clock });
  const providers = new ProvidersService({
    db,
    repo: providersRepo,
    audit,
    clock,
    cache,
    listener: {
      // Before the response goes out: this instance never serves the old version again.
      // Other instances drop theirs when the event reaches them (listingCacheInvalidator).
      listingChanged: async (id) => {
        await cache.invalidateTag(listingCacheTag(id));
        relay.nudge();
      },
    },
  });
  eventBus.subscribe('listing-cache', listingCacheInvalidator(cache));
  const blobStore = adapters.blobStore ?? createBlobStore(config);
  const media = new MediaService(blobStore);
  const availability = new AvailabilityService({
    providers,
    busy: adapters.busyTime ?? noBookingClaimsYet,
    clock,
  });
  return {
    users,
    sessions,
    auditRepo,
    audit,
    hasher,
    tokens,
    auth,
    admin,
    eventBus,
    relay,
    providersRepo,
    providers,
    availability,
    blobStore,
    media,
    cache,
  };
}

export type Services = ReturnType<typeof createServices>;

function createBlobStore(config: Config): BlobStore {
  const b = config.blobs;
  if (b.kind === 'local') return new LocalFsBlobStore({ root: b.root });
  return new S3BlobStore({
    bucket: b.bucket,
    region: b.region,
    forcePathStyle: b.forcePathStyle,
    ...(b.endpoint ? { endpoint: b.endpoint } : {}),
  });
}
