import type { Kysely } from 'kysely';
import type { InventoryDatabase } from '../../db/schema';

export class CalendarFeedsRepository {
  constructor(private readonly db: Kysely<InventoryDatabase>) {}

  ofUser(userId: string) {
    return this.db.selectFrom('calendar_feeds').selectAll().where('user_id', '=', userId).executeTakeFirst();
  }

  byToken(token: string) {
    return this.db.selectFrom('calendar_feeds').selectAll().where('token', '=', token).executeTakeFirst();
  }

  /** Replaces the user's token in one statement pair inside a transaction: the old one stops at once. */
  async replace(userId: string, token: string, at: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('calendar_feeds').where('user_id', '=', userId).execute();
      await trx.insertInto('calendar_feeds').values({ user_id: userId, token, created_at: at }).execute();
    });
  }

  async remove(userId: string): Promise<boolean> {
    const res = await this.db.deleteFrom('calendar_feeds').where('user_id', '=', userId).executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }
}
