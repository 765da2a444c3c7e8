import type { AuditEvent } from '@carebook/contracts';
import type { Kysely, Selectable } from 'kysely';
import type { AuditEventsTable, InventoryDatabase } from '../../db/schema';
import { paginate } from '../../lib/paginate';
import { fromDbTime } from '../../ports/clock';

type Db = Kysely<InventoryDatabase>;
export type AuditRow = Selectable<AuditEventsTable>;

export interface AuditFilter {
  action?: string;
  actorId?: string;
  targetId?: string;
  from?: string;
  to?: string;
}

export const toAuditEvent = (row: AuditRow): AuditEvent => ({
  id: row.id,
  at: fromDbTime(row.at).toISOString(),
  actorId: row.actor_id,
  actorRole: row.actor_role,
  action: row.action,
  targetType: row.target_type,
  targetId: row.target_id,
  ip: row.ip,
  userAgent: row.user_agent,
  requestId: row.request_id,
  details: JSON.parse(row.details) as Record<string, unknown>,
});

/** Append-only: this repository can insert and read, nothing else (the database enforces it too). */
export class AuditRepository {
  constructor(private readonly db: Db) {}

  async append(row: AuditRow, db: Db = this.db): Promise<void> {
    await db.insertInto('audit_events').values(row).execute();
  }

  async page(
    filter: AuditFilter,
    page: number,
    pageSize: number,
  ): Promise<{ rows: AuditRow[]; total: number }> {
    let query = this.db.selectFrom('audit_events');
    if (filter.action) query = query.where('action', '=', filter.action);
    if (filter.actorId) query = query.where('actor_id', '=', filter.actorId);
    if (filter.targetId) query = query.where('target_id', '=', filter.targetId);
    if (filter.from) query = query.where('at', '>=', filter.from);
    if (filter.to) query = query.where('at', '<', filter.to);
    return paginate(query, (q) => q.selectAll().orderBy('at', 'desc').orderBy('id', 'desc'), page, pageSize);
  }

  /** Failed logins since `since` for an account key or an IP: the throttle reads the trail itself. */
  async countSince(
    action: string,
    by: { targetId: string } | { ip: string },
    since: string,
  ): Promise<number> {
    let query = this.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('action', '=', action)
      .where('at', '>=', since);
    query = 'targetId' in by ? query.where('target_id', '=', by.targetId) : query.where('ip', '=', by.ip);
    const row = await query.executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** When the oldest counted failure in the window leaves it: the Retry-After for a throttle. */
  async oldestSince(
    action: string,
    by: { targetId: string } | { ip: string },
    since: string,
  ): Promise<string | null> {
    let query = this.db
      .selectFrom('audit_events')
      .select('at')
      .where('action', '=', action)
      .where('at', '>=', since)
      .orderBy('at', 'asc')
      .limit(1);
    query = 'targetId' in by ? query.where('target_id', '=', by.targetId) : query.where('ip', '=', by.ip);
    return (await query.executeTakeFirst())?.at ?? null;
  }
}
