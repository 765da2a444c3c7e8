import { type Static, Type } from '@sinclair/typebox';
import { BookingEventPayload } from './bookings';
import { DateTime, Uuid } from './common';
import { ListingStatus } from './providers';
import { WaitlistOfferedPayload } from './waitlist';

/** Every event has this envelope; `payload` is per type. Events are delivered at least once. */
const envelope = <T extends string, P extends ReturnType<typeof Type.Object>>(type: T, payload: P) =>
  Type.Object({
    id: Uuid,
    type: Type.Literal(type),
    aggregateId: Uuid,
    occurredAt: DateTime,
    payload,
  });

const ListingPayload = Type.Object({
  providerId: Uuid,
  ownerId: Uuid,
  status: ListingStatus,
  version: Type.Integer({ minimum: 1 }),
});

export const ListingCreated = envelope('provider.listing.created', ListingPayload);
export const ListingUpdated = envelope('provider.listing.updated', ListingPayload);
export const ListingPublished = envelope('provider.listing.published', ListingPayload);
export const ListingUnpublished = envelope('provider.listing.unpublished', ListingPayload);
export const ListingSuspended = envelope('provider.listing.suspended', ListingPayload);
export const AvailabilityChanged = envelope(
  'provider.availability.changed',
  Type.Object({ providerId: Uuid, version: Type.Integer({ minimum: 1 }) }),
);

export const ProviderEvent = Type.Union([
  ListingCreated,
  ListingUpdated,
  ListingPublished,
  ListingUnpublished,
  ListingSuspended,
  AvailabilityChanged,
]);
export type ProviderEvent = Static<typeof ProviderEvent>;
export type ProviderEventType = ProviderEvent['type'];

export const BookingCreated = envelope('booking.created', BookingEventPayload);
export const BookingStatusChanged = envelope('booking.status_changed', BookingEventPayload);
export const BookingReminderDue = envelope('booking.reminder_due', BookingEventPayload);

/** The events of the booking database's outbox (not the transition table's inputs). */
export const BookingDomainEvent = Type.Union([BookingCreated, BookingStatusChanged, BookingReminderDue]);
export type BookingDomainEvent = Static<typeof BookingDomainEvent>;

/**
 * A verified review was written, hidden by a moderator or replied to (booking database outbox):
 * the listing's average rating and count may have changed. No patient data in the payload.
 */
const ReviewPayload = Type.Object({ reviewId: Uuid, providerId: Uuid });
export const ReviewCreated = envelope('review.created', ReviewPayload);
export const ReviewHidden = envelope('review.hidden', ReviewPayload);
export const ReviewReplied = envelope('review.replied', ReviewPayload);
export const ReviewEvent = Type.Union([ReviewCreated, ReviewHidden, ReviewReplied]);
export type ReviewEvent = Static<typeof ReviewEvent>;

/**
 * A person's data was erased (GDPR Art. 17): every instance drops what it holds in memory about
 * them (unwrapped data key, cached bookings, live subscriptions).
 */
export const PrivacyForget = envelope(
  'privacy.forget',
  Type.Object({ userId: Uuid, bookingIds: Type.Array(Uuid) }),
);
export type PrivacyForget = Static<typeof PrivacyForget>;

/**
 * Something about an account changed that its open tabs should show at once (an admin verified
 * the provider). Pushed to that user's WebSockets only; the tab refetches the account.
 */
export const AccountChanged = envelope(
  'account.changed',
  Type.Object({ userId: Uuid, change: Type.Union([Type.Literal('provider_verified')]) }),
);

/** A waiting patient was offered a held time (modules/waitlist); aggregate = the hold booking. */
export const WaitlistOffered = envelope('waitlist.offered', WaitlistOfferedPayload);

/** Every event an outbox may hold and the event bus may carry. */
export const CarebookEvent = Type.Union([
  ProviderEvent,
  BookingDomainEvent,
  ReviewEvent,
  PrivacyForget,
  AccountChanged,
  WaitlistOffered,
]);
export type CarebookEvent = Static<typeof CarebookEvent>;
