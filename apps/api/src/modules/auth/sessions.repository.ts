import type { Kysely, Selectable } from 'kysely';
import type { InventoryDatabase, RefreshTokensTable, SessionsTable, UsersTable } from '../../db/schema';
import { batchLoader } from '../../lib/batch-load';

export type SessionRow = Selectable<SessionsTable>;
export type RefreshTokenRow = Selectable<RefreshTokensTable>;

type Db = Kysely<InventoryDatabase>;

/** What a request needs to know about the user and session behind its access token. */
export type PrincipalRow = Pick<
  Selectable<UsersTable>,
  'role' | 'status' | 'provider_id' | 'email_verified_at' | 'suspended_reason'
> &
  Pick<SessionRow, 'revoked_at' | 'expires_at'>;

export class SessionsRepository {
  /**
   * The look-ups of one event-loop turn go as one `WHERE sessions.id IN (…)` (the losers of a hot
   * slot arrive together); nothing is kept, so a revoked session fails on the next request.
   */
  private readonly principals: (
    sessionId: string,
  ) => Promise<(PrincipalRow & { session_id: string; user_id: string }) | undefined>;

  constructor(private readonly db: Db) {
    this.principals = batchLoader(
      (ids) =>
        this.db
          .selectFrom('sessions')
          .innerJoin('users', 'users.id', 'sessions.user_id')
          .select([
            'sessions.id as session_id',
            'sessions.user_id',
            'users.role',
            'users.status',
            'users.provider_id',
            'users.email_verified_at',
            'users.suspended_reason',
            'sessions.revoked_at',
            'sessions.expires_at',
          ])
          .where('sessions.id', 'in', ids)
          .execute(),
      (row) => row.session_id,
    );
  }

  async insertSession(row: SessionRow, db: Db = this.db): Promise<void> {
    await db.insertInto('sessions').values(row).execute();
  }

  async insertRefreshToken(row: RefreshTokenRow, db: Db = this.db): Promise<void> {
    await db.insertInto('refresh_tokens').values(row).execute();
  }

  /**
   * The user and session behind an access token (undefined when the session is not that user's).
   * Read fresh for every call: look-ups made in the same turn share one indexed query.
   */
  async principalRow(sessionId: string, userId: string): Promise<PrincipalRow | undefined> {
    const row = await this.principals(sessionId);
    if (!row || row.user_id !== userId) return undefined;
    const { session_id: _s, user_id: _u, ...principal } = row;
    return principal;
  }

  refreshTokenByHash(hash: string, db: Db = this.db) {
    return db
      .selectFrom('refresh_tokens')
      .innerJoin('sessions', 'sessions.id', 'refresh_tokens.session_id')
      .select([
        'refresh_tokens.id as tokenId',
        'refresh_tokens.used_at as usedAt',
        'refresh_tokens.expires_at as tokenExpiresAt',
        'sessions.id as sessionId',
        'sessions.user_id as userId',
        'sessions.revoked_at as revokedAt',
        'sessions.expires_at as sessionExpiresAt',
      ])
      .where('refresh_tokens.token_hash', '=', hash)
      .executeTakeFirst();
  }

  /** Marks a refresh token used; false when another request used it first. */
  async markUsed(tokenId: string, at: string, db: Db = this.db): Promise<boolean> {
    const result = await db
      .updateTable('refresh_tokens')
      .set({ used_at: at })
      .where('id', '=', tokenId)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async touch(sessionId: string, at: string, db: Db = this.db): Promise<void> {
    await db.updateTable('sessions').set({ last_used_at: at }).where('id', '=', sessionId).execute();
  }

  /** Revokes one session; returns false when it was not the user's or was already revoked. */
  async revoke(
    sessionId: string,
    userId: string,
    at: string,
    reason: string,
    db: Db = this.db,
  ): Promise<boolean> {
    const result = await db
      .updateTable('sessions')
      .set({ revoked_at: at, revoked_reason: reason })
      .where('id', '=', sessionId)
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Revokes every live session of a user except `keep`; returns how many. */
  async revokeAllFor(userId: string, at: string, reason: string, keep: string | null, db: Db = this.db) {
    let query = db
      .updateTable('sessions')
      .set({ revoked_at: at, revoked_reason: reason })
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null);
    if (keep) query = query.where('id', '!=', keep);
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  liveSessions(userId: string, now: string): Promise<SessionRow[]> {
    return this.db
      .selectFrom('sessions')
      .selectAll()
      .where('user_id', '=', userId)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>', now)
      .orderBy('last_used_at', 'desc')
      .execute();
  }
}
