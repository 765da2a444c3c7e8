import type { Kysely, Selectable } from 'kysely';
import type { InventoryDatabase, MessagingPreferencesTable, SmsMessagesTable } from '../../db/schema';
import { isUniqueViolation } from '../../lib/db-errors';
import type { BlindIndex } from '../privacy/blind-index';
import type { PrivacyService } from '../privacy/privacy.service';

/** A patient's preferences with the number opened (stored sealed, with its keyed hash). */
export type PreferencesRow = Omit<Selectable<MessagingPreferencesTable>, 'phone_sealed' | 'phone_index'>;
/** An SMS sent, with the number opened (stored sealed). */
export type SmsRow = Omit<Selectable<SmsMessagesTable>, 'to_phone_sealed'>;

export interface MessagingRepositoryDeps {
  privacy: Pick<PrivacyService, 'encryptForPatient' | 'revealMany'>;
  /** Keyed hash of a number (purpose sms-phone): how STOP/START finds the accounts of a number. */
  phoneIndex: BlindIndex;
}

/**
 * SQL of the messaging module (inventory database). Phone numbers are sealed here with the
 * patient's data key on the way in and opened on the way out (a destroyed key reads as no
 * number); legacy plaintext numbers (rows from before sealing) read as they are.
 */
export class MessagingRepository {
  constructor(
    private readonly db: Kysely<InventoryDatabase>,
    private readonly d: MessagingRepositoryDeps,
  ) {}

  async preferences(userId: string): Promise<PreferencesRow | undefined> {
    return (await this.preferencesOf([userId])).get(userId);
  }

  /** Patients' preferences for many users at once (the reminder job). */
  async preferencesOf(userIds: string[]): Promise<Map<string, PreferencesRow>> {
    if (userIds.length === 0) return new Map();
    const rows = await this.db
      .selectFrom('messaging_preferences')
      .selectAll()
      .where('user_id', 'in', userIds)
      .execute();
    const phones = await this.d.privacy.revealMany(
      rows.map((r) => ({ patientId: r.user_id, value: r.phone_sealed ?? r.phone })),
    );
    return new Map(
      rows.map(({ phone_sealed: _s, phone_index: _i, ...r }, i) => [
        r.user_id,
        { ...r, phone: phones[i] ?? null },
      ]),
    );
  }

  async savePreferences(row: PreferencesRow): Promise<void> {
    const sealed = {
      ...row,
      phone: null,
      phone_sealed:
        row.phone === null ? null : await this.d.privacy.encryptForPatient(row.user_id, row.phone),
      phone_index: row.phone === null ? null : this.d.phoneIndex.of(row.phone),
    };
    await this.db.transaction().execute(async (trx) => {
      const { user_id, ...rest } = sealed;
      const updated = await trx
        .updateTable('messaging_preferences')
        .set(rest)
        .where('user_id', '=', user_id)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0)
        await trx.insertInto('messaging_preferences').values(sealed).execute();
    });
  }

  /**
   * STOP / START from a number: every account with that phone, found by its keyed hash under
   * every configured key (or, on a row not sealed yet, the plaintext). Returns how many changed.
   */
  async setOptedOut(phone: string, at: string | null): Promise<number> {
    const res = await this.db
      .updateTable('messaging_preferences')
      .set({ sms_opted_out_at: at, ...(at ? { updated_at: at } : {}) })
      .where((eb) =>
        eb.or([eb('phone_index', 'in', this.d.phoneIndex.candidates(phone)), eb('phone', '=', phone)]),
      )
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
    const sealed = await this.d.privacy.encryptForPatient(row.user_id, row.to_phone);
    await this.db
      .insertInto('sms_messages')
      .values({ ...row, to_phone: '', to_phone_sealed: sealed })
      .execute();
  }

  async updateSms(id: string, changes: Partial<Omit<SmsRow, 'id' | 'user_id' | 'to_phone'>>): Promise<void> {
    await this.db.updateTable('sms_messages').set(changes).where('id', '=', id).execute();
  }

  /** Just the status of a message (no number to open): what a racing callback may have set. */
  async smsStatus(id: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('sms_messages')
      .select('status')
      .where('id', '=', id)
      .executeTakeFirst();
    return row?.status;
  }

  /** A message by the provider's id, or — a callback that raced ahead of that id being saved — by ours. */
  async smsForCallback(providerId: string, ref: string | undefined): Promise<SmsRow | undefined> {
    const byProvider = await this.db
      .selectFrom('sms_messages')
      .selectAll()
      .where('provider_id', '=', providerId)
      .executeTakeFirst();
    const row =
      byProvider ??
      (ref
        ? await this.db
            .selectFrom('sms_messages')
            .selectAll()
            .where('id', '=', ref)
            .where((eb) => eb.or([eb('provider_id', 'is', null), eb('provider_id', '=', providerId)]))
            .executeTakeFirst()
        : undefined);
    return row ? (await this.opened([row]))[0] : undefined;
  }

  async smsOfBooking(bookingId: string): Promise<SmsRow[]> {
    return this.opened(
      await this.db
        .selectFrom('sms_messages')
        .selectAll()
        .where('booking_id', '=', bookingId)
        .orderBy('created_at')
        .execute(),
    );
  }

  /** SMS rows with the number opened ('' when the patient's key was destroyed). */
  async opened(rows: Selectable<SmsMessagesTable>[]): Promise<SmsRow[]> {
    const phones = await this.d.privacy.revealMany(
      rows.map((r) => ({ patientId: r.user_id, value: r.to_phone_sealed ?? r.to_phone })),
    );
    return rows.map(({ to_phone_sealed: _s, ...r }, i) => ({ ...r, to_phone: phones[i] ?? '' }));
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
