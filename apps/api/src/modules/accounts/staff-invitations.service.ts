import type {
  AcceptStaffInvitationBody,
  StaffInvitation,
  StaffInvitationPreview,
  StaffOverview,
} from '@carebook/contracts';
import type { Kysely } from 'kysely';
import type { InventoryDatabase } from '../../db/schema';
import { DomainError, notFound } from '../../domain/errors';
import { newId } from '../../lib/ids';
import type { Principal, RequestMeta } from '../../lib/request-meta';
import { type Clock, fromDbTime, toDbTime } from '../../ports/clock';
import type { AuditService } from '../audit/audit.service';
import type { PasswordHasher } from '../auth/passwords';
import { assertCan, assertEmailVerified } from '../auth/permissions';
import { hashRefreshToken, newRefreshToken, normaliseEmail } from '../auth/refresh-tokens';
import type { SessionsRepository } from '../auth/sessions.repository';
import { accountLink, invalidLink } from './account-links';
import { type AccountMailSender, accountMail } from './account-mail';
import type { StaffInvitationRow, StaffInvitationsRepository } from './staff-invitations.repository';
import { newAccountRow, type UsersRepository } from './users.repository';

export const STAFF_INVITATION_DAYS = 7;

export interface StaffInvitationsDeps {
  db: Kysely<InventoryDatabase>;
  repo: StaffInvitationsRepository;
  users: UsersRepository;
  sessions: SessionsRepository;
  audit: AuditService;
  hasher: PasswordHasher;
  clock: Clock;
  mail: AccountMailSender;
  webUrl: string;
}

/**
 * A provider invites staff by e-mail; the invitee accepts through the single-use link, with a new
 * account or the one the address already has. The provider's answer is the same either way (no
 * enumeration); only the holder of the link — who controls the address — learns whether it has
 * an account. Staff act for that one provider within the staff permissions; the provider can
 * revoke an invitation or remove a staff member (who becomes a patient account, signed out).
 */
export class StaffInvitationsService {
  constructor(private readonly d: StaffInvitationsDeps) {}

  async invite(principal: Principal, rawEmail: string, meta: RequestMeta): Promise<StaffInvitation> {
    assertCan(principal.role, 'staff.manage');
    assertEmailVerified(principal);
    const provider = await this.d.users.byId(principal.userId);
    if (!provider) throw notFound('The provider account');
    const email = normaliseEmail(rawEmail);
    const now = this.d.clock.now();
    const token = newRefreshToken();
    const row: StaffInvitationRow = {
      id: newId(),
      provider_id: principal.userId,
      email,
      token_hash: hashRefreshToken(token),
      created_at: toDbTime(now),
      expires_at: toDbTime(new Date(now.getTime() + STAFF_INVITATION_DAYS * 86_400_000)),
      accepted_at: null,
      accepted_user_id: null,
      revoked_at: null,
    };
    await this.d.db.transaction().execute(async (trx) => {
      await this.d.repo.insert(row, trx);
      await this.d.audit.record(
        {
          action: 'staff.invited',
          actor: principal,
          target: { type: 'email', id: email },
          details: { invitationId: row.id },
        },
        meta,
        trx,
      );
    });
    await this.d.mail.now(
      accountMail.staffInvitation(
        email,
        provider.display_name,
        accountLink(this.d.webUrl, 'accept-invitation', token),
        STAFF_INVITATION_DAYS,
        `account:staff-invitation:${row.id}`,
      ),
    );
    return this.toInvitation(row, now);
  }

  async overview(principal: Principal): Promise<StaffOverview> {
    assertCan(principal.role, 'staff.manage');
    const now = this.d.clock.now();
    const [staff, open] = await Promise.all([
      this.d.repo.staffOf(principal.userId),
      this.d.repo.open(principal.userId),
    ]);
    return {
      staff: staff.map((s) => ({ id: s.id, displayName: s.display_name, email: s.email })),
      invitations: open.map((r) => this.toInvitation(r, now)),
    };
  }

  async revokeInvitation(principal: Principal, id: string, meta: RequestMeta): Promise<void> {
    assertCan(principal.role, 'staff.manage');
    const at = toDbTime(this.d.clock.now());
    const done = await this.d.db.transaction().execute(async (trx) => {
      if (!(await this.d.repo.revoke(id, principal.userId, at, trx))) return false;
      await this.d.audit.record(
        { action: 'staff.invitation_revoked', actor: principal, target: { type: 'staff_invitation', id } },
        meta,
        trx,
      );
      return true;
    });
    if (!done) throw notFound('The open invitation');
  }

