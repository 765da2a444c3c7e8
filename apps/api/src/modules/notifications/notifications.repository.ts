import type { Kysely, Selectable } from 'kysely';
import type { InventoryDatabase, NotificationsTable } from '../../db/schema';
import { isUniqueViolation } from '../../lib/db-errors';
import { fromDbTime } from '../../ports/clock';
import type { Notification } from './notifications.schemas';

export type NotificationRow = Selectable<NotificationsTable>;

export const toNotification = (row: NotificationRow): Notification => ({
  id: row.id,
  bookingId: row.booking_id,
  kind: row.kind,
  title: row.title,
  body: row.body,
  createdAt: fromDbTime(row.created_at).toISOString(),
  readAt: row.read_at ? fromDbTime(row.read_at).toISOString() : null,
});

export class NotificationsRepository {
  constructor(private readonly db: Kysely<InventoryDatabase>) {}

  /**
   * Inserts each row unless one with the same dedupe key exists, all in one transaction (one commit
   * for an event's recipients); returns the stored rows either way, in order. A duplicate fails
   * only its own statement on both databases, so the transaction goes on.
   */
  insertEachOnce(rows: NotificationRow[]): Promise<NotificationRow[]> {
    return this.db.transaction().execute(async (trx) => {
      const stored: NotificationRow[] = [];
      for (const row of rows) stored.push(await this.insertOnce(row, trx));
      return stored;
    });
  }

  private async insertOnce(row: NotificationRow, db: Kysely<InventoryDatabase>): Promise<NotificationRow> {
    try {
      await db.insertInto('notifications').values(row).execute();
      return row;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
    return db
      .selectFrom('notifications')
      .selectAll()
      .where('dedupe_key', '=', row.dedupe_key)
      .executeTakeFirstOrThrow();
  }

  async markEmailed(ids: string[], at: string): Promise<void> {
    if (ids.length === 0) return;
    await this.db.updateTable('notifications').set({ emailed_at: at }).where('id', 'in', ids).execute();
  }

  async page(userId: string, page: number, pageSize: number) {
    const mine = this.db.selectFrom('notifications').where('user_id', '=', userId);
    const [rows, counts] = await Promise.all([
      mine
        .selectAll()
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      mine
        .select((eb) => [
          eb.fn.countAll<number | string>().as('total'),
          // COUNT(column) skips NULLs; FILTER (WHERE …) is not MariaDB
          eb.fn.count<number | string>('read_at').as('read'),
        ])
        .executeTakeFirstOrThrow(),
    ]);
    const total = Number(counts.total);
    return { rows, total, unread: total - Number(counts.read) };
  }

  /** Sets read_at once; returns the row, or undefined when it is not this user's. */
  async markRead(userId: string, id: string, at: string): Promise<NotificationRow | undefined> {
    await this.db
      .updateTable('notifications')
      .set({ read_at: at })
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .where('read_at', 'is', null)
      .execute();
    return this.db
      .selectFrom('notifications')
      .selectAll()
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
  }
}
