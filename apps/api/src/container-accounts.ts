import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Config } from './config/config';
import type { InventoryDatabase } from './db/schema';
import { AccountMailSender } from './modules/accounts/account-mail';
import { AccountTokensRepository } from './modules/accounts/account-tokens.repository';
import { PasswordResetService } from './modules/accounts/password-reset.service';
import { ProfileRepository } from './modules/accounts/profile.repository';
import { ProfileService } from './modules/accounts/profile.service';
import { SignUpService } from './modules/accounts/sign-up.service';
import { StaffInvitationsRepository } from './modules/accounts/staff-invitations.repository';
import { StaffInvitationsService } from './modules/accounts/staff-invitations.service';
import type { UsersRepository } from './modules/accounts/users.repository';
import type { AuditRepository } from './modules/audit/audit.repository';
import type { AuditService } from './modules/audit/audit.service';
import type { PasswordHasher } from './modules/auth/passwords';
import { RequestThrottle } from './modules/auth/request-throttle';
import type { SessionsRepository } from './modules/auth/sessions.repository';
import type { PrivacyService } from './modules/privacy/privacy.service';
import type { Clock } from './ports/clock';
import type { Mailer } from './ports/mailer';

/** Sign-up with e-mail verification and password reset (modules/accounts, docs/accounts.md). */
export function createAccountLinks(
  config: Config,
  d: {
    db: Kysely<InventoryDatabase>;
    users: UsersRepository;
    sessions: SessionsRepository;
    auditRepo: AuditRepository;
    audit: AuditService;
    hasher: PasswordHasher;
    clock: Clock;
    mailer: Mailer;
    log: FastifyBaseLogger;
    privacy: PrivacyService;
  },
) {
  const a = config.auth;
  const limits = {
    perTarget: a.accountMailLimitPerAddress,
    perIp: a.accountMailLimitPerIp,
    windowSeconds: a.accountMailWindowSeconds,
  };
  const tokens = new AccountTokensRepository(d.db);
  const accountMail = new AccountMailSender(d.mailer, d.log);
  const webUrl = config.publicUrl;
  const signUp = new SignUpService({
    ...d,
    tokens,
    mail: accountMail,
    resendThrottle: new RequestThrottle(d.auditRepo, d.clock, 'auth.email_verification_sent', limits),
    existingNoticeLimit: {
      perAddress: a.accountMailLimitPerAddress,
      windowSeconds: a.accountMailWindowSeconds,
    },
    webUrl,
    verificationTtlHours: a.emailVerificationTtlHours,
  });
  const passwordReset = new PasswordResetService({
    ...d,
    tokens,
    mail: accountMail,
    throttle: new RequestThrottle(d.auditRepo, d.clock, 'auth.password_reset_requested', limits),
    addressIndex: d.privacy.blindIndex('reset-email'),
    webUrl,
    ttlMinutes: a.passwordResetTtlMinutes,
  });
  const profile = new ProfileService(new ProfileRepository(d.db), d.privacy, d.clock);
  const staffInvitations = new StaffInvitationsService({
    ...d,
    repo: new StaffInvitationsRepository(d.db),
    mail: accountMail,
    webUrl,
  });
  return { accountTokens: tokens, accountMail, signUp, passwordReset, profile, staffInvitations };
}
