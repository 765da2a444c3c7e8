import type { Kysely, Selectable } from 'kysely';
import type { InventoryDatabase, RefreshTokensTable, SessionsTable, UsersTable } from '../../db/schema';

export type SessionRow = Selectable<SessionsTable>;
export type RefreshTokenRow = Selectable<RefreshTokensTable>;

type Db = Kysely<InventoryDatabase>;

export class SessionsRepository {
  constructor(private readonly db: Db) {}

  async insertSession(row: SessionRow, db: Db = this.db): Promise<void> {
    await db.insertInto('sessions').values(row).execute();
  }

  async insertRefreshToken(row: RefreshTokenRow, db: Db = this.db): Promise<void> {
    await db.insertInto('refresh_tokens').values(row).execute();
  }

  /** The user and session behind an access token, in one indexed query per request. */
  principalRow(
    sessionId: string,
    userId: string,
  ): Promise<
    | (Pick<
        Selectable<UsersTable>,
        'role' | 'status' | 'provider_id' | 'email_verified_at' | 'suspended_reason'
      > &
        Pick<SessionRow, 'revoked_at' | 'expires_at'>)
    | undefined
  > {
    return this.db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select([
        'users.role',
        'users.status',
        'users.provider_id',
        'users.email_verified_at',
        'users.suspended_reason',
        'sessions.revoked_at',
        'sessions.expires_at',
      ])
      .where('sessions.id', '=', sessionId)
      .where('sessions.user_id', '=', userId)
      .executeTakeFirst();
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
