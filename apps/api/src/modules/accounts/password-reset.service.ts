import type { PasswordResetAccepted } from '@carebook/contracts';
import type { Kysely } from 'kysely';
import type { InventoryDatabase } from '../../db/schema';
import type { RequestMeta } from '../../lib/request-meta';
import { type Clock, toDbTime } from '../../ports/clock';
import type { AuditService } from '../audit/audit.service';
import type { PasswordHasher } from '../auth/passwords';
import { normaliseEmail } from '../auth/refresh-tokens';
import type { RequestThrottle } from '../auth/request-throttle';
import type { SessionsRepository } from '../auth/sessions.repository';
import type { BlindIndex } from '../privacy/blind-index';
import { accountLink, hashAccountToken, invalidLink, issueAccountToken } from './account-links';
import { type AccountMailSender, accountMail } from './account-mail';
import type { AccountTokensRepository } from './account-tokens.repository';
import type { UsersRepository } from './users.repository';

export interface PasswordResetDeps {
  db: Kysely<InventoryDatabase>;
  users: UsersRepository;
  sessions: SessionsRepository;
  tokens: AccountTokensRepository;
  audit: AuditService;
  hasher: PasswordHasher;
  clock: Clock;
  mail: AccountMailSender;
  /** Counts `auth.password_reset_requested` per address and per IP. */
  throttle: RequestThrottle;
  /** Keyed hashes of the addresses asked for (privacy/blind-index.ts). */
  addressIndex: Pick<BlindIndex, 'candidates'>;
  webUrl: string;
  ttlMinutes: number;
}

/** The same answer whether or not the address has an account. */
export const RESET_ACCEPTED: PasswordResetAccepted = {
  status: 'reset_link_sent',
  message: 'If an account uses this address, we have sent it a link to choose a new password.',
};

/**
 * Password reset by e-mail. The request does the same work for every address (throttle check,
 * one audit row) and the e-mail goes out after the response, so neither the answer nor its
 * timing says whether the address has an account. The link is single use and short-lived;
 * following it sets the new password, voids the other reset links, confirms the address (the
 * owner just proved it), ends every session (their refresh tokens die with them), is audited,
 * and tells the owner by e-mail.
 */
export class PasswordResetService {
  constructor(private readonly d: PasswordResetDeps) {}

  async request(rawEmail: string, meta: RequestMeta): Promise<PasswordResetAccepted> {
    const email = normaliseEmail(rawEmail);
    // The trail names the address by its keyed hash (never in clear), and the account if any.
    const hashed = this.d.addressIndex.candidates(email);
    await this.d.throttle.check(hashed, meta.ip);
    const user = await this.d.users.byEmail(email);
    const now = this.d.clock.now();
    const link = await this.d.db.transaction().execute(async (trx) => {
      await this.d.audit.record(
        {
          action: 'auth.password_reset_requested',
          target: { type: 'email_hmac', id: hashed[0] as string },
          details: user ? { userId: user.id } : {},
        },
        meta,
        trx,
      );
      if (!user) return null;
      return issueAccountToken(
        this.d.tokens,
        user.id,
        'password_reset',
        now,
        this.d.ttlMinutes * 60_000,
        trx,
      );
    });
    if (user && link)
      this.d.mail.later(
        accountMail.reset(
          user.email,
          user.display_name,
          accountLink(this.d.webUrl, 'reset-password', link.token),
          this.d.ttlMinutes,
          `account:reset:${link.id}`,
        ),
      );
    return RESET_ACCEPTED;
  }

  /** Sets the new password from a reset link; returns how many sessions were ended. */
  async confirm(token: string, newPassword: string, meta: RequestMeta): Promise<number> {
    const found = await this.d.tokens.live(
      hashAccountToken(token),
      'password_reset',
      toDbTime(this.d.clock.now()),
    );
    if (!found) throw invalidLink();
    const passwordHash = await this.d.hasher.hash(newPassword);
    const now = this.d.clock.now();
    const nowDb = toDbTime(now);
    const { user, revoked } = await this.d.db.transaction().execute(async (trx) => {
      if (!(await this.d.tokens.consume(found.id, nowDb, trx))) throw invalidLink();
      const user = await this.d.users.byId(found.user_id, trx);
      if (!user) throw invalidLink();
      await this.d.users.update(
        user.id,
        {
          password_hash: passwordHash,
          email_verified_at: user.email_verified_at ?? nowDb,
          updated_at: nowDb,
        },
        trx,
      );
      const revoked = await this.d.sessions.revokeAllFor(user.id, nowDb, 'password_reset', null, trx);
      await this.d.audit.record(
        {
          action: 'auth.password_reset',
          actor: { userId: user.id, role: user.role },
          target: { type: 'user', id: user.id },
          details: { sessionsRevoked: revoked },
        },
        meta,
        trx,
      );
      // After the audit row (which serialises on the chain head): its range lock must not wait
      // for a sign-up that holds the head while it inserts a token (a deadlock on MariaDB).
      await this.d.tokens.retireAll(user.id, 'password_reset', nowDb, trx);
      return { user, revoked };
    });
    await this.d.mail.now(
      accountMail.passwordChanged(
        user.email,
        user.display_name,
        nowDb.slice(0, 16).replace('T', ' '),
        `${this.d.webUrl.replace(/\/$/, '')}/forgot-password`,
        `account:password-changed:${found.id}`,
      ),
    );
    return revoked;
  }
}
