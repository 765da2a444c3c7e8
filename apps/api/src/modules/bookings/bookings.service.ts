import { createHash } from 'node:crypto';
import type { Booking, BookingListQuery, CreateBookingBody, Listing } from '@carebook/contracts';
import type { Kysely } from 'kysely';
import type { BookingDatabase } from '../../db/schema';
import { DomainError, notFound } from '../../domain/errors';
import { isUniqueViolation } from '../../lib/db-errors';
import { newId } from '../../lib/ids';
import type { Principal } from '../../lib/request-meta';
import type { BookingArchive } from '../../ports/archive';
import type { Cache } from '../../ports/cache';
import { type Clock, toDbTime } from '../../ports/clock';
import type { PaymentsPort } from '../../ports/payments';
import type { Paged } from '../admin/admin.service';
import { assertCan } from '../auth/permissions';
import { computeSlots } from '../availability/domain';
import type { ProvidersService } from '../providers/providers.service';
import { toBooking } from './booking-mapper';
import {
  type ActorRef,
  appendBookingEvent,
  applyTransition,
  StaleBooking,
  withLockRetries,
} from './booking-transitions';
import type { BookingRow, BookingsRepository } from './bookings.repository';
import { UNIT_MS, unitsOf } from './claims';
import type { BookingEvent } from './domain';
import { listLiveAndArchived } from './merged-listing';

type Db = Kysely<BookingDatabase>;
const MINUTE = 60_000;

export interface BookingsServiceDeps {
  db: Db;
  repo: BookingsRepository;
  providers: ProvidersService;
  payments: PaymentsPort;
  clock: Clock;
  cache: Cache;
  holdMinutes: number;
  /** Finished bookings the archival job moved out; read back by get and list. */
  archive?: BookingArchive;
  /** After every commit that changed bookings: invalidate caches, nudge the outbox relay. */
  changed: (bookingIds: string[]) => Promise<void>;
}

class SlotTaken extends Error {}
class IdempotencyRace extends Error {}

export const bookingCacheTag = (id: string) => `booking:${id}`;

export class BookingsService {
  constructor(private readonly d: BookingsServiceDeps) {}

  async create(
    principal: Principal,
    body: CreateBookingBody,
    idempotencyKey: string | undefined,
  ): Promise<Booking> {
    assertCan(principal.role, 'booking.create');
    if (!idempotencyKey || idempotencyKey.length > 200) {
      throw new DomainError(
        'VALIDATION_FAILED',
        'Send an Idempotency-Key header (1–200 characters) so a retry cannot book twice.',
        {
          errors: [{ path: '/header/idempotency-key', message: 'is required (1–200 characters)' }],
        },
      );
    }
    const requestHash = createHash('sha256')
      .update(JSON.stringify(body, Object.keys(body).sort()))
      .digest('hex');
    const replay = await this.replay(principal.userId, idempotencyKey, requestHash);
    if (replay) return replay;

    const listing = await this.d.providers.get(null, body.providerId);
    const row = this.newBooking(principal, listing, body);
    const units = unitsOf(Date.parse(row.block_start_at), Date.parse(row.block_end_at));
    const attempt = () =>
      withLockRetries(() =>
        this.d.db.transaction().execute(async (trx) => {
          try {
            await trx
              .insertInto('idempotency_keys')
              .values({
                user_id: principal.userId,
                idem_key: idempotencyKey,
                request_hash: requestHash,
                booking_id: row.id,
                response_status: null,
                response_body: null,
                created_at: row.created_at,
              })
              .execute();
          } catch (err) {
            if (isUniqueViolation(err)) throw new IdempotencyRace();
            throw err;
          }
          await this.d.repo.insert(row, trx);
          await this.d.repo.addHistory(
            {
              booking_id: row.id,
              at: row.created_at,
              from_status: null,
              to_status: 'pending',
              actor_role: 'patient',
              actor_id: principal.userId,
              reason: null,
            },
            trx,
          );
          try {
            await this.d.repo.claim(row.provider_id, row.id, units, trx);
          } catch (err) {
            if (isUniqueViolation(err)) throw new SlotTaken();
            throw err;
          }
          await appendBookingEvent(trx, 'booking.created', row, null, null);
          if (row.price_cents === 0)
            return (await applyTransition(trx, this.d, row, { type: 'confirm' }, SYSTEM)).row;
          return row;
        }),
      );
    let created: BookingRow;
    try {
      created = await attempt().catch(async (err) => {
        // A hold that ran out but has not been swept yet must not block the slot: expire it, retry once.
        if (err instanceof SlotTaken && (await this.expireStaleHolds(row.provider_id, units)) > 0)
          return attempt();
        throw err;
      });
    } catch (err) {
      if (err instanceof SlotTaken) {
        throw new DomainError('SLOT_TAKEN', 'Someone else just booked this time. Please pick another slot.');
      }
      if (err instanceof IdempotencyRace) {
        const again = await this.replay(principal.userId, idempotencyKey, requestHash);
        if (again) return again;
      }
      throw err;
    }
    await this.d.changed([created.id]);
    const booking = created.price_cents > 0 ? await this.startPayment(created) : await this.read(created.id);
    await this.d.db
      .updateTable('idempotency_keys')
      .set({ response_status: 201, response_body: JSON.stringify(booking) })
      .where('user_id', '=', principal.userId)
      .where('idem_key', '=', idempotencyKey)
      .execute();
    return booking;
  }

