import { DomainError } from '../../domain/errors';
import type { PaymentIntent } from '../../ports/payments';
import { paymentFailures } from '../payments/payment-failures';
import { type BookingCommands, SYSTEM } from './booking-commands';
import type { BookingsContext } from './booking-context';
import { applyTransition, withLockRetries } from './booking-transitions';
import type { BookingRow } from './bookings.repository';
import type { SeriesRepository } from './series.repository';

/**
 * One payment for a paid series. Its occurrences commit `pending` (each holding its time) in the
 * series transaction; then one intent for the sum is created (provider idempotency key
 * `series:<id>`, so a retry or a replay of the series' key makes no second one) and attached to
 * every occurrence in one transaction (`pending → payment_pending`, all with the same intent). Its
 * success confirms them all (booking-payments.ts); its failure or the hold running out releases
 * them all. Each occurrence keeps its own price, so cancelling one refunds that part.
 */
export class SeriesPayment {
  constructor(
    private readonly d: BookingsContext,
    private readonly commands: BookingCommands,
    private readonly series: SeriesRepository,
  ) {}

  /** Whether the occurrences still wait for their intent (none attached, holds not run out). */
  due(rows: BookingRow[]): boolean {
    const now = this.d.clock.now().getTime();
    return (
      rows.length > 0 &&
      rows.every(
        (r) =>
          r.status === 'pending' &&
          r.price_cents > 0 &&
          !r.payment_intent_id &&
          r.hold_expires_at !== null &&
          Date.parse(r.hold_expires_at) > now,
      )
    );
  }

  /**
   * Creates the intent and attaches it. The provider refusing cancels every occurrence and forgets
   * the series (its Idempotency-Key is free again): the answer is 503, nothing is held.
   */
  async start(seriesId: string, rows: BookingRow[]): Promise<void> {
    const first = rows[0] as BookingRow;
    let intent: PaymentIntent;
    try {
      intent = await this.d.payments.createIntent({
        bookingId: first.id,
        amountCents: rows.reduce((sum, r) => sum + r.price_cents, 0),
        currency: first.currency,
        description: `${rows.length} × ${first.service_name} with ${first.provider_name}`,
        idempotencyKey: `series:${seriesId}`,
      });
    } catch (err) {
      paymentFailures.record(this.d.log, 'payment_start', first.id, err);
      await this.release(seriesId, rows);
      const hint = err instanceof DomainError ? err.extras.retryAfterSeconds : undefined;
      throw new DomainError(
        'SERVICE_UNAVAILABLE',
        'Payments are unavailable right now, so the series was not held. Please try again shortly.',
        { retryAfterSeconds: typeof hint === 'number' ? hint : 5 },
      );
    }
    const secret = await this.d.privacy.encryptForPatient(first.patient_id, intent.clientSecret);
    const attached = await withLockRetries(() =>
      this.d.db.transaction().execute(async (trx) => {
        const current: BookingRow[] = [];
        for (const r of rows) {
          const row = await this.d.repo.byId(r.id, trx);
          if (row?.status !== 'pending' || row.payment_intent_id) return false;
          current.push(row);
        }
        for (const row of current)
          await applyTransition(trx, this.d, row, { type: 'require_payment' }, SYSTEM, {
            payment_intent_id: intent.id,
            payment_client_secret: secret,
            payment_checkout_url: intent.checkoutUrl,
            payment_status: intent.status,
          });
        return true;
      }),
    );
    if (attached) {
      await this.d.changed(rows.map((r) => r.id));
      return;
    }
    // An occurrence ended meanwhile (its hold ran out): the series cannot be paid whole.
    const again = await Promise.all(rows.map((r) => this.d.repo.byId(r.id)));
    if (!again.some((r) => r?.payment_intent_id === intent.id))
      await this.commands.cancelIntent({ id: first.id, payment_intent_id: intent.id });
  }

  /** Cancels every still-pending occurrence and forgets the series, in one transaction. */
  private async release(seriesId: string, rows: BookingRow[]): Promise<void> {
    await withLockRetries(() =>
      this.d.db.transaction().execute(async (trx) => {
        for (const r of rows) {
          const row = await this.d.repo.byId(r.id, trx);
          if (row?.status === 'pending')
            await applyTransition(
              trx,
              this.d,
              row,
              { type: 'cancel', reason: 'The payment service is unavailable' },
              SYSTEM,
            );
        }
        await this.series.remove(seriesId, trx);
      }),
    );
    await this.d.changed(rows.map((r) => r.id));
  }
}
