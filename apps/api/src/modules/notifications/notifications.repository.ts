import type { Kysely, Selectable } from 'kysely';
import type { InventoryDatabase, NotificationsTable } from '../../db/schema';
import { batchWriter } from '../../lib/batch-write';
import { fromDbTime } from '../../ports/clock';
import { ERASED_TEXT } from '../bookings/booking-mapper';
import type { PrivacyService } from '../privacy/privacy.service';
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

/** Whose data key seals a notification's text: the patient it is about, else its recipient. */
const keyOwner = (row: Pick<NotificationRow, 'patient_id' | 'user_id'>) => row.patient_id ?? row.user_id;

/**
 * `notifications` (inventory database). Title and body quote the booking (and a cancellation
 * reason), so they are stored sealed with the data key of the patient the notification is about
 * and opened here, in one batch per page. Erasing that patient shreds the text (it reads as
 * `[erased]`); rows written before encryption read as they are until `npm run rotate-keys`.
 */
export class NotificationsRepository {
  constructor(
    private readonly db: Kysely<InventoryDatabase>,
    private readonly privacy: Pick<PrivacyService, 'encryptManyForPatient' | 'revealMany'>,
  ) {}

  /**
   * Inserts each row (sealed) unless one with the same dedupe key exists; returns the rows, opened,
   * in order, either way. The rows of every call made in the same turn (an event's recipients, and
   * the events handled beside it) go in one statement; only a redelivery, where some rows exist
   * already, reads them back. A patient without a data key (erased) fails their own call only.
   */
  async insertEachOnce(rows: NotificationRow[]): Promise<NotificationRow[]> {
    if (rows.length === 0) return [];
    const sealed = await Promise.all(
      rows.map(async (r) => {
        const [title, body] = await this.privacy.encryptManyForPatient(keyOwner(r), [r.title, r.body]);
        return { ...r, title: title as string, body: body as string };
      }),
    );
    return this.insertBatch({ rows, sealed });
  }

  private readonly insertBatch = batchWriter<
    { rows: NotificationRow[]; sealed: NotificationRow[] },
    NotificationRow[]
  >(async (calls) => {
    const sealed = calls.flatMap((c) => c.sealed);
    const result = await this.db.insertInto('notifications').values(sealed).orIgnore().executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows) === sealed.length) return calls.map((c) => c.rows);
    const found = await this.db
      .selectFrom('notifications')
      .selectAll()
      .where(
        'dedupe_key',
        'in',
        sealed.map((r) => r.dedupe_key),
      )
      .execute();
    const stored = new Map((await this.open(found)).map((r) => [r.dedupe_key, r]));
    return calls.map((c) =>
      c.rows.map((r) => {
        const row = stored.get(r.dedupe_key);
        if (!row) throw new Error(`notification ${r.dedupe_key} was neither inserted nor found`);
        return row;
      }),
    );
  }, 100);

  /** Opens title and body of many rows with one key lookup per patient. */
  async open(rows: readonly NotificationRow[]): Promise<NotificationRow[]> {
    const opened = await this.privacy.revealMany(
      rows.flatMap((r) => [
        { patientId: keyOwner(r), value: r.title },
        { patientId: keyOwner(r), value: r.body },
      ]),
    );
    return rows.map((r, i) => ({
      ...r,
      title: opened[2 * i] ?? ERASED_TEXT,
      body: opened[2 * i + 1] ?? ERASED_TEXT,
    }));
  }

  /**
   * Takes the e-mail of a row found already written (another delivery of the same event wrote it):
   * true when its mail had not gone and nobody held it, or the holder's lease ran out by `now`.
   */
  async claimMail(id: string, until: string, now: string): Promise<boolean> {
    const res = await this.db
      .updateTable('notifications')
      .set({ mail_claimed_until: until })
      .where('id', '=', id)
      .where('emailed_at', 'is', null)
      .where((eb) => eb.or([eb('mail_claimed_until', 'is', null), eb('mail_claimed_until', '<=', now)]))
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  /** Whether a row's e-mail has gone; undefined when the row is gone (its patient was erased). */
  async mailSent(id: string): Promise<boolean | undefined> {
    const row = await this.db
      .selectFrom('notifications')
      .select('emailed_at')
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? row.emailed_at !== null : undefined;
  }

  /** Gives back the e-mails a handler held (each under its lease) and could not send. */
  async releaseMailClaims(claims: readonly { id: string; lease: string }[]): Promise<void> {
    const byLease = new Map<string, string[]>();
    for (const { id, lease } of claims) byLease.set(lease, [...(byLease.get(lease) ?? []), id]);
    for (const [lease, ids] of byLease)
      await this.db
        .updateTable('notifications')
        .set({ mail_claimed_until: null })
        .where('id', 'in', ids)
        .where('mail_claimed_until', '=', lease)
        .execute();
  }

  /** Marks rows as e-mailed; the marks of one turn go in one statement per instant. */
  async markEmailed(ids: string[], at: string): Promise<void> {
    if (ids.length === 0) return;
    await this.markBatch({ ids, at });
  }

  private readonly markBatch = batchWriter<{ ids: string[]; at: string }, void>(async (calls) => {
    const byInstant = new Map<string, string[]>();
    for (const { ids, at } of calls) {
      const same = byInstant.get(at);
      if (same) same.push(...ids);
      else byInstant.set(at, [...ids]);
    }
    for (const [at, ids] of byInstant)
      await this.db.updateTable('notifications').set({ emailed_at: at }).where('id', 'in', ids).execute();
    return calls.map(() => undefined);
  }, 100);

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
    return { rows: await this.open(rows), total, unread: total - Number(counts.read) };
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
    const row = await this.db
      .selectFrom('notifications')
      .selectAll()
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst();
    return row ? (await this.open([row]))[0] : undefined;
  }
}
