import type { Kysely, Selectable } from 'kysely';
import type { InventoryDatabase, NotificationsTable } from '../../db/schema';
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
   * Inserts each row unless one with the same dedupe key exists, in one statement (an event's
   * recipients together); returns the stored rows either way, in order. Only a redelivery, where
   * some rows exist already, reads them back.
   */
  async insertEachOnce(rows: NotificationRow[]): Promise<NotificationRow[]> {
    if (rows.length === 0) return [];
    const result = await this.db.insertInto('notifications').values(rows).orIgnore().executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows) === rows.length) return rows;
    const stored = new Map(
      (
        await this.db
          .selectFrom('notifications')
          .selectAll()
          .where(
            'dedupe_key',
            'in',
            rows.map((r) => r.dedupe_key),
          )
          .execute()
      ).map((r) => [r.dedupe_key, r]),
    );
    return rows.map((r) => {
      const row = stored.get(r.dedupe_key);
      if (!row) throw new Error(`notification ${r.dedupe_key} was neither inserted nor found`);
      return row;
    });
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
