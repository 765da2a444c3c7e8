import { DomainError } from '../../domain/errors';
import { crashPoint } from '../../lib/crash-point';
import { fromDbTime, toDbTime } from '../../ports/clock';
import type { PaymentIntent } from '../../ports/payments';
import { paymentFailures } from '../payments/payment-failures';
import type { BookingCommands } from './booking-commands';
import { SYSTEM } from './booking-commands';
import type { BookingsContext } from './booking-context';
import { applyTransition, StaleBooking, withLockRetries } from './booking-transitions';
import type { BookingRow } from './bookings.repository';

/**
 * Who is asking for the payment step:
 * - `request`: the patient's booking request (the first one, or a replay of its key). If the
 *   provider refuses, nothing stays held: the booking is cancelled, its key freed for a new try.
 * - `recover`: a GET or the lifecycle job finishing what a crashed instance left. A failure leaves
 *   the booking waiting for the next try (its hold still runs out on time).
 */
export type StartMode = 'request' | 'recover';

/**
 * - `ready`: the booking no longer needs a payment start (it has its intent, or it is free, or it
 *   ended meanwhile);
 * - `released`: the provider failed a `request`; the booking was cancelled and its key freed;
 * - `failed`: the provider failed a `recover`; the start stays due;
 * - `busy`: someone else holds the lease and did not finish in time.
 */
export type StartOutcome = 'ready' | 'released' | 'failed' | 'busy';

export const PAYMENT_LEASE_MS = 75_000;
const POLL_MS = 50;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export const needsPaymentStart = (row: BookingRow) =>
  row.status === 'pending' && row.price_cents > 0 && !row.payment_intent_id;

/**
 * The payment step of the booking state machine. A paid booking commits as `pending` together with
 * a `payment_starts` row; creating its intent is a step any instance can take: the request that
 * booked it, a replay of its Idempotency-Key, a GET, or the lifecycle job. One caller at a time
 * holds the row's lease; the provider's idempotency key is derived from the booking id
 * (`booking:<id>`), so even a caller that crashed after the provider answered, or a lease that ran
 * out mid-call, leads to one intent. The intent is attached by the `require_payment` transition in
 * the same transaction that deletes the start row.
 */
export class PaymentStart {
  /** Retry-After hints from a provider that refused at once (an open circuit), by booking id. */
  private readonly retryHints = new Map<string, number>();

  /** The provider's Retry-After hint for a released booking, read once. */
  takeRetryHint(id: string): number | undefined {
    const hint = this.retryHints.get(id);
    this.retryHints.delete(id);
    return hint;
  }

  constructor(
    private readonly d: BookingsContext,
    private readonly commands: BookingCommands,
  ) {}

  async ensure(id: string, mode: StartMode, wait: boolean): Promise<StartOutcome> {
    const deadline = Date.now() + this.d.paymentLeaseMs + 5_000;
    for (;;) {
      const row = await this.d.repo.byId(id);
      if (!row || !needsPaymentStart(row)) {
        if (row) await this.d.paymentStarts.remove(id);
        return 'ready';
      }
      const now = this.d.clock.now();
      if (row.hold_expires_at && fromDbTime(row.hold_expires_at).getTime() <= now.getTime()) {
        // Too late to pay: the hold ran out, and the lifecycle job (or the next booking of this
        // slot) expires it. No intent is created for a booking nobody can pay any more.
        await this.commands.system(id, {
          type: 'expire',
          reason: 'The hold ran out before the payment started',
        });
        await this.d.paymentStarts.remove(id);
        return 'ready';
      }
      let claimed = await this.d.paymentStarts.claim(
        id,
        toDbTime(now),
        toDbTime(new Date(now.getTime() + this.d.paymentLeaseMs)),
      );
      if (!claimed && !(await this.d.paymentStarts.get(id))) {
        // No start row: another caller just finished (look again), or a paid pending booking
        // written before payment starts existed (give it one).
        const again = await this.d.repo.byId(id);
        if (!again || !needsPaymentStart(again)) return 'ready';
        // A series occurrence is paid by the series' one payment (series-payment.ts), never alone.
        if (await this.d.repo.inSeries(id)) return 'ready';
        await this.d.paymentStarts.add(id, toDbTime(now), this.d.db).catch(() => undefined);
        claimed = await this.d.paymentStarts.claim(
          id,
          toDbTime(now),
          toDbTime(new Date(now.getTime() + this.d.paymentLeaseMs)),
        );
      }
      if (claimed) return this.start(row, mode);
      if (!wait || Date.now() > deadline) return 'busy';
      await pause(POLL_MS);
    }
  }