  /** Removes a staff member of yours: back to a patient account, every session ended. */
  async removeStaff(principal: Principal, userId: string, meta: RequestMeta): Promise<void> {
    assertCan(principal.role, 'staff.manage');
    const user = await this.d.users.byId(userId);
    if (user?.role !== 'staff' || user.provider_id !== principal.userId) throw notFound('The staff member');
    const at = toDbTime(this.d.clock.now());
    await this.d.db.transaction().execute(async (trx) => {
      await this.d.users.update(userId, { role: 'patient', provider_id: null, updated_at: at }, trx);
      await this.d.sessions.revokeAllFor(userId, at, 'staff_removed', null, trx);
      await this.d.audit.record(
        { action: 'staff.removed', actor: principal, target: { type: 'user', id: userId } },
        meta,
        trx,
      );
    });
  }

  async preview(token: string): Promise<StaffInvitationPreview> {
    const row = await this.d.repo.live(hashRefreshToken(token), toDbTime(this.d.clock.now()));
    if (!row) throw invalidLink();
    const [provider, existing] = await Promise.all([
      this.d.users.byId(row.provider_id),
      this.d.users.byEmail(row.email),
    ]);
    return {
      email: row.email,
      providerName: provider?.display_name ?? 'A Carebook provider',
      accountExists: !!existing,
      expiresAt: fromDbTime(row.expires_at).toISOString(),
    };
  }

  /** Joins the provider's staff with a new account, or with the address's existing one (its password). */
  async accept(body: AcceptStaffInvitationBody, meta: RequestMeta): Promise<{ email: string }> {
    const now = this.d.clock.now();
    const nowDb = toDbTime(now);
    const row = await this.d.repo.live(hashRefreshToken(body.token), nowDb);
    if (!row) throw invalidLink();
    const existing = await this.d.users.byEmail(row.email);
    if (existing) {
      if (!(await this.d.hasher.verify(existing.password_hash, body.password)))
        throw new DomainError('INVALID_CREDENTIALS', 'The password is not correct for this account.');
      if (existing.role !== 'patient' && !(existing.role === 'staff' && existing.provider_id === null))
        throw new DomainError(
          'CONFLICT',
          `This address belongs to a ${existing.role} account, which cannot become staff. Ask for an invitation to another address.`,
        );
    } else {
      const errors = [];
      if (!body.displayName?.trim())
        errors.push({ path: '/body/displayName', message: 'is required for a new account' });
      if (body.password.length < 10)
        errors.push({ path: '/body/password', message: 'must have at least 10 characters' });
      if (errors.length)
        throw new DomainError(
          'VALIDATION_FAILED',
          'Give your name and a password of at least 10 characters.',
          { errors },
        );
    }
    const passwordHash = existing ? null : await this.d.hasher.hash(body.password);
    await this.d.db.transaction().execute(async (trx) => {
      let userId: string;
      if (existing) {
        userId = existing.id;
        await this.d.users.update(
          userId,
          {
            role: 'staff',
            provider_id: row.provider_id,
            email_verified_at: existing.email_verified_at ?? nowDb,
            updated_at: nowDb,
          },
          trx,
        );
        // A role change ends the sessions that carried the old role.
        await this.d.sessions.revokeAllFor(userId, nowDb, 'role_changed', null, trx);
      } else {
        const user = newAccountRow({
          email: row.email,
          passwordHash: passwordHash as string,
          displayName: (body.displayName as string).trim(),
          role: 'staff',
          verified: true,
          emailVerified: true,
          at: now,
        });
        user.provider_id = row.provider_id;
        userId = user.id;
        await this.d.users.insert(user, trx);
      }
      if (!(await this.d.repo.accept(row.id, userId, nowDb, trx))) throw invalidLink();
      await this.d.audit.record(
        {
          action: 'staff.joined',
          actor: { userId, role: 'staff' },
          target: { type: 'user', id: userId },
          details: { providerId: row.provider_id, invitationId: row.id, existingAccount: !!existing },
        },
        meta,
        trx,
      );
    });
    return { email: row.email };
  }

  private toInvitation(row: StaffInvitationRow, now: Date): StaffInvitation {
    const status = row.accepted_at
      ? 'accepted'
      : row.revoked_at
        ? 'revoked'
        : row.expires_at <= toDbTime(now)
          ? 'expired'
          : 'pending';
    return {
      id: row.id,
      email: row.email,
      status,
      createdAt: fromDbTime(row.created_at).toISOString(),
      expiresAt: fromDbTime(row.expires_at).toISOString(),
    };
  }
}
