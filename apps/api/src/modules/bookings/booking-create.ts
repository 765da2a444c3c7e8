import type { Booking, CreateBookingBody } from '@carebook/contracts';
import { DomainError } from '../../domain/errors';
import { crashPoint } from '../../lib/crash-point';
import { isUniqueViolation } from '../../lib/db-errors';
import type { Principal } from '../../lib/request-meta';
import { assertCan, assertEmailVerified } from '../auth/permissions';
import { type BookingCommands, SYSTEM } from './booking-commands';
import type { BookingsContext } from './booking-context';
import { ClaimTaken, insertBookingRecord, newBookingRecord } from './booking-insert';
import { toBooking } from './booking-mapper';
import { planTransition, withLockRetries } from './booking-transitions';
import type { BookingRow } from './bookings.repository';
import { requestHash } from './canonical-json';
import { SlotHints, unitsOf } from './claims';
import { newBookingRow } from './new-booking';
import { needsPaymentStart, type PaymentStart } from './payment-start';

class IdempotencyRace extends Error {}

/** What the booking transaction committed: the row, and the answer it stored with the key (none when a payment step follows). */
interface Held {
  row: BookingRow;
  answer: Booking | null;
}

const unavailable = (retryAfterSeconds = 5) =>
  new DomainError(
    'SERVICE_UNAVAILABLE',
    'Payments are unavailable right now, so the time was not held. Please try again shortly.',
    { retryAfterSeconds },
  );
const unitsOfRow = (row: BookingRow) => unitsOf(Date.parse(row.block_start_at), Date.parse(row.block_end_at));
const slotTaken = () =>
  new DomainError('SLOT_TAKEN', 'Someone else just booked this time. Please pick another slot.');
const stillStarting = () =>
  new DomainError(
    'SERVICE_UNAVAILABLE',
    'The payment for this booking is still being set up. Retry with the same Idempotency-Key.',
    { retryAfterSeconds: 5 },
  );

/**
 * POST /bookings under an Idempotency-Key. The booking, its claims, its key and (when paid) its
 * payment start commit together; the payment step follows (payment-start.ts). A replay of the
 * key, on any instance, finishes that step if nobody is on it, waits for whoever is, and answers
 * what the first request answered: the same booking, or the same 503 (the key is then free).
 */
export class BookingCreation {
  private readonly hints = new SlotHints();
  /** Booking attempts running on this instance, by slot (SlotHints.key); settle, never reject. */
  private readonly inFlight = new Map<string, Promise<void>>();
  /** Claims checks of hinted slots due in the next turn, by slot (takenNow). */
  private readonly takenChecks = new Map<string, Promise<boolean>>();

  constructor(
    private readonly d: BookingsContext,
    private readonly commands: BookingCommands,
    private readonly payment: PaymentStart,
  ) {}

