import type { FastifyBaseLogger } from 'fastify';
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
import { ProvidersRepository } from './modules/providers/providers.repository';
import { ProvidersService } from './modules/providers/providers.service';
import { type BusyTimeReader, noBookingClaimsYet } from './ports/busy-time';
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
  const providers = new ProvidersService({
    db,
    repo: providersRepo,
    audit,
    clock,
    listener: {
      listingChanged: async () => relay.nudge(),
    },
  });
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
  };
}

export type Services = ReturnType<typeof createServices>;
