import type { Kysely } from 'kysely';
import type { InventoryDatabase } from '../../db/schema';
import { isUniqueViolation } from '../../lib/db-errors';
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

/**
 * The embedded profile's mailer: messages land in the `dev_mailbox` table and are read in the
 * browser under /dev/mailbox. A retried message (same idempotency key) is stored once.
 */
export class DevMailbox implements Mailer {
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
    try {
      await this.db
        .insertInto('dev_mailbox')
        .values({
          id: newId(),
          to_address: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html ?? null,
          attachments: JSON.stringify(attachments),
          created_at: toDbTime(this.clock.now()),
          idempotency_key: message.idempotencyKey,
        })
        .execute();
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
    }
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
