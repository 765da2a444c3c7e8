import { type Static, Type } from '@sinclair/typebox';
import { BookingAction, BookingStatus } from './bookings';
import { DateTime, Uuid } from './common';

/** The longest range one schedule read may cover. */
export const PRACTICE_SCHEDULE_MAX_DAYS = 62;

export const PracticeScheduleQuery = Type.Object(
  {
    from: DateTime,
    to: Type.String({
      format: 'date-time',
      description: `Bookings starting before this instant (after from, at most ${PRACTICE_SCHEDULE_MAX_DAYS} days later)`,
    }),
    providerId: Type.Optional(
      Type.String({
        format: 'uuid',
        description: 'One listing; without it, every listing you manage (admins must name one)',
      }),
    ),
  },
  { additionalProperties: false },
);
export type PracticeScheduleQuery = Static<typeof PracticeScheduleQuery>;

/** Who is coming: what the front desk needs to greet and reach the patient. */
export const PracticePatient = Type.Object({
  id: Uuid,
  name: Type.String(),
  email: Type.String(),
  phone: Type.Union([Type.String(), Type.Null()], {
    description: 'The number the patient gave Carebook (E.164), when they gave one',
  }),
});
export type PracticePatient = Static<typeof PracticePatient>;

export const PracticeBooking = Type.Object({
  id: Uuid,
  providerId: Uuid,
  providerName: Type.String(),
  serviceId: Uuid,
  serviceName: Type.String(),
  start: DateTime,
  end: DateTime,
  timeZone: Type.String({ description: "The listing's IANA zone" }),
  status: BookingStatus,
  reasonForVisit: Type.String(),
  newPatient: Type.Boolean({ description: 'The patient said this is their first visit' }),
  patient: PracticePatient,
  version: Type.Integer(),
  allowedActions: Type.Array(BookingAction, { description: 'What the reader may do now' }),
});
export type PracticeBooking = Static<typeof PracticeBooking>;

export const OpenInterval = Type.Object({ start: DateTime, end: DateTime });
export type OpenInterval = Static<typeof OpenInterval>;

export const PracticeListingHours = Type.Object({
  id: Uuid,
  name: Type.String(),
  timeZone: Type.String(),
  open: Type.Array(OpenInterval, {
    description: 'Opening hours in the range (weekly hours or the date override, minus time off), UTC',
  }),
});
export type PracticeListingHours = Static<typeof PracticeListingHours>;

export const PracticeSchedule = Type.Object({
  from: DateTime,
  to: DateTime,
  listings: Type.Array(PracticeListingHours),
  bookings: Type.Array(PracticeBooking, {
    description:
      'Bookings starting in the range, oldest first; cancelled and expired ones are left out (their patients are not shown)',
  }),
  truncated: Type.Boolean({ description: 'More bookings than one answer carries: ask for a shorter range' }),
});
export type PracticeSchedule = Static<typeof PracticeSchedule>;
