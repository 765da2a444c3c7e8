import type { EmailVerified, RegisterAccepted, RegisterBody } from '@carebook/contracts';
import type { Kysely } from 'kysely';
import type { InventoryDatabase } from '../../db/schema';
import { DomainError } from '../../domain/errors';
import { isUniqueViolation } from '../../lib/db-errors';
import type { Principal, RequestMeta } from '../../lib/request-meta';
import { type Clock, fromDbTime, toDbTime } from '../../ports/clock';
import type { AuditRepository } from '../audit/audit.repository';
import type { AuditService } from '../audit/audit.service';
import type { PasswordHasher } from '../auth/passwords';
import { normaliseEmail } from '../auth/refresh-tokens';
import type { RequestThrottle } from '../auth/request-throttle';
import { accountLink, hashAccountToken, invalidLink, issueAccountToken } from './account-links';
import { type AccountMailSender, accountMail } from './account-mail';
import type { AccountTokensRepository } from './account-tokens.repository';
import { newAccountRow, type UserRow, type UsersRepository } from './users.repository';

export interface SignUpDeps {
  db: Kysely<InventoryDatabase>;
  users: UsersRepository;
  tokens: AccountTokensRepository;
  audit: AuditService;
  auditRepo: AuditRepository;
  hasher: PasswordHasher;
  clock: Clock;
  mail: AccountMailSender;
  /** Counts `auth.email_verification_sent` per user and IP (resends). */
  resendThrottle: RequestThrottle;
  /** Counts `auth.register_existing_email` per address: past it, no more "already registered" mails. */
  existingNoticeLimit: { perAddress: number; windowSeconds: number };
  webUrl: string;
  verificationTtlHours: number;
}

/** The same answer for a new and an already registered address: nothing tells them apart. */
export const REGISTER_ACCEPTED: RegisterAccepted = {
  status: 'verification_sent',
  message: 'Check your e-mail: we have sent a message to finish signing up.',
};

/**
 * Sign-up without account enumeration. A new address gets an account and a verification link; an
 * address that already has one gets a note to its owner ("sign in or reset your password"). Both
 * hash the password and send one e-mail, and the response is the same. The new account signs in
 * once its address is confirmed (before, the right password answers EMAIL_NOT_CONFIRMED).
 */
export class SignUpService {
  constructor(private readonly d: SignUpDeps) {}

  async register(body: RegisterBody, meta: RequestMeta): Promise<RegisterAccepted> {
    const email = normaliseEmail(body.email);
    const role = body.role ?? 'patient';
    const passwordHash = await this.d.hasher.hash(body.password);
    const existing = await this.d.users.byEmail(email);
    if (existing) {
      await this.noticeExisting(existing, meta);
      return REGISTER_ACCEPTED;
    }
    const now = this.d.clock.now();
    const row = newAccountRow({
      email,
      passwordHash,
      displayName: body.displayName.trim(),
      role,
      verified: role !== 'provider',
      emailVerified: false,
      at: now,
    });
    let link: { id: string; token: string };
    try {
      link = await this.d.db.transaction().execute(async (trx) => {
        await this.d.users.insert(row, trx);
        await this.d.audit.record(
          {
            action: 'auth.registered',
            actor: { userId: row.id, role },
            target: { type: 'user', id: row.id },
          },
          meta,
          trx,
        );
        return this.issue(row, now, meta, trx);
      });
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      // A concurrent sign-up with the same address won: answer as for an existing one.
      const winner = await this.d.users.byEmail(email);
      if (winner) await this.noticeExisting(winner, meta);
      return REGISTER_ACCEPTED;
    }
    await this.d.mail.now(this.verificationMail(row, link));
    return REGISTER_ACCEPTED;
  }

