import type { Listing, WaitlistEntry, WaitlistOffer, WaitlistWindow } from '@carebook/contracts';
import { weekdaysOf } from './domain/window';
import type { EntryRow, OfferRow } from './waitlist.repository';

/** An entry's window (local dates, weekdays, part of the day), or null for "earlier than my booking". */
export function windowOf(e: EntryRow): WaitlistWindow | null {
  return e.from_date && e.to_date
    ? { fromDate: e.from_date, toDate: e.to_date, weekdays: weekdaysOf(e.weekdays), dayPart: e.day_part }
    : null;
}

/** A waitlist entry as its patient sees it, with its open offer. */
export function entryView(listing: Listing, e: EntryRow, offer: OfferRow | null): WaitlistEntry {
  const service = listing.services.find((s) => s.id === e.service_id);
  return {
    id: e.id,
    providerId: e.provider_id,
    providerName: listing.name,
    serviceId: e.service_id,
    serviceName: service?.name ?? '',
    timeZone: listing.timeZone,
    window: windowOf(e),
    earlierThanBookingId: e.earlier_than_booking_id,
    status: e.status,
    createdAt: e.created_at,
    offer: offer ? offerView(listing, offer, e.service_id) : null,
  };
}

/** An offer: the held time, in the listing's zone, and until when it is held. */
export function offerView(listing: Listing, o: OfferRow, serviceId: string): WaitlistOffer {
  const service = listing.services.find((s) => s.id === serviceId);
  const start = Date.parse(o.slot_start);
  return {
    id: o.id,
    entryId: o.entry_id,
    bookingId: o.booking_id,
    start: new Date(start).toISOString(),
    end: new Date(start + (service?.durationMinutes ?? 0) * 60_000).toISOString(),
    timeZone: listing.timeZone,
    expiresAt: o.expires_at,
    status: o.status,
  };
}
