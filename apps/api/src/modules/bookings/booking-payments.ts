import type { Kysely } from 'kysely';
import type { BookingDatabase } from '../../db/schema';
import { isUniqueViolation } from '../../lib/db-errors';
import { type Clock, toDbTime } from '../../ports/clock';
import type { PaymentEvent, PaymentsPort } from '../../ports/payments';
import type { AuditService } from '../audit/audit.service';
import { type FailureLog, paymentFailures } from '../payments/payment-failures';
import { applyTransition, withLockRetries } from './booking-transitions';
import type { BookingRow, BookingsRepository } from './bookings.repository';
import type { BookingsService } from './bookings.service';

class Duplicate extends Error {}

/**
 * Payment outcomes, from Stripe or the simulated provider through the same webhook. Each event id
 * is recorded in the same transaction as its effect, so a duplicate delivery changes nothing and a
 * crash leaves the event unrecorded (the provider redelivers). Out-of-order events are harmless:
 * every change is guarded by the booking's current status.
 */
export class PaymentEventsHandler {
  constructor(
    private readonly d: {
      db: Kysely<BookingDatabase>;
      repo: BookingsRepository;
      clock: Clock;
      bookings: BookingsService;
      changed: (ids: string[]) => Promise<void>;
      payments: Pick<PaymentsPort, 'refund'>;
      audit: Pick<AuditService, 'record'>;
      log?: FailureLog;
    },
  ) {}

  /** Returns what happened, for the webhook log. */
  async handle(event: PaymentEvent): Promise<'duplicate' | 'ignored' | 'applied' | 'refused'> {
    try {
      return await this.apply(event);
    } catch (err) {
      // The provider redelivers after a non-2xx answer; each failure is logged and counted.
      paymentFailures.record(this.d.log, 'webhook', event.bookingId, err);
      throw err;
    }
  }

  private async apply(event: PaymentEvent): Promise<'duplicate' | 'ignored' | 'applied' | 'refused'> {
    let refundRow: BookingRow | null = null;
    let mismatched: BookingRow | null = null;
    let bookingId: string | null = null;
    let seriesIds: string[] = [];
    let refundRows: BookingRow[] = [];
    try {
      await withLockRetries(() =>
        this.d.db.transaction().execute(async (trx) => {
          refundRow = null;
          mismatched = null;
          seriesIds = [];
          refundRows = [];
          try {
            await this.d.repo.recordPaymentEvent(
              {
                event_id: event.id,
                type: event.rawType.slice(0, 60),
                booking_id: event.bookingId,
                processed_at: toDbTime(this.d.clock.now()),
              },
              trx,
            );
          } catch (err) {
            if (isUniqueViolation(err)) throw new Duplicate();
            throw err;
          }
          const row =
            (event.bookingId ? await this.d.repo.byId(event.bookingId, trx) : undefined) ??
            (event.paymentIntentId ? await this.d.repo.byIntent(event.paymentIntentId, trx) : undefined);
          if (!row) return;
          bookingId = row.id;
          if (row.payment_intent_id && (await this.d.repo.inSeries(row.id, trx))) {
            const series = await this.applySeries(event, row.payment_intent_id, trx);
            seriesIds = series.ids;
            refundRows = series.refund;
            if (series.mismatched) mismatched = series.mismatched;
            return;
          }
          const set = (changes: Pick<Partial<BookingRow>, 'payment_status' | 'refunded_cents'>) =>
            this.d.repo.setPayment(row.id, changes, toDbTime(this.d.clock.now()), trx);
          if (event.type === 'payment_intent.succeeded') {
            if (!matchesPrice(event, row)) {
              // Not a payment for this booking: it is not confirmed; the money goes back (after commit).
              mismatched = row;
            } else if (row.status === 'payment_pending') {
              await applyTransition(
                trx,
                this.d,
                row,
                { type: 'payment_succeeded' },
                { role: 'system', id: null },
                { payment_status: 'succeeded' },
              );
            } else if (row.status === 'expired' || row.status === 'cancelled') {
              // Money arrived for a booking that no longer exists: give it back.
              await set({ payment_status: 'refund_pending' });
              refundRow = { ...row, payment_status: 'refund_pending' };
            }
          } else if (event.type === 'payment_intent.payment_failed') {
            if (row.status === 'payment_pending') await set({ payment_status: 'failed' });
          } else if (event.type === 'charge.refunded') {
            await set({ payment_status: 'refunded', refunded_cents: event.amountCents ?? row.price_cents });
          }
        }),
      );
    } catch (err) {
      if (err instanceof Duplicate) return 'duplicate';
      throw err;
    }
    if (mismatched) return this.refuseMismatch(event, mismatched);
    if (!bookingId) return 'ignored';
    await this.d.changed(seriesIds.length ? seriesIds : [bookingId]);
    if (refundRow) await this.d.bookings.refund(refundRow);
    for (const r of refundRows) await this.d.bookings.refund(r);
    return 'applied';
  }

