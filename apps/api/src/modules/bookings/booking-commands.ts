import type { Booking } from '@carebook/contracts';
import type { Kysely } from 'kysely';
import type { BookingDatabase } from '../../db/schema';
import { DomainError, notFound } from '../../domain/errors';
import type { Principal } from '../../lib/request-meta';
import { paymentFailures } from '../payments/payment-failures';
import { maySeeBooking } from './booking-access';
import type { BookingsContext } from './booking-context';
import { toOneBooking } from './booking-mapper';
import { type ActorRef, applyTransition, StaleBooking, withLockRetries } from './booking-transitions';
import type { BookingRow } from './bookings.repository';
import type { BookingEvent } from './domain';

export const SYSTEM: ActorRef = { role: 'system', id: null };

export const partiesOf = (row: Pick<BookingRow, 'patient_id' | 'owner_id'>) => ({
  patientId: row.patient_id,
  ownerId: row.owner_id,
});

/** State-machine events applied to one booking, by a person or by the system, and their effects. */
export class BookingCommands {
  constructor(private readonly d: BookingsContext) {}

  async read(id: string): Promise<Booking> {
    const row = await this.d.repo.byId(id);
    if (!row) throw notFound('The booking');
    return toOneBooking(this.d.privacy, { row, history: await this.d.repo.history(id) });
  }

  /** A person acting on a booking: checks they may see it (404 otherwise), then applies the event. */
  async act(principal: Principal, id: string, event: BookingEvent): Promise<Booking> {
    const actor: ActorRef = { role: principal.role, id: principal.userId };
    try {
      return await this.transitionById(id, await this.sealReason(id, event), actor, (row) => {
        if (!maySeeBooking(principal, partiesOf(row))) throw notFound('The booking');
      });
    } catch (err) {
      if (err instanceof DomainError && err.code === 'NOT_FOUND') await this.refuseIfArchived(principal, id);
      throw err;
    }
  }

  /**
   * An archived booking is finished: acting on it is INVALID_TRANSITION for those who may see it
   * (as it would be while it was live), and NOT_FOUND for everyone else.
   */
  async refuseIfArchived(principal: Principal, id: string): Promise<void> {
    const archived = await this.d.archive?.get(id);
    if (archived && maySeeBooking(principal, partiesOf(archived.booking))) {
      throw new DomainError(
        'INVALID_TRANSITION',
        `This booking is ${archived.booking.status} and archived; it cannot be changed.`,
      );
    }
  }

  /** The system (jobs, webhooks) applying an event; returns null when it no longer applies. */
  async system(id: string, event: BookingEvent, extra: Partial<BookingRow> = {}): Promise<Booking | null> {
    try {
      return await this.transitionById(id, await this.sealReason(id, event), SYSTEM, () => {}, extra);
    } catch (err) {
      if (err instanceof DomainError && err.code === 'INVALID_TRANSITION') return null;
      throw err;
    }
  }

  /**
   * The event with its free-text reason sealed with the patient's key, before any transaction (a
   * first key is written to the inventory database): the history row and the outbox event then
   * carry ciphertext only. The patient of a booking never changes, so reading it first is safe.
   */
  private async sealReason(id: string, event: BookingEvent): Promise<BookingEvent> {
    if (!event.reason?.trim()) return event;
    const row = await this.d.repo.byId(id);
    if (!row) return event; // not found: the transition refuses it (nothing is written)
    return { ...event, reason: await this.d.privacy.encryptForPatient(row.patient_id, event.reason) };
  }

  /** Expires holds on these units whose time ran out; returns how many. */
  async expireStaleHolds(providerId: string, units: number[]): Promise<number> {
    let expired = 0;
    for (const bookingId of await this.d.repo.claimants(providerId, units)) {
      const row = await this.d.repo.byId(bookingId);
      if (!row?.hold_expires_at || Date.parse(row.hold_expires_at) > this.d.clock.now().getTime()) continue;
      if (await this.system(bookingId, { type: 'expire', reason: 'The hold ran out' })) expired++;
    }
    return expired;
  }

  private async transitionById(
    id: string,
    event: BookingEvent,
    actor: ActorRef,
    guard: (row: BookingRow) => void,
    extra: Partial<BookingRow> = {},
  ): Promise<Booking> {
    for (let attempt = 0; ; attempt++) {
      try {
        const { row, effects, released } = await withLockRetries(() =>
          this.d.db.transaction().execute(async (trx) => {
            const current = await this.d.repo.byId(id, trx);
            if (!current) throw notFound('The booking');
            guard(current);
            const done = await applyTransition(trx, this.d, current, event, actor, extra);
            return { ...done, released: await this.releaseSiblings(trx, current, event, actor) };
          }),
        );
        await this.d.changed([id, ...released]);
        if (effects.includes('cancel_payment') && row.payment_intent_id) await this.cancelIntent(row);
        if (effects.includes('refund')) await this.refund(row);
        return this.read(id);
      } catch (err) {
        if (err instanceof StaleBooking && attempt < 3) continue;
        throw err;
      }
    }
  }

  /**
   * Cancelling an unpaid occurrence of a paid series cancels its unpaid siblings in the same
   * transaction: they share one payment for the sum, which the cancellation withdraws.
   */
  private async releaseSiblings(
    trx: Kysely<BookingDatabase>,
    row: BookingRow,
    event: BookingEvent,
    actor: ActorRef,
  ): Promise<string[]> {
    if (event.type !== 'cancel' || row.status !== 'payment_pending' || !row.payment_intent_id) return [];
    const released: string[] = [];
    for (const sibling of await this.d.repo.allByIntent(row.payment_intent_id, trx)) {
      if (sibling.id === row.id || sibling.status !== 'payment_pending') continue;
      await applyTransition(trx, this.d, sibling, event, actor);
      released.push(sibling.id);
    }
    return released;
  }

  /** Best effort: an unpaid intent left open expires at the provider; logged and counted. */
  async cancelIntent(row: Pick<BookingRow, 'id' | 'payment_intent_id'>): Promise<void> {
    if (!row.payment_intent_id) return;
    await this.d.payments.cancelIntent(row.payment_intent_id).catch((err: unknown) => {
      paymentFailures.record(this.d.log, 'payment_cancel', row.id, err);
    });
  }

  /**
   * Refunds a paid booking's price (all of a single booking's payment; an occurrence's own part of
   * its series' payment); the lifecycle job retries any left `refund_pending`.
   */
  async refund(row: BookingRow): Promise<void> {
    if (!row.payment_intent_id || row.price_cents === 0) return;
    try {
      await this.d.payments.refund({
        paymentIntentId: row.payment_intent_id,
        amountCents: row.price_cents,
        idempotencyKey: `refund:${row.id}`,
        reason: 'requested_by_customer',
      });
      await this.d.repo.markRefunded(row.id);
    } catch (err) {
      // left refund_pending: retried by the lifecycle job
      paymentFailures.record(this.d.log, 'refund', row.id, err);
    }
  }
}
