import type {
  Booking,
  CarebookEvent,
  WaitlistAccepted,
  WaitlistEntry,
  WaitlistJoin,
} from '@carebook/contracts';
import type { FastifyBaseLogger } from 'fastify';
import { idInBucketOf } from '../../db/shards/buckets';
import { DomainError, notFound } from '../../domain/errors';
import type { Principal } from '../../lib/request-meta';
import type { BusyTimeReader } from '../../ports/busy-time';
import { type Clock, toDbTime } from '../../ports/clock';
import { assertCan, assertEmailVerified } from '../auth/permissions';
import { isLocalDate } from '../availability/domain/validate';
import type { Bookings } from '../bookings/booking-shards';
import type { ProvidersService } from '../providers/providers.service';
import { weekdayMask } from './domain/window';
import type { EntryRow, OfferRow } from './waitlist.repository';
import { WaitlistMatcher } from './waitlist-matcher';
import type { WaitlistShards, WaitlistStore } from './waitlist-shards';
import { entryView, offerView } from './waitlist-views';

export interface WaitlistDeps {
  /** The waitlist tables of every booking database (a listing's line is on its provider's). */
  shards: WaitlistShards;
  bookings: Bookings;
  providers: ProvidersService;
  busy: BusyTimeReader;
  clock: Clock;
  /** How long an offer's hold lasts (WAITLIST_OFFER_MINUTES). */
  offerMinutes: number;
  /** After an offer commits: nudge the booking outbox relay. */
  changed: () => void;
  log: Pick<FastifyBaseLogger, 'warn'>;
}

const closed = () =>
  new DomainError('WAITLIST_OFFER_CLOSED', 'This offer is no longer open; you are still on the waitlist.');

/**
 * The waitlist: patients wait in line per listing (oldest first); when a matching time is free,
 * the first in line gets it held for them (a booking-service hold, so the claims table decides
 * races with ordinary bookings) and accepts, declines or lets it run out.
 */
export class WaitlistService {
  /** One matcher per booking database, by its index. */
  private readonly matchers: WaitlistMatcher[];

  constructor(private readonly d: WaitlistDeps) {
    this.matchers = d.shards.stores.map(
      (store) => new WaitlistMatcher({ ...d, db: store.db, repo: store.repo }),
    );
  }

  async join(principal: Principal, body: WaitlistJoin): Promise<WaitlistEntry> {
    assertCan(principal.role, 'booking.create');
    // Offers book in the patient's name later on: only a confirmed address may wait for one.
    assertEmailVerified(principal);
    if (!body.window === !body.earlierThanBookingId)
      throw invalid('/body', 'give either a window or earlierThanBookingId');
    const listing = await this.d.providers.get(null, body.providerId);
    if (!listing.services.some((s) => s.id === body.serviceId && s.active)) throw notFound('The service');
    const w = body.window;
    if (w && (!isLocalDate(w.fromDate) || !isLocalDate(w.toDate) || w.toDate < w.fromDate))
      throw invalid('/body/window/toDate', 'must be a date on or after fromDate');
    if (body.earlierThanBookingId) {
      const b = await this.d.bookings.get(principal, body.earlierThanBookingId);
      if (b.patientId !== principal.userId || b.status !== 'confirmed')
        throw invalid('/body/earlierThanBookingId', 'must be one of your confirmed bookings');
      if (b.providerId !== body.providerId || b.serviceId !== body.serviceId)
        throw invalid('/body/earlierThanBookingId', 'must be a booking of this listing and service');
    }
    const at = toDbTime(this.d.clock.now());
    const store = await this.d.shards.forProvider(listing.id);
    const row: EntryRow = {
      // Carries the provider's bucket, so a command on the entry finds its database.
      id: idInBucketOf(listing.id),
      patient_id: principal.userId,
      provider_id: listing.id,
      owner_id: listing.ownerId,
      service_id: body.serviceId,
      from_date: w?.fromDate ?? null,
      to_date: w?.toDate ?? null,
      weekdays: weekdayMask(w?.weekdays),
      day_part: w?.dayPart ?? 'any',
      earlier_than_booking_id: body.earlierThanBookingId ?? null,
      status: 'waiting',
      created_at: at,
      updated_at: at,
    };
    await store.repo.insertEntry(row);
    // A matching time that is free already is offered at once.
    await this.match(listing.id);
    return entryView(listing, (await store.repo.entry(row.id)) ?? row, await this.openOfferOf(store, row.id));
  }