  async get(principal: Principal, id: string): Promise<Booking> {
    const cached = await this.d.cache.getOrLoad(
      `booking:${id}`,
      async () => {
        const row = await this.d.repo.byId(id);
        if (row) return { ownerId: row.owner_id, booking: toBooking(row, await this.d.repo.history(id)) };
        const archived = await this.d.archive?.get(id);
        return archived
          ? { ownerId: archived.booking.owner_id, booking: toBooking(archived.booking, archived.history) }
          : null;
      },
      { ttlSeconds: 60, tags: [bookingCacheTag(id)] },
    );
    if (!cached || !this.canSee(principal, cached.booking.patientId, cached.ownerId))
      throw notFound('The booking');
    return cached.booking;
  }

  async list(
    principal: Principal,
    query: BookingListQuery & { updatedSince?: string },
  ): Promise<Paged<Booking>> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const now = toDbTime(this.d.clock.now());
    const scope =
      principal.role === 'patient'
        ? { patientId: principal.userId }
        : principal.role === 'admin'
          ? {}
          : { ownerId: principal.actsForProviderId ?? '00000000-0000-0000-0000-000000000000' };
    const { items, total } = await listLiveAndArchived(
      this.d,
      {
        ...scope,
        ...(query.providerId ? { providerId: query.providerId } : {}),
        ...(query.status ? { status: query.status } : {}),
        ...(query.when === 'upcoming'
          ? { startFrom: now }
          : query.when === 'past'
            ? { startBefore: now }
            : {}),
        ...(query.updatedSince ? { updatedSince: toDbTime(new Date(query.updatedSince)) } : {}),
      },
      query.when === 'past' ? 'desc' : 'asc',
      page,
      pageSize,
    );
    return { items, page, pageSize, total };
  }

  /** A person acting on a booking: checks they may see it (404 otherwise), then applies the event. */
  async act(principal: Principal, id: string, event: BookingEvent): Promise<Booking> {
    const actor: ActorRef = { role: principal.role, id: principal.userId };
    try {
      return await this.transitionById(id, event, actor, (row) => {
        if (!this.canSee(principal, row.patient_id, row.owner_id)) throw notFound('The booking');
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
  private async refuseIfArchived(principal: Principal, id: string): Promise<void> {
    const archived = await this.d.archive?.get(id);
    if (archived && this.canSee(principal, archived.booking.patient_id, archived.booking.owner_id)) {
      throw new DomainError(
        'INVALID_TRANSITION',
        `This booking is ${archived.booking.status} and archived; it cannot be changed.`,
      );
    }
  }

  /** The system (jobs, webhooks) applying an event; returns null when it no longer applies. */
  async system(id: string, event: BookingEvent, extra: Partial<BookingRow> = {}): Promise<Booking | null> {
    try {
      return await this.transitionById(id, event, SYSTEM, () => {}, extra);
    } catch (err) {
      if (err instanceof DomainError && err.code === 'INVALID_TRANSITION') return null;
      throw err;
    }
  }

  async reschedule(
    principal: Principal,
    id: string,
    start: string,
    reason: string | undefined,
  ): Promise<Booking> {
    const old = await this.d.repo.byId(id);
    if (!old) await this.refuseIfArchived(principal, id);
    if (!old || !this.canSee(principal, old.patient_id, old.owner_id)) throw notFound('The booking');
    if (old.status !== 'confirmed') {
      throw new DomainError(
        'INVALID_TRANSITION',
        'Only a confirmed booking can be rescheduled; cancel a hold and book again.',
      );
    }
    const listing = await this.d.providers.get(null, old.provider_id);
    const next = this.newBooking({ ...principal, userId: old.patient_id }, listing, {
      providerId: old.provider_id,
      serviceId: old.service_id,
      start,
      reasonForVisit: old.reason_for_visit,
      newPatient: old.new_patient === 1,
    });
    // The new booking takes over the old one's payment: it is confirmed from the start.
    const carried: BookingRow = {
      ...next,
      status: 'confirmed',
      hold_expires_at: null,
      price_cents: old.price_cents,
      currency: old.currency,
      payment_intent_id: old.payment_intent_id,
      payment_client_secret: old.payment_client_secret,
      payment_checkout_url: null,
      payment_status: old.payment_status,
      rescheduled_from: old.id,
    };
    const units = unitsOf(Date.parse(carried.block_start_at), Date.parse(carried.block_end_at));
    const actor: ActorRef = { role: principal.role, id: principal.userId };
    try {
      await withLockRetries(() =>
        this.d.db.transaction().execute(async (trx) => {
          const current = await this.d.repo.byId(id, trx);
          if (!current || current.version !== old.version) throw new StaleBooking();
          // Cancel first (checks the patient's window and frees the old time), then claim the new time.
          await applyTransition(
            trx,
            this.d,
            current,
            { type: 'cancel', reason: reason ?? 'Rescheduled' },
            actor,
            {
              rescheduled_to: carried.id,
              payment_status: current.payment_status,
            },
          );
          await this.d.repo.insert(carried, trx);
          await this.d.repo.addHistory(
            {
              booking_id: carried.id,
              at: carried.created_at,
              from_status: null,
              to_status: 'confirmed',
              actor_role: actor.role,
              actor_id: actor.id,
              reason: `Rescheduled from ${old.id}`,
            },
            trx,
          );
          try {
            await this.d.repo.claim(carried.provider_id, carried.id, units, trx);
          } catch (err) {
            if (isUniqueViolation(err)) throw new SlotTaken();
            throw err;
          }
          await appendBookingEvent(trx, 'booking.created', carried, null, `Rescheduled from ${old.id}`);
        }),
      );
    } catch (err) {
      if (err instanceof SlotTaken)
        throw new DomainError('SLOT_TAKEN', 'That time is no longer free; the booking was not changed.');
      if (err instanceof StaleBooking)
        throw new DomainError('CONFLICT', 'The booking changed meanwhile; reload and try again.');
      throw err;
    }
    await this.d.changed([old.id, carried.id]);
    return this.read(carried.id);
  }

  async read(id: string): Promise<Booking> {
    const row = await this.d.repo.byId(id);
    if (!row) throw notFound('The booking');
    return toBooking(row, await this.d.repo.history(id));
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
        const { row, effects } = await withLockRetries(() =>
          this.d.db.transaction().execute(async (trx) => {
            const current = await this.d.repo.byId(id, trx);
            if (!current) throw notFound('The booking');
            guard(current);
            return applyTransition(trx, this.d, current, event, actor, extra);
          }),
        );
        await this.d.changed([id]);
        if (effects.includes('cancel_payment') && row.payment_intent_id) {
          await this.d.payments.cancelIntent(row.payment_intent_id).catch(() => undefined);
        }
        if (effects.includes('refund')) await this.refund(row);
        return this.read(id);
      } catch (err) {
        if (err instanceof StaleBooking && attempt < 3) continue;
        throw err;
      }
    }
  }

  /** Refunds a paid booking in full; the lifecycle job retries any left `refund_pending`. */
  async refund(row: BookingRow): Promise<void> {
    if (!row.payment_intent_id || row.price_cents === 0) return;
    try {
      await this.d.payments.refund({
        paymentIntentId: row.payment_intent_id,
        idempotencyKey: `refund:${row.id}`,
        reason: 'requested_by_customer',
      });
      await this.d.db
        .updateTable('bookings')
        .set({ payment_status: 'refunded' })
        .where('id', '=', row.id)
        .where('payment_status', '=', 'refund_pending')
        .execute();
    } catch {
      // left refund_pending: retried by the lifecycle job
    }
  }

  private async startPayment(row: BookingRow): Promise<Booking> {
    let intent: Awaited<ReturnType<PaymentsPort['createIntent']>>;
    try {
      intent = await this.d.payments.createIntent({
        bookingId: row.id,
        amountCents: row.price_cents,
        currency: row.currency,
        description: `${row.service_name} with ${row.provider_name}`,
        idempotencyKey: `booking:${row.id}`,
      });
    } catch (err) {
      await this.system(row.id, { type: 'cancel', reason: 'The payment service is unavailable' });
      throw new DomainError(
        'SERVICE_UNAVAILABLE',
        'Payments are unavailable right now, so the time was not held. Please try again shortly.',
        { retryAfterSeconds: (err instanceof DomainError && err.extras.retryAfterSeconds) || 30 },
      );
    }
    const booking = await this.system(
      row.id,
      { type: 'require_payment' },
      {
        payment_intent_id: intent.id,
        payment_client_secret: intent.clientSecret,
        payment_checkout_url: intent.checkoutUrl,
        payment_status: intent.status,
      },
    );
    return booking ?? this.read(row.id);
  }

  private async replay(userId: string, key: string, hash: string): Promise<Booking | null> {
    const existing = await this.d.db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('user_id', '=', userId)
      .where('idem_key', '=', key)
      .executeTakeFirst();
    if (!existing) return null;
    if (existing.request_hash !== hash) {
      throw new DomainError(
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was already used for a different booking request.',
      );
    }
    return existing.response_body
      ? (JSON.parse(existing.response_body) as Booking)
      : this.read(existing.booking_id);
  }

  private newBooking(principal: Principal, listing: Listing, body: CreateBookingBody): BookingRow {
    const service = listing.services.find((s) => s.id === body.serviceId && s.active);
    if (!service) throw notFound('The service');
    if (body.newPatient && !listing.acceptingNewPatients) {
      throw new DomainError('NOT_BOOKABLE', `${listing.name} is not accepting new patients at the moment.`);
    }
    const start = Date.parse(body.start);
    const now = this.d.clock.now().getTime();
    const { cancellationWindowHours, ...schedule } = listing.schedule;
    const offered = computeSlots({
      schedule: { ...schedule, timeZone: listing.timeZone },
      service,
      busy: [],
      now,
      from: start,
      to: start + 1,
    });
    if (offered[0]?.start !== start || start % UNIT_MS !== 0) {
      throw new DomainError(
        'NOT_BOOKABLE',
        'That start time is not one of the bookable slots (check opening hours, notice and horizon).',
      );
    }
    const end = start + service.durationMinutes * MINUTE;
    const at = toDbTime(new Date(now));
    return {
      id: newId(),
      patient_id: principal.userId,
      provider_id: listing.id,
      owner_id: listing.ownerId,
      service_id: service.id,
      provider_name: listing.name,
      service_name: service.name,
      time_zone: listing.timeZone,
      start_at: toDbTime(new Date(start)),
      end_at: toDbTime(new Date(end)),
      block_start_at: toDbTime(new Date(start - service.bufferBeforeMinutes * MINUTE)),
      block_end_at: toDbTime(new Date(end + service.bufferAfterMinutes * MINUTE)),
      status: 'pending',
      price_cents: service.priceCents,
      currency: service.currency,
      reason_for_visit: body.reasonForVisit.trim(),
      new_patient: body.newPatient ? 1 : 0,
      cancellation_window_hours: cancellationWindowHours,
      hold_expires_at: toDbTime(new Date(now + this.d.holdMinutes * MINUTE)),
      payment_intent_id: null,
      payment_client_secret: null,
      payment_checkout_url: null,
      payment_status: null,
      refunded_cents: 0,
      rescheduled_from: null,
      rescheduled_to: null,
      reminder_sent_at: null,
      version: 1,
      created_at: at,
      updated_at: at,
    };
  }

  private canSee(principal: Principal, patientId: string, ownerId: string | null): boolean {
    if (principal.role === 'admin') return true;
    if (principal.role === 'patient') return principal.userId === patientId;
    return principal.actsForProviderId !== null && principal.actsForProviderId === ownerId;
  }
}

const SYSTEM: ActorRef = { role: 'system', id: null };