  /**
   * A paid series' one payment: it succeeds for the sum of its occurrences' prices and confirms
   * every occurrence together; arriving when the series is no longer held whole, each occurrence's
   * part goes back. A failure marks them all; refunds are recorded per occurrence when made.
   */
  private async applySeries(
    event: PaymentEvent,
    intentId: string,
    trx: Kysely<BookingDatabase>,
  ): Promise<{ ids: string[]; refund: BookingRow[]; mismatched: BookingRow | null }> {
    const rows = await this.d.repo.allByIntent(intentId, trx);
    const ids = rows.map((r) => r.id);
    const first = rows[0] as BookingRow;
    const total = rows.reduce((sum, r) => sum + r.price_cents, 0);
    const refund: BookingRow[] = [];
    if (event.type === 'payment_intent.succeeded') {
      if (!matchesPrice(event, { price_cents: total, currency: first.currency }))
        return { ids, refund, mismatched: { ...first, price_cents: total } };
      if (rows.every((r) => r.status === 'payment_pending')) {
        for (const r of rows)
          await applyTransition(
            trx,
            this.d,
            r,
            { type: 'payment_succeeded' },
            { role: 'system', id: null },
            { payment_status: 'succeeded' },
          );
      } else {
        // Money for a series that is no longer held whole: every part goes back (after commit).
        for (const r of rows) {
          await this.d.repo.setPayment(
            r.id,
            { payment_status: 'refund_pending' },
            toDbTime(this.d.clock.now()),
            trx,
          );
          refund.push({ ...r, payment_status: 'refund_pending' });
        }
      }
    } else if (event.type === 'payment_intent.payment_failed') {
      for (const r of rows)
        if (r.status === 'payment_pending')
          await this.d.repo.setPayment(r.id, { payment_status: 'failed' }, toDbTime(this.d.clock.now()), trx);
    }
    return { ids, refund, mismatched: null };
  }

  /**
   * A `payment_intent.succeeded` whose amount or currency is not the booking's: the booking stays
   * as it was (a hold expires as usual), the intent is refunded in full, and the event is audited
   * for an admin, with the refund's outcome (a failed refund is there to be done by hand).
   */
  private async refuseMismatch(event: PaymentEvent, row: BookingRow): Promise<'refused'> {
    let refund: 'succeeded' | 'pending' | 'failed' | 'error' = 'error';
    if (event.paymentIntentId) {
      try {
        refund = (
          await this.d.payments.refund({
            paymentIntentId: event.paymentIntentId,
            idempotencyKey: `mismatch:${event.id}`,
            reason: 'requested_by_customer',
          })
        ).status;
      } catch (err) {
        paymentFailures.record(this.d.log, 'refund', row.id, err);
      }
    }
    await this.d.audit.record(
      {
        action: 'payment.amount_mismatch',
        actor: null,
        target: { type: 'booking', id: row.id },
        patientId: row.patient_id,
        details: {
          eventId: event.id,
          paymentIntentId: event.paymentIntentId,
          expected: { amountCents: row.price_cents, currency: row.currency },
          received: { amountCents: event.amountCents, currency: event.currency },
          refund,
        },
      },
      { ip: null, userAgent: null, requestId: `payment-event:${event.id}` },
    );
    return 'refused';
  }
}

/** The succeeded payment is for exactly the booking's price, in its currency. */
function matchesPrice(event: PaymentEvent, row: Pick<BookingRow, 'price_cents' | 'currency'>): boolean {
  return (
    event.amountCents === row.price_cents &&
    event.currency !== null &&
    event.currency.toUpperCase() === row.currency.toUpperCase()
  );
}
