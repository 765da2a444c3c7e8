import { type Static, Type } from '@sinclair/typebox';
import { DateTime, PageQuery, Uuid } from './common';

export const BookingStatus = Type.Union([
  Type.Literal('pending'),
  Type.Literal('payment_pending'),
  Type.Literal('confirmed'),
  Type.Literal('in_progress'),
  Type.Literal('completed'),
  Type.Literal('cancelled'),
  Type.Literal('expired'),
  Type.Literal('no_show'),
]);
export type BookingStatus = Static<typeof BookingStatus>;

export const CreateBookingBody = Type.Object(
  {
    providerId: Uuid,
    serviceId: Uuid,
    start: DateTime,
    reasonForVisit: Type.String({ minLength: 0, maxLength: 1000 }),
    newPatient: Type.Boolean({ description: 'First visit with this provider' }),
  },
  { additionalProperties: false },
);
export type CreateBookingBody = Static<typeof CreateBookingBody>;

export const BookingHistoryEntry = Type.Object({
  at: DateTime,
  from: Type.Union([BookingStatus, Type.Null()]),
  to: BookingStatus,
  actorRole: Type.String({ description: 'patient, provider, staff, admin or system' }),
  actorId: Type.Union([Uuid, Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()]),
});
export type BookingHistoryEntry = Static<typeof BookingHistoryEntry>;

/** What the reader of a booking may do with it right now (the API decides; the web app shows it). */
export const BookingAction = Type.Union([
  Type.Literal('pay'),
  Type.Literal('cancel'),
  Type.Literal('reschedule'),
  Type.Literal('complete'),
  Type.Literal('no_show'),
]);
export type BookingAction = Static<typeof BookingAction>;

export const Booking = Type.Object({
  id: Uuid,
  patientId: Uuid,
  providerId: Uuid,
  providerName: Type.String(),
  serviceId: Uuid,
  serviceName: Type.String(),
  start: DateTime,
  end: DateTime,
  timeZone: Type.String({ description: "The provider's IANA zone" }),
  status: BookingStatus,
  priceCents: Type.Integer(),
  currency: Type.String(),
  reasonForVisit: Type.String({
    description: 'Stored encrypted with the patient’s key; "[erased]" once the patient’s data was erased',
  }),
  newPatient: Type.Boolean(),
  holdExpiresAt: Type.Union([DateTime, Type.Null()]),
  payment: Type.Union([
    Type.Object({
      intentId: Type.String(),
      clientSecret: Type.String({
        description: 'Only for the patient who owns the booking; an empty string for everyone else',
      }),
      checkoutUrl: Type.Union([Type.String(), Type.Null()]),
      status: Type.String(),
    }),
    Type.Null(),
  ]),
  seriesId: Type.Optional(
    Type.String({
      format: 'uuid',
      description:
        'On a date of a paid series awaiting its payment (a single booking read): the series whose one payment, for every date, this booking’s payment is',
    }),
  ),
  rescheduledFrom: Type.Union([Uuid, Type.Null()]),
  rescheduledTo: Type.Union([Uuid, Type.Null()]),
  version: Type.Integer(),
  history: Type.Array(BookingHistoryEntry),
  createdAt: DateTime,
  updatedAt: DateTime,
  cancellationDeadline: Type.Optional(
    Type.Union([DateTime, Type.Null()], {
      description: 'Until when the patient may cancel (or reschedule) a confirmed booking; null otherwise',
    }),
  ),
  allowedActions: Type.Optional(
    Type.Array(BookingAction, {
      description: 'What the signed-in reader may do now (present on every answer of the bookings API)',
    }),
  ),
});
export type Booking = Static<typeof Booking>;

export const BookingListQuery = Type.Object(
  {
    ...PageQuery,
    status: Type.Optional(BookingStatus),
    when: Type.Optional(Type.Union([Type.Literal('upcoming'), Type.Literal('past')])),
    providerId: Type.Optional(Uuid),
    updatedSince: Type.Optional(
      Type.String({
        format: 'date-time',
        description: 'Only bookings changed after this instant (catch-up after a reconnect)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type BookingListQuery = Static<typeof BookingListQuery>;

export const ReasonedActionBody = Type.Object(
  { reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) },
  { additionalProperties: false },
);
export const RescheduleBody = Type.Object(
  { start: DateTime, reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })) },
  { additionalProperties: false },
);

/** Payload of every `booking.*` event (`booking.created`, `booking.status_changed`, ...). */
export const BookingEventPayload = Type.Object({
  bookingId: Uuid,
  patientId: Uuid,
  providerId: Uuid,
  ownerId: Uuid,
  from: Type.Union([BookingStatus, Type.Null()]),
  to: BookingStatus,
  start: DateTime,
  end: DateTime,
  version: Type.Integer(),
  reason: Type.Union([Type.String(), Type.Null()]),
});
export type BookingEventPayload = Static<typeof BookingEventPayload>;

/** How the web app takes payments on this deployment (`GET /api/v1/payments/config`). */
export const PaymentsConfig = Type.Union(
  [
    Type.Object(
      { provider: Type.Literal('simulated', { description: 'The built-in checkout (embedded profile)' }) },
      { additionalProperties: false },
    ),
    Type.Object(
      {
        provider: Type.Literal('stripe'),
        publishableKey: Type.String({ description: 'For Stripe.js; card details go to Stripe directly' }),
      },
      { additionalProperties: false },
    ),
  ],
  { description: 'The payment provider the web checkout talks to' },
);
export type PaymentsConfig = Static<typeof PaymentsConfig>;
