import type { AuthResult, LoginBody, Session, TokenPair, User } from '@carebook/contracts';
import type { Kysely } from 'kysely';
import type { InventoryDatabase } from '../../db/schema';
import { DomainError } from '../../domain/errors';
import { newId } from '../../lib/ids';
import type { Principal, RequestMeta } from '../../lib/request-meta';
import { type Clock, fromDbTime, toDbTime } from '../../ports/clock';
import { toUser, type UserRow, type UsersRepository } from '../accounts/users.repository';
import type { AuditService } from '../audit/audit.service';
import type { BlindIndex } from '../privacy/blind-index';
import type { AccessTokens } from './access-tokens';
import type { LoginThrottle } from './login-throttle';
import type { PasswordHasher } from './passwords';
import { hashRefreshToken, newRefreshToken, normaliseEmail } from './refresh-tokens';
import type { SessionsRepository } from './sessions.repository';

export interface AuthDeps {
  db: Kysely<InventoryDatabase>;
  users: UsersRepository;
  sessions: SessionsRepository;
  audit: AuditService;
  hasher: PasswordHasher;
  tokens: AccessTokens;
  throttle: LoginThrottle;
  /** Keyed hash of a typed e-mail: failed sign-ins are recorded (and throttled) by it, never the address. */
  signInIndex: BlindIndex;
  /**
   * Sends the address-confirmation link again to an unconfirmed account whose password was right
   * (throttled like the resend route); true when a mail went out.
   */
  resendConfirmation: (user: UserRow, meta: RequestMeta) => Promise<boolean>;
  clock: Clock;
  refreshTokenTtlSeconds: number;
}

const INVALID_CREDENTIALS = 'The e-mail or password is not correct.';

/** Tells a suspended user why, at sign-in, at a refresh, and on the next request of a live session. */
const suspended = (reason: string | null) =>
  new DomainError(
    'ACCOUNT_SUSPENDED',
    `This account is suspended${reason ? `: ${reason.replace(/[.\s]+$/, '')}` : ''}. Contact support if you think this is a mistake.`,
  );

export class AuthService {
  constructor(private readonly d: AuthDeps) {}

  async login(body: LoginBody, meta: RequestMeta): Promise<AuthResult> {
    const email = normaliseEmail(body.email);
    const user = await this.d.users.byEmail(email);
    const account = this.d.signInIndex.candidates(email);
    await this.d.throttle.check(account, meta.ip, user?.id ?? null);
    // The audit trail keeps who was tried as a keyed hash, plus the account when there is one.
    const target = { type: 'email_hmac', id: account[0] as string };
    const ok = user
      ? await this.d.hasher.verify(user.password_hash, body.password)
      : await this.d.hasher.verifyAgainstDummy(body.password);
    if (!user || !ok) {
      await this.d.audit.record(
        {
          action: 'auth.login_failed',
          actor: null,
          target,
          details: user ? { reason: 'wrong_password', userId: user.id } : { reason: 'unknown_email' },
        },
        meta,
      );
      throw new DomainError('INVALID_CREDENTIALS', INVALID_CREDENTIALS);
    }
    if (user.status === 'suspended') {
      await this.d.audit.record(
        {
          action: 'auth.login_failed',
          target,
          details: { reason: 'suspended', userId: user.id },
        },
        meta,
      );
      throw suspended(user.suspended_reason);
    }
    // Only the holder of the password learns that the address is unconfirmed (so, that it has an
    // account): a wrong password answers the same as for an unknown address.
    if (!user.email_verified_at) {
      const sent = await this.d.resendConfirmation(user, meta);
      throw new DomainError(
        'EMAIL_NOT_CONFIRMED',
        sent
          ? 'Confirm your e-mail address to sign in: we have sent you a new link. Open it, then sign in again.'
          : 'Confirm your e-mail address to sign in: open the link we sent you (check your spam folder too). A new one can be sent again in a while.',
      );
    }
    const now = this.d.clock.now();
    return this.d.db.transaction().execute(async (trx) => {
      const tokens = await this.startSession(user, meta, now, trx);
      await this.d.audit.record(
        {
          action: 'auth.login_succeeded',
          actor: { userId: user.id, role: user.role },
          target: { type: 'user', id: user.id },
          details: { sessionId: tokens.sessionId },
        },
        meta,
        trx,
      );
      return { user: toUser(user), tokens };
    });
  }