  /**
   * `mode: 'hold'` (FHIR `$hold`) only holds the time: a free service stays `pending` until
   * `confirmHold` or until its hold runs out, instead of being confirmed in the same transaction.
   */
  async create(
    principal: Principal,
    body: CreateBookingBody,
    idempotencyKey: string | undefined,
    mode: 'book' | 'hold' = 'book',
    holdMinutes = this.d.holdMinutes,
  ) {
    assertCan(principal.role, 'booking.create');
    assertEmailVerified(principal);
    if (!idempotencyKey || idempotencyKey.length > 200) {
      throw new DomainError(
        'VALIDATION_FAILED',
        'Send an Idempotency-Key header (1–200 characters) so a retry cannot book twice.',
        {
          errors: [{ path: '/header/idempotency-key', message: 'is required (1–200 characters)' }],
        },
      );
    }
    // A hold and a booking are different requests: one key cannot be replayed as the other.
    const hash = requestHash(mode === 'hold' ? { ...body, mode } : body);
    const hintKey = SlotHints.key(body.providerId, body.serviceId, body.start);
    for (let waited = false; ; ) {
      // This instance is booking this very slot right now: wait for that attempt (holding no
      // connection), then look at the claims together with the others that waited for it. Once:
      // after an attempt that failed without a claim, the rest go on side by side.
      const ahead = waited ? undefined : this.inFlight.get(hintKey);
      if (ahead) {
        waited = true;
        await ahead;
      }
      // A slot claimed a moment ago: the claims are read first (one read shared by the requests of
      // this turn), then the key. The key commits with its claims, so a replay of the request that
      // took the slot still finds it and gets its first answer; anyone else learns SLOT_TAKEN.
      if (await this.takenNow(hintKey, body.providerId)) {
        const replay = await this.replay(principal.userId, idempotencyKey, hash);
        if (replay) return replay;
        throw slotTaken();
      }
      // The key is not read first: it is the booking transaction's first insert, so a replay is
      // refused there (IdempotencyRace) and answered below, and a first request (nearly all of
      // them) spends no statement on it.
      // Requests that arrive together get here together: one goes on, the others wait for it.
      if (waited || !this.inFlight.has(hintKey)) break;
    }

    const settle = this.inFlight.has(hintKey) ? undefined : this.goingFor(hintKey);
    let created: Held;
    try {
      const listing = await this.d.providers.get(null, body.providerId);
      const row = newBookingRow(principal.userId, listing, body, this.d.clock.now().getTime(), holdMinutes);
      // Sealed before the transaction: the patient's first data key is written to the inventory database.
      const reason = row.reason_for_visit;
      row.reason_for_visit = await this.d.privacy.encryptForPatient(principal.userId, reason);
      created = await this.hold(principal, idempotencyKey, hash, { row, reason }, mode);
    } catch (err) {
      settle?.();
      // The key went in before the claims: a claim refused is never a replay's.
      if (err instanceof ClaimTaken) throw slotTaken();
      // A replay answers what the first request answered, even when the request would be refused
      // now (its slot has passed, the listing was unpublished): checked before any refusal.
      if (err instanceof IdempotencyRace || err instanceof DomainError) {
        const again = await this.replay(principal.userId, idempotencyKey, hash);
        if (again) return again;
      }
      throw err;
    }
    settle?.();
    await this.d.changed([created.row.id]);
    crashPoint('booking.after-commit');
    return this.finish(principal.userId, idempotencyKey, created.row.id, created);
  }

