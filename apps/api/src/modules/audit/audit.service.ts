import type { Kysely } from 'kysely';
import type { InventoryDatabase } from '../../db/schema';
import { newId } from '../../lib/ids';
import type { Principal, RequestMeta } from '../../lib/request-meta';
import { type Clock, toDbTime } from '../../ports/clock';
import type { AuditRepository, NewAuditRow } from './audit.repository';

export type AuditAction =
  | 'auth.login_succeeded'
  | 'auth.login_failed'
  | 'auth.logout'
  | 'auth.refresh_token_reused'
  | 'auth.password_changed'
  | 'auth.session_revoked'
  | 'auth.registered'
  | 'auth.register_existing_email'
  | 'auth.email_verification_sent'
  | 'auth.email_verified'
  | 'auth.password_reset_requested'
  | 'auth.password_reset'
  | 'staff.invited'
  | 'staff.invitation_revoked'
  | 'staff.joined'
  | 'staff.removed'
  | 'admin.bootstrapped'
  | 'admin.role_changed'
  | 'admin.user_suspended'
  | 'admin.user_unsuspended'
  | 'admin.provider_verified'
  | 'admin.listing_suspended'
  | 'admin.listing_unsuspended'
  | 'fhir.read'
  | 'calendar_feed.read'
  | 'calendar_feed.rotated'
  | 'admin.review_hidden'
  | 'payment.amount_mismatch'
  | AccessAction;

/** Reads (and exports or erasures) of personal data: who looked at whose data, and why. */
export type AccessAction =
  | 'access.users_listed'
  | 'access.user_viewed'
  | 'access.bookings_listed'
  | 'access.booking_viewed'
  | 'access.document_downloaded'
  | 'access.audit_viewed'
  | 'access.data_exported'
  | 'access.data_erased';

/** Why the data was touched; shown to the patient in their access log. */
export type AccessPurpose =
  | 'care'
  | 'scheduling'
  | 'administration'
  | 'support'
  | 'security_review'
  | 'credential_review'
  | 'owner_access'
  | 'patient_request';

export interface AuditEntry {
  action: AuditAction;
  actor?: Pick<Principal, 'userId' | 'role'> | null;
  target?: { type: string; id: string } | null;
  /** Whose personal data this touched (the data subject), when it is a person's. */
  patientId?: string | null;
  purpose?: AccessPurpose | null;
  details?: Record<string, unknown>;
}

export interface AccessEntry {
  action: AccessAction;
  actor: Pick<Principal, 'userId' | 'role'>;
  /** The data subject; null for data that is no person's (a provider's licence document). */
  patientId: string | null;
  resource: { type: string; id: string };
  purpose: AccessPurpose;
  details?: Record<string, unknown>;
}

/**
 * Writes the audit trail, a hash chain (audit-chain.ts); pass a transaction to make the entry
 * part of the change it records.
 */
export class AuditService {
  constructor(
    private readonly repo: AuditRepository,
    private readonly clock: Clock,
  ) {}

  async record(entry: AuditEntry, meta: RequestMeta, db?: Kysely<InventoryDatabase>): Promise<void> {
    await this.repo.append(this.row(entry, meta), db);
  }

  /**
   * Records a read of personal data. Callers: every route that shows one person's data to someone
   * else (staff, providers, admins). A patient reading their own data is not recorded.
   */
  async recordAccess(entry: AccessEntry, meta: RequestMeta, db?: Kysely<InventoryDatabase>): Promise<void> {
    await this.recordAccessMany([entry], meta, db);
  }

  /** One row per data subject (so each patient's log shows it), appended as one chain segment. */
  async recordAccessMany(
    entries: readonly AccessEntry[],
    meta: RequestMeta,
    db?: Kysely<InventoryDatabase>,
  ): Promise<void> {
    const rows = entries
      .filter((e) => e.patientId === null || e.patientId !== e.actor.userId)
      .map((e) =>
        this.row(
          {
            action: e.action,
            actor: e.actor,
            target: e.resource,
            patientId: e.patientId,
            purpose: e.purpose,
            ...(e.details ? { details: e.details } : {}),
          },
          meta,
        ),
      );
    await this.repo.append(rows, db);
  }

  private row(entry: AuditEntry, meta: RequestMeta): NewAuditRow {
    return {
      id: newId(),
      at: toDbTime(this.clock.now()),
      actor_id: entry.actor?.userId ?? null,
      actor_role: entry.actor?.role ?? null,
      action: entry.action,
      target_type: entry.target?.type ?? null,
      target_id: entry.target?.id ?? null,
      patient_id: entry.patientId ?? null,
      purpose: entry.purpose ?? null,
      ip: meta.ip,
      user_agent: meta.userAgent?.slice(0, 512) ?? null,
      request_id: meta.requestId,
      details: JSON.stringify(entry.details ?? {}),
    };
  }
}
