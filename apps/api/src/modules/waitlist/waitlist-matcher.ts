import type { Booking, Listing } from '@carebook/contracts';
import type { Kysely } from 'kysely';
import type { BookingDatabase } from '../../db/schema';
import { idInBucketOf } from '../../db/shards/buckets';
import { DomainError } from '../../domain/errors';
import { appendToOutbox } from '../../lib/outbox';
import type { Principal } from '../../lib/request-meta';
import { toDbTime } from '../../ports/clock';
import { computeSlots } from '../availability/domain';
import { withLockRetries } from '../bookings/booking-transitions';
import { searchRange, slotMatches, type WaitWindow } from './domain/window';
import type { EntryRow, OfferRow, WaitlistRepository } from './waitlist.repository';
import type { WaitlistDeps } from './waitlist.service';

/** The matcher of one booking database: its waitlist tables, where its listings' holds are made. */
export type MatcherDeps = Omit<WaitlistDeps, 'shards'> & {
  db: Kysely<BookingDatabase>;
  repo: WaitlistRepository;
};

const DAY = 86_400_000;

/** The patient an offer's hold is made for: the hold is theirs, as if they had asked for it. */
const patientPrincipal = (patientId: string): Principal => ({
  userId: patientId,
  role: 'patient',
  sessionId: 'waitlist',
  actsForProviderId: null,
  // Joining the list required a confirmed address.
  emailVerified: true,
});

/**
 * The waitlist's matcher: for one listing, each waiting entry (oldest first) gets the earliest free
 * matching time it was never offered, held for it (a booking-service hold, so the claims table
 * decides races with ordinary bookings) and recorded as an offer. One per booking database, for
 * the listings whose provider's bucket is there (waitlist-shards.ts).
 */
export class WaitlistMatcher {
  constructor(private readonly d: MatcherDeps) {}

  /**
   * Offers free matching times of one listing to its line, oldest entry first: each waiting entry
   * gets the earliest free slot in its window it was never offered. Safe to run concurrently and
   * again: the hold's Idempotency-Key is `waitlist:<entry>:<offers so far>:<start>`, and the claims table and the
   * offer's conditional insert decide.
   */
  async match(providerId: string): Promise<number> {
    const listing = await this.d.providers.get(null, providerId).catch(() => null);
    if (!listing) return 0;
    let made = 0;
    for (const entry of await this.d.repo.waiting(providerId)) {
      if (await this.offerOne(listing, entry)) made++;
    }
    return made;
  }

  private async offerOne(listing: Listing, entry: EntryRow): Promise<boolean> {
    const service = listing.services.find((s) => s.id === entry.service_id && s.active);
    if (!service) return false;
    const window = await this.windowOf(entry);
    if (!window) return false;
    const now = this.d.clock.now().getTime();
    const range = searchRange(window, now);
    if (!range) return false;
    const { cancellationWindowHours: _p, ...schedule } = listing.schedule;
    const busy = await this.d.busy.busyIntervals(listing.id, range.from - DAY, range.to + DAY);
    const seen = await this.d.repo.offeredStarts(entry.id);
    const slots = computeSlots({
      schedule: { ...schedule, timeZone: listing.timeZone },
      service,
      busy,
      now,
      from: range.from,
      to: range.to,
    }).filter(
      (s) => slotMatches(window, s.start, listing.timeZone) && !seen.has(toDbTime(new Date(s.start))),
    );
    for (const slot of slots) {
      const hold = await this.holdFor(listing.id, service.id, entry, seen.size, slot.start);
      if (hold) return this.record(entry, hold);
    }
    return false;
  }

