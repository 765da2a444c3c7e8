/** Time a provider cannot be booked for, as epoch-ms intervals that already include buffers. */
export interface BusyTimeReader {
  busyIntervals(providerId: string, from: number, to: number): Promise<{ start: number; end: number }[]>;
}

/**
 * Until the bookings module records claims, nothing is held or booked. The bookings module
 * replaces this with a reader of its claims table.
 */
export const noBookingClaimsYet: BusyTimeReader = { busyIntervals: async () => [] };
