import type { Kysely } from 'kysely';
import type { InventoryDatabase } from '../../db/schema';
import type { PrivacyService } from '../privacy/privacy.service';

type Db = Kysely<InventoryDatabase>;

/** Long IN lists are split so no statement gets too many parameters. */
export function chunks<T>(items: readonly T[], size = 200): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The inventory database's side of a person's data for export and erasure (GDPR Art. 15/17/20):
 * sessions, notifications, messaging, calendar feed and mail copies. The account row itself is
 * `UsersRepository`'s; the audit trail is append-only and only read.
 */
export class PersonalDataRepository {
  constructor(
    private readonly db: Db,
    /** Opens the sealed SMS numbers for the export. */
    private readonly privacy: Pick<PrivacyService, 'revealMany'>,
  ) {}

  sessions(userId: string) {
    return this.db
      .selectFrom('sessions')
      .select([
        'id',
        'created_at',
        'last_used_at',
        'expires_at',
        'revoked_at',
        'revoked_reason',
        'ip',
        'user_agent',
      ])
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute();
  }

  notifications(userId: string) {
    return this.db
      .selectFrom('notifications')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  /** Reminder preferences, the number opened. */
  async messagingPreferences(userId: string) {
    const row = await this.db
      .selectFrom('messaging_preferences')
      .selectAll()
      .where('user_id', '=', userId)
      .executeTakeFirst();
    if (!row) return undefined;
    const [phone] = await this.privacy.revealMany([
      { patientId: userId, value: row.phone_sealed ?? row.phone },
    ]);
    return { ...row, phone: phone ?? null };
  }

  /** SMS sent to the person, the number opened. */
  async sms(userId: string) {
    const rows = await this.db
      .selectFrom('sms_messages')
      .select(['id', 'booking_id', 'to_phone', 'to_phone_sealed', 'body', 'status', 'created_at'])
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .execute();
    const phones = await this.privacy.revealMany(
      rows.map((r) => ({ patientId: userId, value: r.to_phone_sealed ?? r.to_phone })),
    );
    return rows.map(({ to_phone_sealed: _s, ...r }, i) => ({ ...r, to_phone: phones[i] ?? '' }));
  }

  calendarFeed(userId: string) {
    return this.db
      .selectFrom('calendar_feeds')
      .select(['created_at'])
      .where('user_id', '=', userId)
      .executeTakeFirst();
  }

  /** Every session and refresh token of the user: nothing signed in as them keeps working. */
  async deleteSessions(userId: string, db: Db = this.db): Promise<number> {
    const ids = (await db.selectFrom('sessions').select('id').where('user_id', '=', userId).execute()).map(
      (s) => s.id,
    );
    for (const part of chunks(ids))
      await db.deleteFrom('refresh_tokens').where('session_id', 'in', part).execute();
    const res = await db.deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
    return Number(res.numDeletedRows);
  }

  /**
   * Phone, SMS consent and messages (and their copies in the dev SMS inbox), the calendar feed
   * token, the patient profile (phone, date of birth, language) and accepted staff invitations.
   */
  async deleteContactData(userId: string, db: Db = this.db): Promise<void> {
    const prefs = await db
      .selectFrom('messaging_preferences')
      .select('phone')
      .where('user_id', '=', userId)
      .executeTakeFirst();
    const phones = new Set(
      (await db.selectFrom('sms_messages').select('to_phone').where('user_id', '=', userId).execute()).map(
        (m) => m.to_phone,
      ),
    );
    if (prefs?.phone) phones.add(prefs.phone);
    // Copies in the dev SMS inbox: sealed ones carry the account; legacy ones match the number.
    await db.deleteFrom('dev_sms_inbox').where('user_id', '=', userId).execute();
    phones.delete('');
    for (const part of chunks([...phones]))
      await db.deleteFrom('dev_sms_inbox').where('to_phone', 'in', part).execute();
    await db.deleteFrom('sms_messages').where('user_id', '=', userId).execute();
    await db.deleteFrom('messaging_preferences').where('user_id', '=', userId).execute();
    await db.deleteFrom('calendar_feeds').where('user_id', '=', userId).execute();
    // Phone and date of birth are sealed with the key erasure destroys; the row goes too.
    await db.deleteFrom('patient_profiles').where('user_id', '=', userId).execute();
    await db.deleteFrom('staff_invitations').where('accepted_user_id', '=', userId).execute();
  }

  /**
   * The person's notifications, and everyone's notifications about their bookings (a practice's
   * "Alex Doe booked…" names them).
   */
  async deleteNotifications(userId: string, bookingIds: readonly string[], db: Db = this.db): Promise<void> {
    await db.deleteFrom('notifications').where('user_id', '=', userId).execute();
    for (const part of chunks(bookingIds))
      await db.deleteFrom('notifications').where('booking_id', 'in', part).execute();
  }

  /**
   * Copies of e-mails in the dev mailbox (embedded profile): those sent to the address, and those
   * about the person's bookings to anyone (their idempotency key starts with the event id).
   */
  async deleteMailCopies(email: string, eventIds: readonly string[], db: Db = this.db): Promise<void> {
    await db.deleteFrom('dev_mailbox').where('to_address', '=', email).execute();
    for (const part of chunks(eventIds, 100))
      await db
        .deleteFrom('dev_mailbox')
        .where((eb) => eb.or(part.map((id) => eb('idempotency_key', 'like', `${id}:%`))))
        .execute();
  }
}
