import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { BookingDatabase } from '../db/schema';
import { appendBookingEvent, withLockRetries } from '../modules/bookings/booking-transitions';
import type { BookingsRepository } from '../modules/bookings/bookings.repository';
import type { BookingsService } from '../modules/bookings/bookings.service';
import { type Clock, toDbTime } from '../ports/clock';

const BATCH = 200;
const DAY = 86_400_000;

export interface TickReport {
  expired: number;
  started: number;
  completed: number;
  reminded: number;
  refundsRetried: number;
  /** Payment steps a crashed instance left unfinished, now done. */
  paymentsStarted: number;
}

/**
 * Moves bookings along by the clock: expires holds, starts and completes appointments, queues
 * 24-hour reminders and retries refunds that failed. Every step is a versioned conditional update,
 * so running it on several instances at once only wastes a little work; nothing happens twice.
 */
export class BookingLifecycle {
  constructor(
    private readonly d: {
      db: Kysely<BookingDatabase>;
      repo: BookingsRepository;
      bookings: BookingsService;
      clock: Clock;
      log: Pick<FastifyBaseLogger, 'error'>;
      changed: (ids: string[]) => Promise<void>;
    },
  ) {}

  async tick(): Promise<TickReport> {
    const now = this.d.clock.now();
    const at = toDbTime(now);
    const run = async (rows: { id: string }[], event: Parameters<BookingsService['system']>[1]) => {
      let n = 0;
      for (const row of rows) if (await this.d.bookings.system(row.id, event)) n++;
      return n;
    };
    // Before expiry: a hold whose payment step was left unfinished gets its intent while it still can.
    const paymentsStarted = await this.d.bookings.resumePaymentStarts(BATCH);
    const expired = await run(
      await this.d.repo.due(['pending', 'payment_pending'], 'hold_expires_at', at, BATCH),
      {
        type: 'expire',
        reason: 'The hold ran out before the booking was completed',
      },
    );
    const started = await run(await this.d.repo.due(['confirmed'], 'start_at', at, BATCH), { type: 'start' });
    const completed = await run(await this.d.repo.due(['in_progress'], 'end_at', at, BATCH), {
      type: 'complete',
    });
    const reminded = await this.queueReminders(now);
    const refundsRetried = await this.retryRefunds(now);
    return { expired, started, completed, reminded, refundsRetried, paymentsStarted };
  }

  /** Confirmed bookings starting within 24 hours get one reminder event each. */
  private async queueReminders(now: Date): Promise<number> {
    const due = await this.d.repo.remindersDue(toDbTime(now), toDbTime(new Date(now.getTime() + DAY)), BATCH);
    let n = 0;
    for (const row of due) {
      const claimed = await withLockRetries(() =>
        this.d.db.transaction().execute(async (trx) => {
          if (!(await this.d.repo.claimReminder(row.id, toDbTime(now), trx))) return false;
          await appendBookingEvent(
            trx,
            'booking.reminder_due',
            { ...row, updated_at: toDbTime(now) },
            row.status,
            null,
          );
          return true;
        }),
      );
      if (claimed) n++;
    }
    if (n > 0) await this.d.changed([]);
    return n;
  }

  private async retryRefunds(now: Date): Promise<number> {
    const rows = await this.d.repo.refundsPending(toDbTime(new Date(now.getTime() - 60_000)), BATCH);
    for (const row of rows) await this.d.bookings.refund(row);
    return rows.length;
  }
}