  /**
   * Holds one slot for an entry, or null. The Idempotency-Key is the same on every instance for the
   * same state of the entry (`waitlist:<entry>:<offers so far>:<start>`): matchers side by side get
   * one hold. A hold made under it and let go without becoming an offer (another matcher gave the
   * entry another time first) must not keep the slot from the entry for good: the key then names
   * the abandoned hold (`…:<hold id>`), alike on every instance, and the slot is held anew.
   */
  private async holdFor(
    providerId: string,
    serviceId: string,
    entry: EntryRow,
    offersSoFar: number,
    slotStart: number,
  ): Promise<Booking | null> {
    const start = new Date(slotStart).toISOString();
    const base = `waitlist:${entry.id}:${offersSoFar}:${start}`;
    let abandoned: string | null = null;
    for (;;) {
      let hold: Booking;
      try {
        hold = await this.d.bookings.hold(
          patientPrincipal(entry.patient_id),
          {
            providerId,
            serviceId,
            start,
            reasonForVisit: 'Offered from the waitlist',
            newPatient: false,
          },
          abandoned ? `${base}:${abandoned}` : base,
          this.d.offerMinutes,
        );
      } catch (err) {
        if (err instanceof DomainError && (err.code === 'SLOT_TAKEN' || err.code === 'NOT_BOOKABLE'))
          return null;
        throw err;
      }
      // A replayed key answers the hold as it was first made: check what it is now.
      const now = await this.d.bookings.read(hold.id);
      if (now.status === 'pending' || now.status === 'payment_pending') return now;
      // It ended as an offer (expired, declined): this entry had the slot already. Or the entry
      // moved on meanwhile (its next turn runs the matcher again).
      if (await this.d.repo.offerOfBooking(hold.id)) return null;
      if ((await this.d.repo.entry(entry.id))?.status !== 'waiting') return null;
      abandoned = hold.id;
    }
  }

  /** The offer, its entry's move to `offered` and the `waitlist.offered` event, in one transaction. */
  private async record(entry: EntryRow, hold: Booking): Promise<boolean> {
    const at = toDbTime(this.d.clock.now());
    const row: OfferRow = {
      // Carries the provider's bucket, so an accept or decline finds the offer's database.
      id: idInBucketOf(entry.provider_id),
      entry_id: entry.id,
      booking_id: hold.id,
      slot_start: toDbTime(new Date(hold.start)),
      expires_at: hold.holdExpiresAt ?? at,
      status: 'offered',
      created_at: at,
      updated_at: at,
    };
    class NotRecorded extends Error {}
    try {
      // Matchers side by side insert offers of one line: on MariaDB their unique-index locks can
      // deadlock, and the loser retries the whole transaction.
      await withLockRetries(() =>
        this.d.db.transaction().execute(async (trx) => {
          if (!(await this.d.repo.addOffer(row, trx))) throw new NotRecorded();
          await appendToOutbox(
            trx,
            {
              type: 'waitlist.offered',
              aggregateType: 'booking',
              aggregateId: hold.id,
              occurredAt: at,
              payload: {
                offerId: row.id,
                entryId: entry.id,
                bookingId: hold.id,
                patientId: entry.patient_id,
                providerId: entry.provider_id,
                ownerId: entry.owner_id,
                start: hold.start,
                end: hold.end,
                expiresAt: row.expires_at,
              },
            },
            'bookings_outbox',
          );
        }),
      );
    } catch (err) {
      if (!(err instanceof NotRecorded)) throw err;
      const existing = await this.d.repo.offerOfBooking(hold.id);
      if (existing) return false; // a redelivery: this hold is already the offer
      // The entry got another offer meanwhile (another instance): let this hold go.
      await this.d.bookings.system(hold.id, { type: 'cancel', reason: 'Waitlist offer not needed' });
      return false;
    }
    this.d.changed();
    return true;
  }

  private async windowOf(entry: EntryRow): Promise<WaitWindow | null> {
    let earlierThan: number | null = null;
    if (entry.earlier_than_booking_id) {
      const b = await this.d.bookings.read(entry.earlier_than_booking_id).catch(() => null);
      if (b?.status !== 'confirmed') return null;
      // Inside its cancellation window the booking can no longer be moved: nothing to offer.
      if (b.cancellationDeadline && Date.parse(b.cancellationDeadline) < this.d.clock.now().getTime())
        return null;
      earlierThan = Date.parse(b.start);
    }
    return {
      fromDate: entry.from_date,
      toDate: entry.to_date,
      weekdays: entry.weekdays,
      dayPart: entry.day_part,
      earlierThan,
    };
  }
}