  /**
   * Confirms the address behind a verification link (single use). Signing in stays with the
   * password. Other open verification links of the account are left alone (they only confirm
   * what is confirmed): retiring them took range locks that deadlocked concurrent sign-ups on
   * MariaDB.
   */
  async verify(token: string, meta: RequestMeta): Promise<EmailVerified> {
    const now = this.d.clock.now();
    const nowDb = toDbTime(now);
    const found = await this.d.tokens.live(hashAccountToken(token), 'email_verification', nowDb);
    if (!found) throw invalidLink();
    return this.d.db.transaction().execute(async (trx) => {
      if (!(await this.d.tokens.consume(found.id, nowDb, trx))) throw invalidLink();
      const user = await this.d.users.byId(found.user_id, trx);
      if (!user) throw invalidLink();
      const verifiedAt = user.email_verified_at ?? nowDb;
      if (!user.email_verified_at)
        await this.d.users.update(user.id, { email_verified_at: verifiedAt, updated_at: nowDb }, trx);
      await this.d.audit.record(
        {
          action: 'auth.email_verified',
          actor: { userId: user.id, role: user.role },
          target: { type: 'user', id: user.id },
        },
        meta,
        trx,
      );
      return { email: user.email, emailVerifiedAt: fromDbTime(verifiedAt).toISOString() };
    });
  }

  /** Sends a fresh verification link to the signed-in user (nothing when already verified). */
  async resend(principal: Principal, meta: RequestMeta): Promise<void> {
    const user = await this.d.users.byId(principal.userId);
    if (!user || user.email_verified_at) return;
    await this.d.resendThrottle.check(user.id, meta.ip);
    const now = this.d.clock.now();
    const link = await this.d.db.transaction().execute((trx) => this.issue(user, now, meta, trx));
    await this.d.mail.now(this.verificationMail(user, link));
  }

  /**
   * At a sign-in with the right password to an unconfirmed address: a fresh verification link,
   * unless the resend limit for the account or IP is reached. True when a mail went out.
   */
  async resendOnSignIn(user: UserRow, meta: RequestMeta): Promise<boolean> {
    try {
      await this.d.resendThrottle.check(user.id, meta.ip);
    } catch (err) {
      if (err instanceof DomainError && err.code === 'TOO_MANY_REQUESTS') return false;
      throw err;
    }
    const now = this.d.clock.now();
    const link = await this.d.db.transaction().execute((trx) => this.issue(user, now, meta, trx));
    await this.d.mail.now(this.verificationMail(user, link));
    return true;
  }

  private async issue(user: UserRow, now: Date, meta: RequestMeta, trx: Kysely<InventoryDatabase>) {
    const link = await issueAccountToken(
      this.d.tokens,
      user.id,
      'email_verification',
      now,
      this.d.verificationTtlHours * 3_600_000,
      trx,
    );
    await this.d.audit.record(
      { action: 'auth.email_verification_sent', target: { type: 'user', id: user.id } },
      meta,
      trx,
    );
    return link;
  }

  private verificationMail(user: UserRow, link: { id: string; token: string }) {
    return accountMail.verify(
      user.email,
      user.display_name,
      accountLink(this.d.webUrl, 'verify-email', link.token),
      this.d.verificationTtlHours,
      `account:verify:${link.id}`,
    );
  }

  /** Tells the owner someone tried their address; a few times per window at most (no mail bombing). */
  private async noticeExisting(user: UserRow, meta: RequestMeta): Promise<void> {
    const { perAddress, windowSeconds } = this.d.existingNoticeLimit;
    const now = this.d.clock.now();
    const since = toDbTime(new Date(now.getTime() - windowSeconds * 1000));
    const recent = await this.d.auditRepo.recentAt(
      'auth.register_existing_email',
      { targetId: user.id },
      since,
      perAddress,
    );
    const id = `${user.id}:${toDbTime(now)}`;
    await this.d.audit.record(
      {
        action: 'auth.register_existing_email',
        target: { type: 'user', id: user.id },
        details: { noticeSent: recent.length < perAddress },
      },
      meta,
    );
    if (recent.length >= perAddress) return;
    const web = this.d.webUrl.replace(/\/$/, '');
    await this.d.mail.now(
      accountMail.alreadyRegistered(
        user.email,
        user.display_name,
        `${web}/sign-in`,
        `${web}/forgot-password`,
        `account:existing:${id}`,
      ),
    );
  }
}
