import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { InventoryDatabase } from '../../db/schema';
import { newId } from '../../lib/ids';
import { type PrivacyService, SYSTEM_KEY_OWNER } from '../../modules/privacy/privacy.service';
import { type Clock, systemClock, toDbTime } from '../../ports/clock';
import type { SmsMessage, SmsSender, SmsSendResult } from '../../ports/sms';

export interface DevSms {
  id: string;
  sid: string;
  to: string;
  body: string;
  createdAt: string;
}

/**
 * The embedded profile's SMS "phone": messages land in the `dev_sms_inbox` table and are read in
 * the browser under /dev/sms. Nothing leaves the machine, so every message counts as delivered.
 * The number is stored sealed with the recipient's data key (the system key when the message
 * names no recipient); rows from before sealing hold it in plaintext and read as they are.
 */
export class DevSmsInbox implements SmsSender {
  constructor(
    private readonly db: Kysely<InventoryDatabase>,
    private readonly privacy: Pick<PrivacyService, 'encryptForPatient' | 'revealMany'>,
    private readonly clock: Clock = systemClock,
  ) {}

  async send(message: SmsMessage): Promise<SmsSendResult> {
    const sid = `SMdev${randomBytes(14).toString('hex')}`;
    const owner = message.recipientId ?? SYSTEM_KEY_OWNER;
    await this.db
      .insertInto('dev_sms_inbox')
      .values({
        id: newId(),
        sid,
        to_phone: '',
        to_phone_sealed: await this.privacy.encryptForPatient(owner, message.to),
        user_id: message.recipientId ?? null,
        body: message.body,
        created_at: toDbTime(this.clock.now()),
      })
      .execute();
    return { providerId: sid, status: 'delivered' };
  }

  /** Newest first. */
  async list(page: number, pageSize: number): Promise<{ items: DevSms[]; total: number }> {
    const [rows, count] = await Promise.all([
      this.db
        .selectFrom('dev_sms_inbox')
        .selectAll()
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .execute(),
      this.db
        .selectFrom('dev_sms_inbox')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow(),
    ]);
    const phones = await this.privacy.revealMany(
      rows.map((r) => ({ patientId: r.user_id ?? SYSTEM_KEY_OWNER, value: r.to_phone_sealed ?? r.to_phone })),
    );
    return {
      items: rows.map((r, i) => ({
        id: r.id,
        sid: r.sid,
        to: phones[i] ?? '[erased]',
        body: r.body,
        createdAt: r.created_at,
      })),
      total: Number(count.n),
    };
  }

  async close(): Promise<void> {}
}
