import { type Static, Type } from '@sinclair/typebox';
import { Booking } from './bookings';
import { DateTime, Uuid } from './common';

const LocalDate = Type.String({
  format: 'date',
  description: 'A local date (YYYY-MM-DD) in the listing’s zone',
});
export const Weekday = Type.Union(
  ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'].map((d) => Type.Literal(d)),
  { description: 'A weekday' },
);
export const DayPart = Type.Union(
  [Type.Literal('any'), Type.Literal('morning'), Type.Literal('afternoon'), Type.Literal('evening')],
  {
    description:
      'Part of the day in the listing’s zone: morning < 12:00, afternoon 12:00–17:00, evening ≥ 17:00',
  },
);
export type DayPart = Static<typeof DayPart>;

/** "Any weekday morning in the next two weeks": local dates and times in the listing's zone. */
export const WaitlistWindow = Type.Object(
  {
    fromDate: LocalDate,
    toDate: LocalDate,
    weekdays: Type.Optional(Type.Array(Weekday, { minItems: 1, maxItems: 7, uniqueItems: true })),
    dayPart: Type.Optional(DayPart),
  },
  { additionalProperties: false },
);
export type WaitlistWindow = Static<typeof WaitlistWindow>;

/** Join a listing's waitlist for one service: give a window, or one of your bookings to beat. */
export const WaitlistJoin = Type.Object(
  {
    providerId: Uuid,
    serviceId: Uuid,
    window: Type.Optional(WaitlistWindow),
    earlierThanBookingId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
export type WaitlistJoin = Static<typeof WaitlistJoin>;

export const WaitlistOfferStatus = Type.Union([
  Type.Literal('offered'),
  Type.Literal('accepted'),
  Type.Literal('declined'),
  Type.Literal('expired'),
]);

/** A time held for you: accept it before `expiresAt`, or decline it for the next patient. */
export const WaitlistOffer = Type.Object({
  id: Uuid,
  entryId: Uuid,
  bookingId: Uuid,
  start: DateTime,
  end: DateTime,
  timeZone: Type.String({ description: 'The listing’s IANA zone' }),
  expiresAt: DateTime,
  status: WaitlistOfferStatus,
});
export type WaitlistOffer = Static<typeof WaitlistOffer>;

export const WaitlistEntryStatus = Type.Union([
  Type.Literal('waiting'),
  Type.Literal('offered'),
  Type.Literal('booked'),
  Type.Literal('left'),
]);

export const WaitlistEntry = Type.Object({
  id: Uuid,
  providerId: Uuid,
  providerName: Type.String(),
  serviceId: Uuid,
  serviceName: Type.String(),
  timeZone: Type.String(),
  window: Type.Union([WaitlistWindow, Type.Null()]),
  earlierThanBookingId: Type.Union([Uuid, Type.Null()]),
  status: WaitlistEntryStatus,
  createdAt: DateTime,
  /** The live offer, if there is one. */
  offer: Type.Union([WaitlistOffer, Type.Null()]),
});
export type WaitlistEntry = Static<typeof WaitlistEntry>;

export const WaitlistList = Type.Object({ items: Type.Array(WaitlistEntry) });
export type WaitlistList = Static<typeof WaitlistList>;

/** The body of accept and decline: nothing to say but the choice (send `{}`). */
export const WaitlistOfferAction = Type.Object({}, { additionalProperties: false });

/** What accepting an offer gives: the booking (confirmed, or awaiting its payment). */
export const WaitlistAccepted = Type.Object({ offer: WaitlistOffer, booking: Booking });
export type WaitlistAccepted = Static<typeof WaitlistAccepted>;

/** Payload of `waitlist.offered`: who was offered what, until when. */
export const WaitlistOfferedPayload = Type.Object({
  offerId: Uuid,
  entryId: Uuid,
  bookingId: Uuid,
  patientId: Uuid,
  providerId: Uuid,
  ownerId: Uuid,
  start: DateTime,
  end: DateTime,
  expiresAt: DateTime,
});
export type WaitlistOfferedPayload = Static<typeof WaitlistOfferedPayload>;
