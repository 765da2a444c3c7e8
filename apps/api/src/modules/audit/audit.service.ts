import type { Kysely } from 'kysely';
import type { InventoryDatabase } from '../../db/schema';
import { newId } from '../../lib/ids';
import type { Principal, RequestMeta } from '../../lib/request-meta';
import { type Clock, toDbTime } from '../../ports/clock';
import type { AuditRepository } from './audit.repository';

export type AuditAction =
  | 'auth.login_succeeded'
  | 'auth.login_failed'
  | 'auth.logout'
  | 'auth.refresh_token_reused'
  | 'auth.password_changed'
  | 'auth.session_revoked'
  | 'auth.registered'
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
  | 'admin.review_hidden';

export interface AuditEntry {
  action: AuditAction;
  actor?: Pick<Principal, 'userId' | 'role'> | null;
  target?: { type: string; id: string } | null;
  details?: Record<string, unknown>;
}

/** Writes the audit trail; pass a transaction to make the entry part of the change it records. */
export class AuditService {
  constructor(
    private readonly repo: AuditRepository,
    private readonly clock: Clock,
  ) {}

  async record(entry: AuditEntry, meta: RequestMeta, db?: Kysely<InventoryDatabase>): Promise<void> {
    await this.repo.append(
      {
        id: newId(),
        at: toDbTime(this.clock.now()),
        actor_id: entry.actor?.userId ?? null,
        actor_role: entry.actor?.role ?? null,
        action: entry.action,
        target_type: entry.target?.type ?? null,
        target_id: entry.target?.id ?? null,
        ip: meta.ip,
        user_agent: meta.userAgent?.slice(0, 512) ?? null,
        request_id: meta.requestId,
        details: JSON.stringify(entry.details ?? {}),
      },
      db,
    );
  }
}
