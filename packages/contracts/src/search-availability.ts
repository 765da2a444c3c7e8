import { type Static, Type } from '@sinclair/typebox';
import { DateTime, Uuid } from './common';

export const AVAILABILITY_STREAM_LIMITS = {
  /** Listings one stream may follow. */
  listingsMax: 50,
  /** Open streams per client address. */
  streamsPerClient: 6,
  /** New streams per client address per minute. */
  opensPerMinute: 30,
} as const;

const UUID_LIST = '^[0-9a-fA-F-]{36}(,[0-9a-fA-F-]{36}){0,49}$';

export const AvailabilityStreamRequest = Type.Object(
  {
    listings: Type.String({
      pattern: UUID_LIST,
      maxLength: 37 * AVAILABILITY_STREAM_LIMITS.listingsMax,
      description: 'Listing ids, comma-separated (at most 50)',
    }),
  },
  { additionalProperties: false },
);
export type AvailabilityStreamRequest = Static<typeof AvailabilityStreamRequest>;

/**
 * One `availability` event of the public stream: a listing's bookable time changed somewhere in
 * [from, to) (a slot was held or booked, or freed by a cancellation, expiry or reschedule).
 * Deliberately says nothing about who or which booking.
 */
export const AvailabilityChange = Type.Object(
  { listingId: Uuid, from: DateTime, to: DateTime },
  { additionalProperties: false },
);
export type AvailabilityChange = Static<typeof AvailabilityChange>;
