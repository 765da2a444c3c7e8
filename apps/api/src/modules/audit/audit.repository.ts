import type { AuditEvent } from '@carebook/contracts';
import { type Kysely, type Selectable, sql } from 'kysely';
import type { AuditEventsTable, InventoryDatabase } from '../../db/schema';
import { paginate } from '../../lib/paginate';
import { fromDbTime } from '../../ports/clock';
import { chainHash } from './audit-chain';

type Db = Kysely<InventoryDatabase>;
export type AuditRow = Selectable<AuditEventsTable>;
/** A row as the service builds it; the repository adds its place in the chain. */
export type NewAuditRow = Omit<AuditRow, 'seq' | 'prev_hash' | 'hash'>;

export interface AuditFilter {
  action?: string;
  actorId?: string;
  targetId?: string;
  patientId?: string;
  from?: string;
  to?: string;
}

/** Actions aimed at an address someone typed: the view names the account, never the address. */
const ADDRESS_TARGETED = new Set(['auth.login_failed', 'auth.password_reset_requested']);

/** What a failed sign-in names when the address typed has no account. */
export const UNKNOWN_ACCOUNT = 'Unknown account';

/**
 * The account a failed sign-in was aimed at: the user id recorded with it, or — rows written
 * before addresses were hashed — the address itself, which only ever serves to find the account.
 */
export const signInTarget = (row: AuditRow): { userId: string } | { email: string } | null => {
  if (!ADDRESS_TARGETED.has(row.action)) return null;
  const userId = (JSON.parse(row.details) as { userId?: unknown }).userId;
  if (typeof userId === 'string') return { userId };
  if (row.target_type === 'email' && row.target_id) return { email: row.target_id };
  return { userId: '' };
};

/**
 * One audit row for the admin view. `names` maps user ids (and, for legacy failed sign-ins, the
 * typed addresses) to display names. A failed sign-in shows the account's name or
 * "Unknown account", never the address typed.
 */
export const toAuditEvent = (row: AuditRow, names: ReadonlyMap<string, string> = new Map()): AuditEvent => {
  const signIn = signInTarget(row);
  const targetName = signIn
    ? (names.get('userId' in signIn ? signIn.userId : `email:${signIn.email}`) ?? UNKNOWN_ACCOUNT)
    : null;
  return {
    ...toAuditEventFields(row, names),
    targetId: signIn && row.target_type === 'email' ? null : row.target_id,
    targetName,
  };
};

const toAuditEventFields = (row: AuditRow, names: ReadonlyMap<string, string>) => ({
  id: row.id,
  seq: Number(row.seq),
  at: fromDbTime(row.at).toISOString(),
  actorId: row.actor_id,
  actorName: row.actor_id ? (names.get(row.actor_id) ?? null) : null,
  actorRole: row.actor_role,
  action: row.action,
  targetType: row.target_type,
  targetId: row.target_id,
  patientId: row.patient_id,
  patientName: row.patient_id ? (names.get(row.patient_id) ?? null) : null,
  purpose: row.purpose,
  ip: row.ip,
  userAgent: row.user_agent,
  requestId: row.request_id,
  details: JSON.parse(row.details) as Record<string, unknown>,
});

/**
 * Append-only: this repository can insert and read, nothing else (the database enforces it too).
 * Inserts extend the hash chain under a lock on its head row, so the chain is one line however
 * many instances append at once.
 */
export class AuditRepository {
  constructor(private readonly db: Db) {}

  /** Appends rows in order; inside `db` when it is a transaction, else in a transaction of its own. */
  async append(rows: NewAuditRow | NewAuditRow[], db: Db = this.db): Promise<void> {
    const list = Array.isArray(rows) ? rows : [rows];
    if (list.length === 0) return;
    const run = async (trx: Db) => {
      // Writing the head first takes its lock (MariaDB row lock, SQLite write lock) before reading it.
      await trx
        .updateTable('audit_chain_head')
        .set({ seq: sql`seq + ${list.length}` })
        .where('id', '=', 1)
        .execute();
      const head = await trx
        .selectFrom('audit_chain_head')
        .select(['seq', 'hash'])
        .where('id', '=', 1)
        .executeTakeFirstOrThrow();
      let seq = Number(head.seq) - list.length;
      let prev = head.hash;
      const chained = list.map((row) => {
        seq++;
        const linked = { ...row, seq, prev_hash: prev };
        prev = chainHash(linked);
        return { ...linked, hash: prev };
      });
      await trx.insertInto('audit_events').values(chained).execute();
      await trx.updateTable('audit_chain_head').set({ hash: prev }).where('id', '=', 1).execute();
    };
    if (db.isTransaction) await run(db);
    else await db.transaction().execute(run);
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
    if (filter.patientId) query = query.where('patient_id', '=', filter.patientId);
    if (filter.from) query = query.where('at', '>=', filter.from);
    if (filter.to) query = query.where('at', '<', filter.to);
    return paginate(query, (q) => q.selectAll().orderBy('seq', 'desc'), page, pageSize);
  }

  /** Display names of users, for showing people by name; missing (erased) users are absent. */
  async namesOf(ids: Iterable<string>): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('users')
      .select(['id', 'display_name'])
      .where('id', 'in', unique)
      .execute();
    return new Map(rows.map((r) => [r.id, r.display_name]));
  }

  /** Display names of the accounts with these e-mail addresses (legacy failed sign-in rows). */
  async namesByEmail(emails: Iterable<string>): Promise<Map<string, string>> {
    const unique = [...new Set(emails)];
    if (unique.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('users')
      .select(['email', 'display_name'])
      .where('email', 'in', unique)
      .execute();
    return new Map(rows.map((r) => [r.email, r.display_name]));
  }

  /** Chain rows after `afterSeq`, in chain order (the verifier walks them page by page). */
  chainAfter(afterSeq: number, limit: number): Promise<AuditRow[]> {
    return this.db
      .selectFrom('audit_events')
      .selectAll()
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
  }

  async head(): Promise<{ seq: number; hash: string }> {
    const row = await this.db
      .selectFrom('audit_chain_head')
      .select(['seq', 'hash'])
      .where('id', '=', 1)
      .executeTakeFirstOrThrow();
    return { seq: Number(row.seq), hash: row.hash };
  }

  /** Rows outside the chain (no sequence number): none unless someone inserted around the code. */
  async unchained(): Promise<number> {
    const row = await this.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .where('seq', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /**
   * Timestamps of an action's rows since `since` for a target — or any of several ids naming it —
   * (and IP), newest first: the throttle's input.
   */
  async recentAt(
    action: string,
    by: { targetId: string | readonly string[]; ip?: string | null } | { ip: string },
    since: string,
    limit: number,
  ): Promise<string[]> {
    let query = this.db
      .selectFrom('audit_events')
      .select('at')
      .where('action', '=', action)
      .where('at', '>=', since);
    if ('targetId' in by) {
      query =
        typeof by.targetId === 'string'
          ? query.where('target_id', '=', by.targetId)
          : query.where('target_id', 'in', by.targetId.length > 0 ? [...by.targetId] : ['']);
      if (by.ip !== undefined)
        query = by.ip === null ? query.where('ip', 'is', null) : query.where('ip', '=', by.ip);
    } else query = query.where('ip', '=', by.ip);
    const rows = await query.orderBy('at', 'desc').limit(limit).execute();
    return rows.map((r) => r.at);
  }
}
