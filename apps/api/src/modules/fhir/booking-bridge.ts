import type { Booking, BookingListQuery, CreateBookingBody } from '@carebook/contracts';
import type { Principal } from '../../lib/request-meta';
import type { Paged } from '../admin/admin.service';
import type { BookingsService } from '../bookings/bookings.service';

/**
 * The FHIR facade's only coupling to the bookings module: the same public methods the REST
 * routes call, so both share one state machine, one idempotency table and one claims table (the
 * no-double-booking guarantee). Re-point these three lines if the service moves.
 */
export interface FhirBookings {
  /** Holds the time (pending); free services are confirmed at once, paid ones await payment. */
  hold(principal: Principal, body: CreateBookingBody, idempotencyKey: string | undefined): Promise<Booking>;
  get(principal: Principal, id: string): Promise<Booking>;
  list(principal: Principal, query: BookingListQuery): Promise<Paged<Booking>>;
}

export function bookingBridge(bookings: Pick<BookingsService, 'create' | 'get' | 'list'>): FhirBookings {
  return {
    hold: (principal, body, key) => bookings.create(principal, body, key),
    get: (principal, id) => bookings.get(principal, id),
    list: (principal, query) => bookings.list(principal, query),
  };
}
