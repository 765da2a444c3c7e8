import type { Booking, CreateBookingBody } from '@carebook/contracts';
import { DomainError } from '../../domain/errors';
import type { Principal } from '../../lib/request-meta';
import type { Paged } from '../admin/admin.service';
import { BookingCommands } from './booking-commands';
import type { BookingsContext, BookingsServiceDeps } from './booking-context';
import { BookingCreation } from './booking-create';
import { forReader } from './booking-mapper';
import { type BookingListRequest, BookingQueries } from './booking-queries';
import { BookingSeriesService } from './booking-series';
import type { BookingRow } from './bookings.repository';
import type { BookingEvent } from './domain';
import { IdempotencyRepository } from './idempotency.repository';
import { PAYMENT_LEASE_MS, PaymentStart, type StartOutcome } from './payment-start';
import { PaymentStartsRepository } from './payment-starts.repository';
import { type MoveOptions, reschedule } from './reschedule';
import { SeriesRepository } from './series.repository';

export type { BookingsServiceDeps } from './booking-context';
export { bookingCacheTag } from './booking-queries';

/**
 * The booking service: one front for the parts of the booking module (create + idempotency in
 * booking-create.ts, the payment step in payment-start.ts, state-machine events in
 * booking-commands.ts, reschedule.ts, reads in booking-queries.ts). Every answer to a person
 * carries the actions they may take (`allowedActions`).
 */
export class BookingsService {
  private readonly d: BookingsContext;
  private readonly commands: BookingCommands;
  private readonly payment: PaymentStart;
  private readonly creation: BookingCreation;
  private readonly queries: BookingQueries;
  /** Recurring series (booking-series.ts). */
  readonly series: BookingSeriesService;

  constructor(deps: BookingsServiceDeps) {
    this.d = {
      ...deps,
      paymentLeaseMs: deps.paymentLeaseMs ?? PAYMENT_LEASE_MS,
      idempotency: deps.idempotency ?? new IdempotencyRepository(deps.db, deps.privacy),
      paymentStarts: deps.paymentStarts ?? new PaymentStartsRepository(deps.db),
    };
    this.commands = new BookingCommands(this.d);
    this.payment = new PaymentStart(this.d, this.commands);
    this.creation = new BookingCreation(this.d, this.commands, this.payment);
    this.queries = new BookingQueries(this.d);
    this.series = new BookingSeriesService(this.d, this.commands, new SeriesRepository(deps.db));
  }

  /** POST /bookings: holds the slot, then confirms (free) or creates the payment intent. */
  async create(
    principal: Principal,
    body: CreateBookingBody,
    idempotencyKey: string | undefined,
  ): Promise<Booking> {
    return this.forReader(principal, await this.creation.create(principal, body, idempotencyKey));
  }

  /**
   * FHIR `$hold` and waitlist offers: holds the time; a free service stays pending until
   * `confirmHold` (or expiry). `holdMinutes` overrides BOOKING_HOLD_MINUTES (waitlist offers).
   */
  async hold(
    principal: Principal,
    body: CreateBookingBody,
    idempotencyKey: string | undefined,
    holdMinutes?: number,
  ) {
    return this.forReader(
      principal,
      await this.creation.create(principal, body, idempotencyKey, 'hold', holdMinutes),
    );
  }

  /**
   * FHIR `$book` of a held booking: the patient confirms a free hold (pending → confirmed) while
   * it lasts. A paid hold is confirmed by its payment, so it is answered as it stands; so is any
   * other state (the caller decides what a cancelled or expired one means).
   */
  async confirmHold(principal: Principal, id: string): Promise<Booking> {
    const booking = await this.queries.get(principal, id);
    if (booking.patientId !== principal.userId)
      throw new DomainError('FORBIDDEN', 'Only the patient who holds this time can book it.');
    if (booking.status === 'pending' && booking.priceCents === 0) {
      const now = this.d.clock.now().getTime();
      const event: BookingEvent =
        booking.holdExpiresAt && Date.parse(booking.holdExpiresAt) <= now
          ? { type: 'expire', reason: 'The hold ran out' }
          : { type: 'confirm' };
      await this.commands.system(id, event);
    }
    return this.get(principal, id);
  }

  /**
   * One booking; a paid hold whose payment step was left unfinished (a crashed instance) is
   * finished first. A date of a paid series awaiting its payment names its series (`seriesId`):
   * that payment is for every date, so a pay page shows the series' total, not this date's price.
   */
  async get(principal: Principal, id: string): Promise<Booking> {
    let booking = await this.queries.get(principal, id);
    if (booking.status === 'pending' && booking.priceCents > 0 && !booking.payment) {
      if ((await this.payment.ensure(id, 'recover', false)) === 'ready')
        booking = await this.queries.get(principal, id);
    }
    if (booking.status === 'payment_pending' && booking.payment) {
      const series = await this.series.occurrenceOf(id);
      if (series) booking = { ...booking, seriesId: series.id };
    }
    return this.forReader(principal, booking);
  }

  async list(principal: Principal, query: BookingListRequest): Promise<Paged<Booking>> {
    const page = await this.queries.list(principal, query);
    return { ...page, items: page.items.map((b) => this.forReader(principal, b)) };
  }

  /** A person acting on a booking (cancel, complete, no-show): 404 unless they may see it. */
  async act(principal: Principal, id: string, event: BookingEvent): Promise<Booking> {
    return this.forReader(principal, await this.commands.act(principal, id, event));
  }

  /** The system (jobs, webhooks) applying an event; null when it no longer applies. */
  system(id: string, event: BookingEvent, extra: Partial<BookingRow> = {}): Promise<Booking | null> {
    return this.commands.system(id, event, extra);
  }

  async reschedule(
    principal: Principal,
    id: string,
    start: string,
    reason: string | undefined,
  ): Promise<Booking> {
    return this.forReader(principal, await reschedule(this.d, this.commands, principal, id, start, reason));
  }

  /**
   * Moves a confirmed booking into a hold of the same patient (a waitlist offer of an earlier
   * time), exactly as a reschedule: linked rows, history and events, in one transaction with
   * `within` (the waitlist closing its offer), or nothing changes.
   */
  async moveIntoHold(
    principal: Principal,
    id: string,
    holdId: string,
    reason: string,
    within: MoveOptions['within'],
  ): Promise<Booking> {
    return this.forReader(
      principal,
      await reschedule(this.d, this.commands, principal, id, null, reason, { replacesHold: holdId, within }),
    );
  }

  /** A booking as the system sees it (no permission check). */
  read(id: string): Promise<Booking> {
    return this.commands.read(id);
  }

  /** Expires holds on these units whose time ran out; returns how many. */
  expireStaleHolds(providerId: string, units: number[]): Promise<number> {
    return this.commands.expireStaleHolds(providerId, units);
  }

  /** Refunds a paid booking in full; failures are logged, counted and left for the lifecycle job. */
  refund(row: BookingRow): Promise<void> {
    return this.commands.refund(row);
  }

  /** Finishes one booking's payment step if it needs it (used by the lifecycle job and tests). */
  ensurePayment(id: string): Promise<StartOutcome> {
    return this.payment.ensure(id, 'recover', false);
  }

  /** Payment steps left unfinished by crashed instances, oldest first; returns how many were finished. */
  resumePaymentStarts(limit = 100): Promise<number> {
    return this.payment.resumeDue(limit);
  }

  private forReader(principal: Principal, booking: Booking): Booking {
    return forReader(booking, principal, this.d.clock.now().getTime());
  }
}
