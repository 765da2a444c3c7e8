import type { Config } from './config/config';
import type { Db } from './db/database';
import type { BookingDatabase, InventoryDatabase } from './db/schema';
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
import type { Clock } from './ports/clock';

export interface Databases {
  inventory: Db<InventoryDatabase>;
  bookings: Db<BookingDatabase>;
}

export interface Adapters {
  dbs: Databases;
  clock: Clock;
}

/** Wires repositories and services for one app instance. */
export function createServices(config: Config, { dbs, clock }: Adapters) {
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
  return { users, sessions, auditRepo, audit, hasher, tokens, auth, admin };
}

export type Services = ReturnType<typeof createServices>;