  /**
   * Rotates a refresh token. A token presented a second time means it leaked: the whole session
   * (every token descended from the same login) is revoked.
   */
  async refresh(refreshToken: string, meta: RequestMeta): Promise<AuthResult> {
    const now = this.d.clock.now();
    const nowDb = toDbTime(now);
    const found = await this.d.sessions.refreshTokenByHash(hashRefreshToken(refreshToken));
    if (!found)
      throw new DomainError('INVALID_REFRESH_TOKEN', 'The refresh token is not valid. Sign in again.');
    const reuse = async () => {
      await this.d.db.transaction().execute(async (trx) => {
        const revoked = await this.d.sessions.revoke(
          found.sessionId,
          found.userId,
          nowDb,
          'refresh_token_reuse',
          trx,
        );
        await this.d.audit.record(
          {
            action: 'auth.refresh_token_reused',
            actor: null,
            target: { type: 'session', id: found.sessionId },
            details: { userId: found.userId, sessionRevoked: revoked },
          },
          meta,
          trx,
        );
      });
      return new DomainError(
        'REFRESH_TOKEN_REUSED',
        'This refresh token was already used, so the session has been ended for safety. Sign in again.',
      );
    };
    if (found.usedAt !== null) throw await reuse();
    const user = await this.d.users.byId(found.userId);
    // A suspension ended the session too; say why rather than just "signed out".
    if (user?.status === 'suspended') throw suspended(user.suspended_reason);
    if (
      !user ||
      found.revokedAt !== null ||
      found.sessionExpiresAt <= nowDb ||
      found.tokenExpiresAt <= nowDb
    ) {
      throw new DomainError('INVALID_REFRESH_TOKEN', 'The session has ended. Sign in again.');
    }
    const rotated = await this.d.db.transaction().execute(async (trx) => {
      if (!(await this.d.sessions.markUsed(found.tokenId, nowDb, trx))) return null;
      await this.d.sessions.touch(found.sessionId, nowDb, trx);
      return this.issueTokens(user, found.sessionId, fromDbTime(found.sessionExpiresAt), now, trx);
    });
    // Lost the race with a concurrent use of the same token: that is reuse too.
    if (!rotated) throw await reuse();
    return { user: toUser(user), tokens: rotated };
  }

  async logout(principal: Principal, meta: RequestMeta): Promise<void> {
    await this.d.db.transaction().execute(async (trx) => {
      await this.d.sessions.revoke(
        principal.sessionId,
        principal.userId,
        toDbTime(this.d.clock.now()),
        'logout',
        trx,
      );
      await this.d.audit.record(
        { action: 'auth.logout', actor: principal, target: { type: 'session', id: principal.sessionId } },
        meta,
        trx,
      );
    });
  }

  async listSessions(principal: Principal): Promise<Session[]> {
    const rows = await this.d.sessions.liveSessions(principal.userId, toDbTime(this.d.clock.now()));
    return rows.map((r) => ({
      id: r.id,
      createdAt: fromDbTime(r.created_at).toISOString(),
      lastUsedAt: fromDbTime(r.last_used_at).toISOString(),
      expiresAt: fromDbTime(r.expires_at).toISOString(),
      ip: r.ip,
      userAgent: r.user_agent,
      current: r.id === principal.sessionId,
    }));
  }

  async revokeSession(principal: Principal, sessionId: string, meta: RequestMeta): Promise<void> {
    const revoked = await this.d.db.transaction().execute(async (trx) => {
      const ok = await this.d.sessions.revoke(
        sessionId,
        principal.userId,
        toDbTime(this.d.clock.now()),
        'revoked_by_user',
        trx,
      );
      if (ok) {
        await this.d.audit.record(
          { action: 'auth.session_revoked', actor: principal, target: { type: 'session', id: sessionId } },
          meta,
          trx,
        );
      }
      return ok;
    });
    // Someone else's session, or none: indistinguishable on purpose.
    if (!revoked) throw new DomainError('NOT_FOUND', 'No such active session.');
  }

