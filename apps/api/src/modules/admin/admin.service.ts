import type {
  AdminUserQuery,
  AuditChainReport,
  AuditEvent,
  AuditQuery,
  ChangeRoleBody,
  User,
} from '@carebook/contracts';
import type { Kysely } from 'kysely';
import type { InventoryDatabase } from '../../db/schema';
import { DomainError, notFound } from '../../domain/errors';
import { appendToOutbox } from '../../lib/outbox';
import type { Paged } from '../../lib/paginate';
import type { Principal, RequestMeta } from '../../lib/request-meta';
import { type Clock, toDbTime } from '../../ports/clock';
import { toUser, type UsersRepository } from '../accounts/users.repository';
import { type AuditRepository, signInTarget, toAuditEvent } from '../audit/audit.repository';
import type { AuditService } from '../audit/audit.service';
import { verifyAuditChain } from '../audit/audit-verify';
import { assertCan } from '../auth/permissions';
import type { SessionsRepository } from '../auth/sessions.repository';

export type { Paged } from '../../lib/paginate';

export class AdminService {
  constructor(
    private readonly d: {
      db: Kysely<InventoryDatabase>;
      users: UsersRepository;
      sessions: SessionsRepository;
      auditRepo: AuditRepository;
      audit: AuditService;
      clock: Clock;
    },
  ) {}

  /** Lists accounts; every person shown is recorded in the access audit (their log shows it). */
  async listUsers(principal: Principal, query: AdminUserQuery, meta: RequestMeta): Promise<Paged<User>> {
    assertCan(principal.role, 'admin.users.read');
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const { rows, total } = await this.d.users.page(query, page, pageSize);
    await this.d.audit.recordAccessMany(
      rows.map((row) => ({
        action: 'access.users_listed' as const,
        actor: principal,
        patientId: row.id,
        resource: { type: 'user', id: row.id },
        purpose: 'administration' as const,
        details: { query: { ...query, page, pageSize } },
      })),
      meta,
    );
    return { items: rows.map(toUser), page, pageSize, total };
  }

  async changeRole(
    principal: Principal,
    userId: string,
    body: ChangeRoleBody,
    meta: RequestMeta,
  ): Promise<User> {
    assertCan(principal.role, 'admin.users.change_role');
    if (userId === principal.userId) {
      throw new DomainError('CONFLICT', 'You cannot change your own role; ask another admin.');
    }
    const providerId = body.role === 'staff' ? (body.providerId ?? null) : null;
    if (body.role === 'staff') {
      if (!providerId) {
        throw new DomainError('VALIDATION_FAILED', 'Staff must act for a provider: give providerId.', {
          errors: [{ path: '/body/providerId', message: 'is required when role is staff' }],
        });
      }
      const provider = await this.d.users.byId(providerId);
      if (provider?.role !== 'provider') {
        throw new DomainError('VALIDATION_FAILED', 'providerId must be the id of a provider account.', {
          errors: [{ path: '/body/providerId', message: 'is not a provider account' }],
        });
      }
    }
    return this.d.db.transaction().execute(async (trx) => {
      const user = await this.d.users.byId(userId, trx);
      if (!user) throw notFound('The user');
      const changes = {
        role: body.role,
        provider_id: providerId,
        // An admin making someone a provider vouches for them; other roles need no verification.
        verified: 1,
        updated_at: toDbTime(this.d.clock.now()),
      };
      await this.d.users.update(userId, changes, trx);
      // A new role is a new set of rights: every session (and its refresh tokens, open sockets)
      // ends, and the user signs in again under the new role.
      const revoked =
        user.role === body.role && user.provider_id === providerId
          ? 0
          : await this.d.sessions.revokeAllFor(userId, changes.updated_at, 'role_changed', null, trx);
      await this.d.audit.record(
        {
          action: 'admin.role_changed',
          actor: principal,
          target: { type: 'user', id: userId },
          details: { from: user.role, to: body.role, providerId, sessionsRevoked: revoked },
        },
        meta,
        trx,
      );
      return toUser({ ...user, ...changes });
    });
  }