  /** The patient's entries on every booking database, oldest first. */
  async list(principal: Principal): Promise<WaitlistEntry[]> {
    const out: WaitlistEntry[] = [];
    for (const { entry, offer } of await this.d.shards.entriesOf(principal.userId)) {
      const listing = await this.d.providers.get(null, entry.provider_id).catch(() => null);
      if (listing) out.push(entryView(listing, entry, offer));
    }
    return out;
  }

  /** Leaves the line; an open offer is declined (its time goes to the next patient). */
  async leave(principal: Principal, id: string): Promise<void> {
    const found = await this.d.shards.entry(id);
    if (!found || found.entry.patient_id !== principal.userId) throw notFound('The waitlist entry');
    const offer = await this.openOfferOf(found.store, id);
    if (offer) await this.decline(principal, offer.id);
    await found.store.repo.leave(id, toDbTime(this.d.clock.now()));
  }

  /**
   * Accepts an open offer: a free time is booked; a paid one awaits its payment (the `pay` action).
   * "Earlier than my booking" moves that booking into the held time instead (`acceptMove`).
   */
  async accept(principal: Principal, offerId: string): Promise<WaitlistAccepted> {
    const { store, offer, entry } = await this.ownOffer(principal, offerId);
    if (offer.status !== 'offered') throw closed();
    const later = entry.earlier_than_booking_id
      ? await this.d.bookings.read(entry.earlier_than_booking_id).catch(() => null)
      : null;
    if (later?.status === 'confirmed') return this.acceptMove(principal, store, offer, entry, later);
    await this.d.bookings.confirmHold(principal, offer.booking_id);
    // The booking as stored (not a cached copy): what the accept actually achieved.
    const booking = await this.d.bookings.read(offer.booking_id);
    const at = toDbTime(this.d.clock.now());
    const held = booking.priceCents > 0 ? ['pending', 'payment_pending'] : ['confirmed'];
    if (!held.includes(booking.status)) {
      // The hold ran out (or was dropped) first: the entry waits again, and the time goes on.
      await this.holdEnded(store, offer, entry);
      throw closed();
    }
    await store.repo.closeOffer(offer.id, 'accepted', 'booked', at);
    const listing = await this.d.providers.get(null, entry.provider_id);
    return { offer: offerView(listing, { ...offer, status: 'accepted' }, entry.service_id), booking };
  }

  /**
   * "Earlier than my booking": the booking moves into the held time as an ordinary reschedule
   * (linked rows, history, events; it keeps its payment), with the offer closed in the same
   * transaction. Refused, nothing changes; inside the booking's cancellation window it can never
   * move, so the held time goes to the next in line and the entry leaves the line. The booking is
   * the same patient's with the same provider: its transaction is on the offer's database.
   */
  private async acceptMove(
    principal: Principal,
    store: WaitlistStore,
    offer: OfferRow,
    entry: EntryRow,
    later: Booking,
  ): Promise<WaitlistAccepted> {
    const at = toDbTime(this.d.clock.now());
    let booking: Booking;
    try {
      booking = await this.d.bookings.moveIntoHold(
        principal,
        later.id,
        offer.booking_id,
        'moved to an earlier time from the waitlist',
        async (trx) => {
          if (!(await store.repo.closeOfferIn(trx, offer.id, 'accepted', 'booked', at))) throw closed();
        },
      );
    } catch (err) {
      if (!(err instanceof DomainError)) throw err;
      if (err.code === 'CANCELLATION_WINDOW_PASSED') {
        await this.decline(principal, offer.id).catch(() => undefined);
        await store.repo.leave(entry.id, toDbTime(this.d.clock.now()));
        throw new DomainError(
          'CANCELLATION_WINDOW_PASSED',
          `Your booking on ${later.start} is inside the practice's cancellation window, so it can no longer be moved. It stays as it is; the offered time goes to the next patient and you have left this waitlist.`,
        );
      }
      if (err.code === 'INVALID_TRANSITION') {
        // The hold ran out (or was dropped) meanwhile.
        await this.holdEnded(store, offer, entry);
        throw closed();
      }
      throw err;
    }
    const listing = await this.d.providers.get(null, entry.provider_id);
    return { offer: offerView(listing, { ...offer, status: 'accepted' }, entry.service_id), booking };
  }

