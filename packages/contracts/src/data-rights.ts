import { type Static, Type } from '@sinclair/typebox';
import { AccessLogEntry } from './admin';
import { PatientProfile, User } from './auth';
import { Booking } from './bookings';
import { DateTime, Uuid } from './common';
import { MessagingPreferences } from './messaging';
import { WaitlistEntryStatus, WaitlistOfferStatus, WaitlistWindow } from './waitlist';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/** `DELETE /api/v1/me`: erasure needs the password again, so a stolen access token alone cannot erase. */
export const DeleteAccountBody = Type.Object(
  { password: Type.String({ minLength: 1, maxLength: 200, description: 'The current password' }) },
  { additionalProperties: false },
);
export type DeleteAccountBody = Static<typeof DeleteAccountBody>;

/** What an erasure did (also the answer of the admin endpoint). */
export const ErasureReport = Type.Object({
  userId: Uuid,
  erasedAt: DateTime,
  bookingsCancelled: Type.Integer({
    minimum: 0,
    description: 'Upcoming bookings cancelled (and refunded when paid)',
  }),
  bookingsKept: Type.Integer({
    minimum: 0,
    description: 'Bookings the practices keep, pseudonymised: times, service, price, status',
  }),
});
export type ErasureReport = Static<typeof ErasureReport>;

export const ExportedSession = Type.Object({
  id: Uuid,
  createdAt: DateTime,
  lastUsedAt: DateTime,
  expiresAt: DateTime,
  revokedAt: Nullable(DateTime),
  revokedReason: Nullable(Type.String()),
  ip: Nullable(Type.String()),
  userAgent: Nullable(Type.String()),
});

export const ExportedPayment = Type.Object({
  bookingId: Uuid,
  intentId: Type.String(),
  status: Type.String(),
  amountCents: Type.Integer(),
  currency: Type.String(),
});

export const ExportedNotification = Type.Object({
  id: Uuid,
  bookingId: Uuid,
  kind: Type.String(),
  title: Type.String(),
  body: Type.String(),
  createdAt: DateTime,
  readAt: Nullable(DateTime),
  emailedAt: Nullable(DateTime),
});

export const ExportedReview = Type.Object({
  id: Uuid,
  bookingId: Uuid,
  providerId: Uuid,
  serviceName: Type.String(),
  rating: Type.Integer(),
  text: Type.String(),
  author: Type.String(),
  createdAt: DateTime,
  reply: Nullable(Type.Object({ text: Type.String(), at: DateTime })),
  hiddenAt: Nullable(DateTime),
});

export const ExportedSms = Type.Object({
  id: Uuid,
  bookingId: Nullable(Uuid),
  toPhone: Type.String(),
  body: Type.String(),
  status: Type.String(),
  createdAt: DateTime,
});

export const ExportedAccountEvent = Type.Object({
  at: DateTime,
  action: Type.String({ description: 'auth.login_succeeded, auth.password_changed, …' }),
  ip: Nullable(Type.String()),
  userAgent: Nullable(Type.String()),
});

export const ExportedWaitlistOffer = Type.Object({
  id: Uuid,
  bookingId: Uuid,
  start: DateTime,
  expiresAt: DateTime,
  status: WaitlistOfferStatus,
  createdAt: DateTime,
});

export const ExportedWaitlistEntry = Type.Object({
  id: Uuid,
  providerId: Uuid,
  serviceId: Uuid,
  window: Nullable(WaitlistWindow),
  earlierThanBookingId: Nullable(Uuid),
  status: WaitlistEntryStatus,
  createdAt: DateTime,
  updatedAt: DateTime,
  offers: Type.Array(ExportedWaitlistOffer, { description: 'Every time held for this entry, oldest first' }),
});

export const ExportedSeries = Type.Object({
  id: Uuid,
  providerId: Uuid,
  serviceId: Uuid,
  timeZone: Type.String({ description: 'The listing’s IANA zone' }),
  localStart: Type.String({ description: 'The first visit’s wall-clock start in timeZone' }),
  intervalWeeks: Type.Integer(),
  occurrences: Type.Integer(),
  createdAt: DateTime,
  bookingIds: Type.Array(Uuid, { description: 'The series’ bookings in order (see bookings)' }),
});

/**
 * `GET /api/v1/me/export` (GDPR Art. 15 and 20): everything Carebook holds about the caller, in
 * one machine-readable document. Secrets are left out (password hash, token hashes, payment client
 * secrets, the calendar feed token).
 */
export const DataExport = Type.Object({
  format: Type.Literal('carebook-export/1'),
  exportedAt: DateTime,
  account: User,
  sessions: Type.Array(ExportedSession),
  bookings: Type.Array(Booking, {
    description:
      'Live and archived bookings with their history, oldest first; `payment` is null here (see payments)',
  }),
  payments: Type.Array(ExportedPayment),
  notifications: Type.Array(ExportedNotification),
  reviews: Type.Array(ExportedReview),
  waitlist: Type.Array(ExportedWaitlistEntry, {
    description: 'Every waitlist the caller joined (also left or booked ones), with the times offered',
  }),
  series: Type.Array(ExportedSeries, { description: 'Recurring series the caller booked, oldest first' }),
  profile: Type.Union([PatientProfile, Type.Null()], {
    description: 'Phone, date of birth and preferred language (patients; null for other roles)',
  }),
  messaging: Type.Object({
    preferences: Nullable(MessagingPreferences),
    sms: Type.Array(ExportedSms),
  }),
  calendarFeed: Nullable(
    Type.Object(
      { createdAt: DateTime },
      { description: 'A private calendar feed exists (its token is a secret)' },
    ),
  ),
  accessLog: Type.Array(AccessLogEntry, { description: 'Who else read your data, newest first' }),
  accountActivity: Type.Array(ExportedAccountEvent, { description: 'Your own sign-ins and account changes' }),
});
export type DataExport = Static<typeof DataExport>;
