import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { BookingDatabase } from '../db/schema';
import { dueOffsets, reminderEmail, reminderSms } from '../modules/messaging/domain/reminders';
import type { MessagingRepository } from '../modules/messaging/messaging.repository';
import { type MessagingService, smsAllowed } from '../modules/messaging/messaging.service';
import { type Clock, fromDbTime, toDbTime } from '../ports/clock';

const BATCH = 500;
const MINUTE = 60_000;

/**
 * SMS reminders at the configured offsets before each confirmed appointment (REMINDER_OFFSETS,
 * e.g. 24h and 2h), for patients who chose SMS, gave consent and have not replied STOP. Runs
 * under a lease (one instance at a time); each (booking, offset) is recorded before the message
 * goes out, so nothing is sent twice even if two passes overlap. A failed SMS falls back to
 * e-mail (MessagingService). The 24-hour e-mail reminder stays with the booking lifecycle.
 */
export class SmsReminderJob {
  private readonly maxOffset: number;

  constructor(
    private readonly d: {
      /** Every booking database (booking shards); the sent marks live in the inventory database. */
      bookingsDbs: readonly Kysely<BookingDatabase>[];
      repo: MessagingRepository;
      messaging: MessagingService;
      clock: Clock;
      offsetsMinutes: number[];
      log: Pick<FastifyBaseLogger, 'error'>;
    },
  ) {
    this.maxOffset = Math.max(...d.offsetsMinutes);
  }

  async tick(): Promise<{ sent: number }> {
    const now = this.d.clock.now();
    const dueOn = (db: Kysely<BookingDatabase>) =>
      db
        .selectFrom('bookings')
        .select(['id', 'patient_id', 'provider_name', 'service_name', 'start_at', 'time_zone'])
        .where('status', '=', 'confirmed')
        .where('start_at', '>', toDbTime(now))
        .where('start_at', '<=', toDbTime(new Date(now.getTime() + this.maxOffset * MINUTE)))
        .orderBy('start_at')
        .limit(BATCH)
        .execute();
    const bookings = (await Promise.all(this.d.bookingsDbs.map(dueOn))).flat();
    const prefs = await this.d.repo.preferencesOf([...new Set(bookings.map((b) => b.patient_id))]);
    const wanted = bookings.filter((b) => smsAllowed(prefs.get(b.patient_id)));
    const done = await this.d.repo.remindedOffsets(wanted.map((b) => b.id));
    let sent = 0;
    for (const b of wanted) {
      const startAt = fromDbTime(b.start_at);
      const due = dueOffsets(now, startAt, this.d.offsetsMinutes).filter((o) => !done.get(b.id)?.has(o));
      if (due.length === 0) continue;
      const claimed = await this.d.repo.claimReminders(b.id, due, toDbTime(now));
      const pref = prefs.get(b.patient_id);
      if (claimed.length === 0 || !pref?.phone) continue;
      const facts = {
        providerName: b.provider_name,
        serviceName: b.service_name,
        startAt,
        timeZone: b.time_zone,
      };
      try {
        await this.d.messaging.sendSms({
          userId: b.patient_id,
          bookingId: b.id,
          to: pref.phone,
          body: reminderSms(facts),
          fallback: reminderEmail(facts),
        });
        sent++;
      } catch (err) {
        // Recorded as sent; the message row (if any) says what happened. Carry on with the rest.
        this.d.log.error({ err, bookingId: b.id }, 'SMS reminder failed');
      }
    }
    return { sent };
  }
}