  async changePassword(
    principal: Principal,
    current: string,
    next: string,
    meta: RequestMeta,
  ): Promise<number> {
    const user = await this.d.users.byId(principal.userId);
    if (!user || !(await this.d.hasher.verify(user.password_hash, current))) {
      throw new DomainError('VALIDATION_FAILED', 'The current password is not correct.', {
        errors: [{ path: '/body/currentPassword', message: 'is not correct' }],
      });
    }
    if (current === next) {
      throw new DomainError('VALIDATION_FAILED', 'The new password must differ from the current one.', {
        errors: [{ path: '/body/newPassword', message: 'must differ from the current password' }],
      });
    }
    const hash = await this.d.hasher.hash(next);
    const now = toDbTime(this.d.clock.now());
    return this.d.db.transaction().execute(async (trx) => {
      await this.d.users.update(user.id, { password_hash: hash, updated_at: now }, trx);
      const revoked = await this.d.sessions.revokeAllFor(
        user.id,
        now,
        'password_changed',
        principal.sessionId,
        trx,
      );
      await this.d.audit.record(
        {
          action: 'auth.password_changed',
          actor: principal,
          target: { type: 'user', id: user.id },
          details: { otherSessionsRevoked: revoked },
        },
        meta,
        trx,
      );
      return revoked;
    });
  }

  /**
   * Resolves an access token to a principal. The role and suspension come from the database,
   * not the token, so a suspension or role change applies to the very next request.
   */
  async authenticate(token: string): Promise<Principal> {
    const now = this.d.clock.now();
    const claims = this.d.tokens.verify(token, now);
    if (!claims) throw new DomainError('INVALID_TOKEN', 'The access token is invalid or expired.');
    return this.principalForSession(claims.userId, claims.sessionId);
  }

  /**
   * The principal of a session as it is now (role, staff provider, suspension, revocation), without
   * an access token: long-lived channels (the WebSocket) re-check with it before each push.
   */
  async principalForSession(userId: string, sessionId: string): Promise<Principal> {
    const now = this.d.clock.now();
    const claims = { userId, sessionId };
    const row = await this.d.sessions.principalRow(claims.sessionId, claims.userId);
    // Suspension first: a suspended user should be told so, not just "signed out".
    if (row?.status === 'suspended') throw suspended(row.suspended_reason);
    if (!row || row.revoked_at !== null || row.expires_at <= toDbTime(now)) {
      throw new DomainError('INVALID_TOKEN', 'The session behind this token has ended. Sign in again.');
    }
    return {
      userId: claims.userId,
      role: row.role,
      sessionId: claims.sessionId,
      actsForProviderId:
        row.role === 'provider' ? claims.userId : row.role === 'staff' ? row.provider_id : null,
      emailVerified: row.email_verified_at !== null,
    };
  }

  async me(principal: Principal): Promise<User> {
    const row = await this.d.users.byId(principal.userId);
    if (!row) throw new DomainError('INVALID_TOKEN', 'The account no longer exists.');
    return toUser(row);
  }

  private async startSession(user: UserRow, meta: RequestMeta, now: Date, trx: Kysely<InventoryDatabase>) {
    const sessionId = newId();
    const expiresAt = new Date(now.getTime() + this.d.refreshTokenTtlSeconds * 1000);
    await this.d.sessions.insertSession(
      {
        id: sessionId,
        user_id: user.id,
        created_at: toDbTime(now),
        last_used_at: toDbTime(now),
        expires_at: toDbTime(expiresAt),
        revoked_at: null,
        revoked_reason: null,
        ip: meta.ip,
        user_agent: meta.userAgent?.slice(0, 512) ?? null,
      },
      trx,
    );
    return this.issueTokens(user, sessionId, expiresAt, now, trx);
  }

  /** A new access token plus the next refresh token of the session (which never outlives it). */
  private async issueTokens(
    user: UserRow,
    sessionId: string,
    sessionExpiresAt: Date,
    now: Date,
    trx: Kysely<InventoryDatabase>,
  ): Promise<TokenPair> {
    const refreshToken = newRefreshToken();
    await this.d.sessions.insertRefreshToken(
      {
        id: newId(),
        session_id: sessionId,
        token_hash: hashRefreshToken(refreshToken),
        created_at: toDbTime(now),
        expires_at: toDbTime(sessionExpiresAt),
        used_at: null,
      },
      trx,
    );
    const accessToken = await this.d.tokens.sign({ userId: user.id, sessionId, role: user.role }, now);
    return {
      accessToken,
      tokenType: 'Bearer',
      expiresIn: this.d.tokens.ttlSeconds,
      refreshToken,
      refreshExpiresAt: sessionExpiresAt.toISOString(),
      sessionId,
    };
  }
}