  private async holdEnded(store: WaitlistStore, offer: OfferRow, entry: EntryRow): Promise<void> {
    if (await store.repo.closeOffer(offer.id, 'expired', 'waiting', toDbTime(this.d.clock.now())))
      await this.match(entry.provider_id);
  }

  /** Declines an open offer: the hold is released and the time goes to the next in line. */
  async decline(principal: Principal, offerId: string): Promise<void> {
    const { store, offer, entry } = await this.ownOffer(principal, offerId);
    if (!(await store.repo.closeOffer(offer.id, 'declined', 'waiting', toDbTime(this.d.clock.now()))))
      throw closed();
    await this.d.bookings
      .act(principal, offer.booking_id, { type: 'cancel', reason: 'Declined the waitlist offer' })
      .catch((err: unknown) => {
        // Already expired or cancelled: nothing is held any more.
        if (!(err instanceof DomainError && err.code === 'INVALID_TRANSITION')) throw err;
      });
    // The release's event runs the matcher too; this covers a hold that had already ended.
    await this.match(entry.provider_id);
  }

  /**
   * Consumer of the event bus (every instance, `once` delivery): a hold that ended closes its
   * offer (an accepted paid offer that expired unpaid puts its entry back in line); freed time and changed opening hours run the matcher for that listing.
   */
  async handle(event: CarebookEvent): Promise<void> {
    if (event.type === 'booking.status_changed') {
      const { to, bookingId, providerId } = event.payload;
      if (to !== 'cancelled' && to !== 'expired') return;
      // The hold and its offer are both on the provider's database.
      const { repo } = await this.d.shards.forProvider(providerId);
      const offer = await repo.offerOfBooking(bookingId);
      const at = toDbTime(this.d.clock.now());
      if (offer?.status === 'offered') await repo.closeOffer(offer.id, 'expired', 'waiting', at);
      // Accepted but never paid: the patient is back in line, in their place; the time goes on.
      else if (offer?.status === 'accepted' && to === 'expired') await repo.reopenUnpaid(offer.id, at);
      // Also when the offer was closed already: whoever closed it may have run the matcher first.
      await this.match(providerId);
    } else if (event.type === 'provider.availability.changed' || event.type === 'provider.listing.updated') {
      await this.match(event.payload.providerId);
    }
  }

  /** Runs the matcher for one listing (waitlist-matcher.ts): offers free matching times to its line. */
  async match(providerId: string): Promise<number> {
    const store = await this.d.shards.forProvider(providerId);
    return (this.matchers[store.index] as WaitlistMatcher).match(providerId);
  }

  /** An offer of this patient's, its entry and their database (both on the provider's). */
  private async ownOffer(principal: Principal, offerId: string) {
    const found = await this.d.shards.offer(offerId);
    const entry = found && (await found.store.repo.entry(found.offer.entry_id));
    if (!found || !entry || entry.patient_id !== principal.userId) throw notFound('The offer');
    return { store: found.store, offer: found.offer, entry };
  }

  private async openOfferOf(store: WaitlistStore, entryId: string): Promise<OfferRow | null> {
    return (await store.repo.openOffers([entryId]))[0] ?? null;
  }
}

function invalid(path: string, message: string): DomainError {
  return new DomainError('VALIDATION_FAILED', `The waitlist request is not valid: ${path} ${message}.`, {
    errors: [{ path, message }],
  });
}
