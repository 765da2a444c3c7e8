import type { Booking, BookingListQuery, CreateBookingBody } from '@carebook/contracts';
import type { Principal } from '../../lib/request-meta';
import type { Paged } from '../admin/admin.service';
import type { BookingsService } from '../bookings/bookings.service';

/**
 * The FHIR facade's only coupling to the bookings module: the same public methods the REST
 * routes call, so both share one state machine, one idempotency table and one claims table (the
 * no-double-booking guarantee). Re-point these lines if the service moves.
 */
export interface FhirBookings {
  /** Holds the time (pending until it runs out); a paid one starts its payment. */
  hold(principal: Principal, body: CreateBookingBody, idempotencyKey: string | undefined): Promise<Booking>;
  /** Books a held time: a free hold is confirmed; a paid one is booked by its payment. */
  book(principal: Principal, id: string): Promise<Booking>;
  get(principal: Principal, id: string): Promise<Booking>;
  list(principal: Principal, query: BookingListQuery): Promise<Paged<Booking>>;
}

export function bookingBridge(
  bookings: Pick<BookingsService, 'hold' | 'confirmHold' | 'get' | 'list'>,
): FhirBookings {
  return {
    hold: (principal, body, key) => bookings.hold(principal, body, key),
    book: (principal, id) => bookings.confirmHold(principal, id),
    get: (principal, id) => bookings.get(principal, id),
    list: (principal, query) => bookings.list(principal, query),
  };
}