  /** Due starts nobody is working on; for the lifecycle job. Returns how many got their intent. */
  async resumeDue(limit: number): Promise<number> {
    let started = 0;
    for (const id of await this.d.paymentStarts.due(toDbTime(this.d.clock.now()), limit)) {
      if ((await this.ensure(id, 'recover', false)) === 'ready') started++;
    }
    return started;
  }

  private async start(row: BookingRow, mode: StartMode): Promise<StartOutcome> {
    let intent: PaymentIntent;
    try {
      intent = await this.d.payments.createIntent({
        bookingId: row.id,
        amountCents: row.price_cents,
        currency: row.currency,
        description: `${row.service_name} with ${row.provider_name}`,
        idempotencyKey: `booking:${row.id}`,
      });
    } catch (err) {
      paymentFailures.record(this.d.log, 'payment_start', row.id, err);
      if (mode === 'request' && (await this.release(row.id))) {
        const hint = err instanceof DomainError ? err.extras.retryAfterSeconds : undefined;
        if (hint !== undefined) this.retryHints.set(row.id, hint);
        return 'released';
      }
      await this.d.paymentStarts.fail(
        row.id,
        toDbTime(this.d.clock.now()),
        (err as Error).message ?? 'failed',
      );
      return 'failed';
    }
    crashPoint('payment.after-provider');
    const attached = await this.attach(row.id, intent);
    // Another caller may have attached this very intent (same provider idempotency key) meanwhile.
    if (!attached) {
      await this.d.paymentStarts.remove(row.id);
      // The booking ended meanwhile (the patient cancelled the hold, or it expired): nobody can
      // pay. (Unless another caller attached this very intent: same provider idempotency key.)
      if ((await this.d.repo.byId(row.id))?.payment_intent_id !== intent.id)
        await this.commands.cancelIntent({ id: row.id, payment_intent_id: intent.id });
    }
    return 'ready';
  }

  /** `pending → payment_pending` with the intent, and the start row gone, in one transaction. */
  private async attach(id: string, intent: PaymentIntent): Promise<boolean> {
    // The client secret is stored sealed with the patient's key (sealed outside the transaction).
    const patientId = (await this.d.repo.byId(id))?.patient_id;
    if (!patientId) return false;
    const clientSecret = await this.d.privacy.encryptForPatient(patientId, intent.clientSecret);
    for (let attempt = 0; attempt < 4; attempt++) {
      try {
        const done = await withLockRetries(() =>
          this.d.db.transaction().execute(async (trx) => {
            const current = await this.d.repo.byId(id, trx);
            if (!current || !needsPaymentStart(current)) return false;
            await applyTransition(trx, this.d, current, { type: 'require_payment' }, SYSTEM, {
              payment_intent_id: intent.id,
              payment_client_secret: clientSecret,
              payment_checkout_url: intent.checkoutUrl,
              payment_status: intent.status,
            });
            await this.d.paymentStarts.remove(id, trx);
            return true;
          }),
        );
        if (done) await this.d.changed([id]);
        return done;
      } catch (err) {
        if (err instanceof StaleBooking) continue;
        throw err;
      }
    }
    return false;
  }

  /**
   * The provider failed the patient's request: cancel the booking, free its time and its
   * Idempotency-Key, in one transaction, so the answer is an honest 503 "nothing is held" and the
   * same key books afresh later. False when the booking moved on meanwhile.
   */
  private async release(id: string): Promise<boolean> {
    for (let attempt = 0; attempt < 4; attempt++) {
      try {
        const done = await withLockRetries(() =>
          this.d.db.transaction().execute(async (trx) => {
            const current = await this.d.repo.byId(id, trx);
            if (!current || !needsPaymentStart(current)) return false;
            await applyTransition(
              trx,
              this.d,
              current,
              { type: 'cancel', reason: 'The payment service is unavailable' },
              SYSTEM,
            );
            await this.d.paymentStarts.remove(id, trx);
            await this.d.idempotency.releaseForBooking(id, trx);
            return true;
          }),
        );
        if (done) await this.d.changed([id]);
        return done;
      } catch (err) {
        if (err instanceof StaleBooking) continue;
        throw err;
      }
    }
    return false;
  }
}