  /**
   * `surelyTaken` for a hinted slot, shared by the requests for it that ask in the same turn of the
   * event loop: one read, started after all of them arrived, answers them all (the losers of a
   * contended slot arrive together). No hint: false without a read.
   */
  private takenNow(hintKey: string, providerId: string): Promise<boolean> {
    const units = this.hints.units(hintKey, this.d.clock.now().getTime());
    if (!units) return Promise.resolve(false);
    const due = this.takenChecks.get(hintKey);
    if (due) return due;
    const check = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      this.takenChecks.delete(hintKey);
      return this.surelyTaken(providerId, units);
    });
    this.takenChecks.set(hintKey, check);
    return check;
  }

  /**
   * True when the database shows the hinted units claimed by a booking that is not a hold that ran
   * out (those are expired by the full path, which then books).
   */
  private async surelyTaken(providerId: string, units: number[]): Promise<boolean> {
    const holders = await this.d.repo.claimants(providerId, units);
    if (holders.length === 0) return false;
    const now = this.d.clock.now().getTime();
    for (const id of holders) {
      const holder = await this.d.repo.byId(id);
      if (!holder || (holder.hold_expires_at && Date.parse(holder.hold_expires_at) <= now)) return false;
    }
    return true;
  }

  /**
   * The booking transaction; a hold that ran out but was not swept yet is expired, then retried once.
   * Everything it writes is worked out in code: a free booking is stored confirmed at once (its two
   * history entries in one statement), and a booking with no payment step gets its answer built
   * from what is written and stored with its key in the same transaction (no read-back, no
   * second write of the key). A paid booking commits with its payment start; `finish` answers it.
   * The confirmation is stamped inside the transaction (a booking's `updatedAt` is when it was
   * stored, not when its request started waiting for a connection), so the answer is sealed there
   * too, synchronously, with the patient's data key fetched before.
   */
  private async hold(
    principal: Principal,
    key: string,
    hash: string,
    made: { row: BookingRow; reason: string },
    mode: 'book' | 'hold',
  ): Promise<Held> {
    const { row } = made;
    const units = unitsOfRow(row);
    const confirmNow = row.price_cents === 0 && mode === 'book';
    const answered = !needsPaymentStart(row);
    const seal = answered ? await this.d.idempotency.sealer(principal.userId) : null;
    const attempt = () =>
      withLockRetries(() =>
        this.d.db.transaction().execute(async (trx) => {
          const record = newBookingRecord(
            row,
            { role: 'patient', id: principal.userId },
            null,
            confirmNow
              ? (r) => planTransition(this.d.clock.now(), r, { type: 'confirm' }, SYSTEM)
              : undefined,
          );
          // As a read of it would give it: its only sealed field is the reason this request sent.
          const answer = seal
            ? toBooking({ ...record.row, reason_for_visit: made.reason }, record.history)
            : null;
          try {
            await this.d.idempotency.insert(
              {
                user_id: principal.userId,
                idem_key: key,
                request_hash: hash,
                booking_id: row.id,
                response_status: answer ? 201 : null,
                response_body: answer && seal ? seal(JSON.stringify(answer)) : null,
                created_at: row.created_at,
              },
              trx,
            );
          } catch (err) {
            if (isUniqueViolation(err)) throw new IdempotencyRace();
            throw err;
          }
          await insertBookingRecord(trx, this.d.repo, record);
          if (!answered) await this.d.paymentStarts.add(row.id, row.created_at, trx);
          return { row: record.row, answer };
        }),
      );
    return this.noted(
      row,
      units,
      attempt().catch(async (err) => {
        if (err instanceof ClaimTaken && (await this.commands.expireStaleHolds(row.provider_id, units)) > 0)
          return attempt();
        throw err;
      }),
    );
  }

  /**
   * Makes this request the one attempt at `hintKey` that later requests for the slot on this
   * instance wait for (`inFlight`) instead of racing it; the returned function ends the wait.
   */
  private goingFor(hintKey: string): () => void {
    let settle = () => {};
    const done = new Promise<void>((resolve) => {
      settle = resolve;
    });
    this.inFlight.set(hintKey, done);
    return () => {
      if (this.inFlight.get(hintKey) === done) this.inFlight.delete(hintKey);
      settle();
    };
  }

  /** Notes the slot as claimed when the booking commits or its claim is refused. */
  private noted(row: BookingRow, units: number[], holding: Promise<Held>): Promise<Held> {
    const key = SlotHints.key(row.provider_id, row.service_id, row.start_at);
    return holding.then(
      (created) => {
        this.hints.note(key, units, this.d.clock.now().getTime());
        return created;
      },
      (err: unknown) => {
        if (err instanceof ClaimTaken) this.hints.note(key, units, this.d.clock.now().getTime());
        throw err;
      },
    );
  }

  /**
   * Takes the booking through its payment step and records the answer under the key. `committed`
   * is what this request committed: a booking with no payment step was answered in its transaction
   * (its key holds the answer), so it is returned as it is; only a payment step frees the key.
   */
  private async finish(userId: string, key: string, bookingId: string, committed?: Held): Promise<Booking> {
    if (committed?.answer) return committed.answer;
    if (!committed || needsPaymentStart(committed.row)) {
      const outcome = await this.payment.ensure(bookingId, 'request', true);
      if (outcome === 'busy') throw stillStarting();
      // Released here or by a concurrent replay: the key is free again, and the answer is the 503.
      const held = await this.d.idempotency.find(userId, key);
      if (outcome === 'released' || held?.booking_id !== bookingId)
        throw unavailable(this.payment.takeRetryHint(bookingId));
      if (outcome === 'failed') throw stillStarting();
    }
    const booking = await this.commands.read(bookingId);
    await this.d.idempotency.recordResponse(userId, key, 201, JSON.stringify(booking));
    return booking;
  }

  private async replay(userId: string, key: string, hash: string): Promise<Booking | null> {
    const existing = await this.d.idempotency.find(userId, key);
    if (!existing) return null;
    if (existing.request_hash !== hash) {
      throw new DomainError(
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was already used for a different booking request.',
      );
    }
    if (existing.response_body) return JSON.parse(existing.response_body) as Booking;
    // The first request has not answered (still working, or its instance died): finish its work.
    return this.finish(userId, key, existing.booking_id);
  }
}
