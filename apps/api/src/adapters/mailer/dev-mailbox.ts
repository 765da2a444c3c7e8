import type { Insertable, Kysely } from 'kysely';
import type { InventoryDatabase } from '../../db/schema';
import { batchWriter } from '../../lib/batch-write';
import { newId } from '../../lib/ids';
import { paginate } from '../../lib/paginate';
import { type Clock, systemClock, toDbTime } from '../../ports/clock';
import type { Mailer, MailMessage } from '../../ports/mailer';

export interface StoredAttachment {
  filename: string;
  contentType: string;
  contentBase64: string;
}

export interface StoredMail {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string | null;
  attachments: StoredAttachment[];
  createdAt: string;
  idempotencyKey: string;
}

export type MailSummary = Omit<StoredMail, 'text' | 'html' | 'attachments'>;

type MailboxRow = Insertable<InventoryDatabase['dev_mailbox']>;

/**
 * The embedded profile's mailer: messages land in the `dev_mailbox` table and are read in the
 * browser under /dev/mailbox. A retried message (same idempotency key) is stored once.
 *
 * Messages sent in the same turn of the event loop (a booking's two e-mails, and those of the
 * other events the notifications consumer handles beside it) are stored by one statement
 * (`lib/batch-write.ts`): on SQLite each statement outside a transaction is a commit of its own,
 * which cost more than composing the message.
 */
export class DevMailbox implements Mailer {
  /** 50 messages at most per statement: an e-mail with its calendar file is a few KiB. */
  private readonly store = batchWriter<MailboxRow, void>(async (rows) => {
    await this.storeOnce(rows);
    return rows.map(() => undefined);
  }, 50);

  constructor(
    private readonly db: Kysely<InventoryDatabase>,
    private readonly clock: Clock = systemClock,
  ) {}

  async send(message: MailMessage): Promise<void> {
    const attachments: StoredAttachment[] = (message.attachments ?? []).map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      contentBase64: Buffer.from(a.content).toString('base64'),
    }));
    return this.store({
      id: newId(),
      to_address: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html ?? null,
      attachments: JSON.stringify(attachments),
      created_at: toDbTime(this.clock.now()),
      idempotency_key: message.idempotencyKey,
    });
  }

  /**
   * Inserts the rows whose idempotency key is not stored yet. A row left out for any other reason
   * than its key being there already is an error, as a failed insert was.
   */
  private async storeOnce(rows: MailboxRow[]): Promise<void> {
    const result = await this.db.insertInto('dev_mailbox').values(rows).orIgnore().executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows) === rows.length) return;
    const keys = rows.map((r) => r.idempotency_key);
    const stored = await this.db
      .selectFrom('dev_mailbox')
      .select('idempotency_key')
      .where('idempotency_key', 'in', keys)
      .execute();
    const have = new Set(stored.map((r) => r.idempotency_key));
    const missing = keys.filter((k) => !have.has(k));
    if (missing.length > 0) throw new Error(`dev mailbox: ${missing.length} message(s) were not stored`);
  }

  /** Newest first. */
  async list(page: number, pageSize: number): Promise<{ items: MailSummary[]; total: number }> {
    const { rows, total } = await paginate(
      this.db.selectFrom('dev_mailbox'),
      (q) =>
        q
          .select(['id', 'to_address', 'subject', 'created_at', 'idempotency_key'])
          .orderBy('created_at', 'desc')
          .orderBy('id', 'desc'),
      page,
      pageSize,
    );
    return {
      items: rows.map((r) => ({
        id: r.id,
        to: r.to_address,
        subject: r.subject,
        createdAt: r.created_at,
        idempotencyKey: r.idempotency_key,
      })),
      total,
    };
  }

  async get(id: string): Promise<StoredMail | null> {
    const row = await this.db.selectFrom('dev_mailbox').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return null;
    return {
      id: row.id,
      to: row.to_address,
      subject: row.subject,
      text: row.text,
      html: row.html,
      attachments: JSON.parse(row.attachments) as StoredAttachment[],
      createdAt: row.created_at,
      idempotencyKey: row.idempotency_key,
    };
  }

  /** The database belongs to the caller. */
  async close(): Promise<void> {}
}