  async setSuspended(
    principal: Principal,
    userId: string,
    suspended: boolean,
    reason: string,
    meta: RequestMeta,
  ): Promise<User> {
    assertCan(principal.role, 'admin.users.suspend');
    if (userId === principal.userId)
      throw new DomainError('CONFLICT', 'You cannot suspend your own account.');
    return this.d.db.transaction().execute(async (trx) => {
      const user = await this.d.users.byId(userId, trx);
      if (!user) throw notFound('The user');
      const now = toDbTime(this.d.clock.now());
      const changes = {
        status: suspended ? ('suspended' as const) : ('active' as const),
        suspended_reason: suspended ? reason : null,
        updated_at: now,
      };
      await this.d.users.update(userId, changes, trx);
      // Access tokens stop working at once anyway (status is read per request); revoking the
      // sessions also makes their refresh tokens useless after an unsuspension.
      const revoked = suspended ? await this.d.sessions.revokeAllFor(userId, now, 'suspended', null, trx) : 0;
      await this.d.audit.record(
        {
          action: suspended ? 'admin.user_suspended' : 'admin.user_unsuspended',
          actor: principal,
          target: { type: 'user', id: userId },
          details: { reason, sessionsRevoked: revoked, previousStatus: user.status },
        },
        meta,
        trx,
      );
      return toUser({ ...user, ...changes });
    });
  }

  async verifyProvider(principal: Principal, userId: string, meta: RequestMeta): Promise<User> {
    assertCan(principal.role, 'admin.users.verify');
    return this.d.db.transaction().execute(async (trx) => {
      const user = await this.d.users.byId(userId, trx);
      if (!user) throw notFound('The user');
      if (user.role !== 'provider') throw new DomainError('CONFLICT', 'Only provider accounts are verified.');
      const changes = { verified: 1, updated_at: toDbTime(this.d.clock.now()) };
      await this.d.users.update(userId, changes, trx);
      // The provider's open dashboard hears it over the WebSocket and refetches the account.
      await appendToOutbox(trx, {
        type: 'account.changed',
        aggregateType: 'account',
        aggregateId: userId,
        occurredAt: this.d.clock.now().toISOString(),
        payload: { userId, change: 'provider_verified' },
      });
      await this.d.audit.record(
        {
          action: 'admin.provider_verified',
          actor: principal,
          target: { type: 'user', id: userId },
          details: { wasVerified: user.verified === 1 },
        },
        meta,
        trx,
      );
      return toUser({ ...user, ...changes });
    });
  }

  async auditEvents(principal: Principal, query: AuditQuery): Promise<Paged<AuditEvent>> {
    assertCan(principal.role, 'audit.read');
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const filter = {
      ...query,
      from: query.from ? toDbTime(new Date(query.from)) : undefined,
      to: query.to ? toDbTime(new Date(query.to)) : undefined,
    };
    const { rows, total } = await this.d.auditRepo.page(filter, page, pageSize);
    const signIns = rows.map(signInTarget);
    const names = await this.d.auditRepo.namesOf([
      ...rows.flatMap((r) => [r.actor_id, r.patient_id].filter((id): id is string => id !== null)),
      ...signIns.flatMap((t) => (t && 'userId' in t && t.userId ? [t.userId] : [])),
    ]);
    const legacy = signIns.flatMap((t) => (t && 'email' in t ? [t.email] : []));
    for (const [email, name] of await this.d.auditRepo.namesByEmail(legacy))
      names.set(`email:${email}`, name);
    return { items: rows.map((r) => toAuditEvent(r, names)), page, pageSize, total };
  }

  /** Recomputes the audit hash chain and names the first broken link. */
  async verifyAuditChain(principal: Principal): Promise<AuditChainReport> {
    assertCan(principal.role, 'audit.read');
    return verifyAuditChain(this.d.auditRepo);
  }
}
