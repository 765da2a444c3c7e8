import type { Kysely, Selectable } from 'kysely';
import type { InventoryDatabase, MessagingPreferencesTable, SmsMessagesTable } from '../../db/schema';
import { isUniqueViolation } from '../../lib/db-errors';

export type PreferencesRow = Selectable<MessagingPreferencesTable>;
export type SmsRow = Selectable<SmsMessagesTable>;

/** SQL of the messaging module (inventory database). */
export class MessagingRepository {
  constructor(private readonly db: Kysely<InventoryDatabase>) {}

  preferences(userId: string): Promise<PreferencesRow | undefined> {
    return this.db
      .selectFrom('messaging_preferences')
      .selectAll()
      .where('user_id', '=', userId)
      .executeTakeFirst();
  }

  /** Patients' preferences for many users at once (the reminder job). */
  async preferencesOf(userIds: string[]): Promise<Map<string, PreferencesRow>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('messaging_preferences')
      .selectAll()
      .where('user_id', 'in', userIds)
      .execute();
    return new Map(rows.map((r) => [r.user_id, r]));
  }

  async savePreferences(row: PreferencesRow): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const { user_id, ...rest } = row;
      const updated = await trx
        .updateTable('messaging_preferences')
        .set(rest)
        .where('user_id', '=', user_id)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0)
        await trx.insertInto('messaging_preferences').values(row).execute();
    });
  }

  /** STOP / START from a number: every account with that phone. Returns how many changed. */
  async setOptedOut(phone: string, at: string | null): Promise<number> {
    const res = await this.db
      .updateTable('messaging_preferences')
      .set({ sms_opted_out_at: at, ...(at ? { updated_at: at } : {}) })
      .where('phone', '=', phone)
      .where('sms_opted_out_at', at ? 'is' : 'is not', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows);
  }

  /**
   * Records the reminder offsets of a booking as sent; answers the ones this call recorded
   * (another instance, or an earlier pass, may have recorded the others).
   */
  async claimReminders(bookingId: string, offsets: number[], at: string): Promise<number[]> {
    const claimed: number[] = [];
    for (const offset of offsets) {
      try {
        await this.db
          .insertInto('reminders_sent')
          .values({ booking_id: bookingId, offset_minutes: offset, sent_at: at })
          .execute();
        claimed.push(offset);
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
      }
    }
    return claimed;
  }

  /** Which of these bookings already had every one of these offsets recorded. */
  async remindedOffsets(bookingIds: string[]): Promise<Map<string, Set<number>>> {
    const out = new Map<string, Set<number>>();
    if (bookingIds.length === 0) return out;
    const rows = await this.db
      .selectFrom('reminders_sent')
      .select(['booking_id', 'offset_minutes'])
      .where('booking_id', 'in', bookingIds)
      .execute();
    for (const r of rows) {
      const set = out.get(r.booking_id) ?? new Set<number>();
      set.add(Number(r.offset_minutes));
      out.set(r.booking_id, set);
    }
    return out;
  }

  async insertSms(row: SmsRow): Promise<void> {
    await this.db.insertInto('sms_messages').values(row).execute();
  }

  async updateSms(id: string, changes: Partial<Omit<SmsRow, 'id'>>): Promise<void> {
    await this.db.updateTable('sms_messages').set(changes).where('id', '=', id).execute();
  }

  smsByProviderId(providerId: string): Promise<SmsRow | undefined> {
    return this.db
      .selectFrom('sms_messages')
      .selectAll()
      .where('provider_id', '=', providerId)
      .executeTakeFirst();
  }

  smsOfBooking(bookingId: string): Promise<SmsRow[]> {
    return this.db
      .selectFrom('sms_messages')
      .selectAll()
      .where('booking_id', '=', bookingId)
      .orderBy('created_at')
      .execute();
  }

  /** Marks the fallback e-mail of a failed SMS as taken; false when it already was. */
  async takeFallback(id: string, at: string): Promise<boolean> {
    const res = await this.db
      .updateTable('sms_messages')
      .set({ fallback_emailed_at: at })
      .where('id', '=', id)
      .where('fallback_emailed_at', 'is', null)
      .executeTakeFirst();
    return Number(res.numUpdatedRows) === 1;
  }

  async releaseFallback(id: string): Promise<void> {
    await this.db
      .updateTable('sms_messages')
      .set({ fallback_emailed_at: null })
      .where('id', '=', id)
      .execute();
  }
}
