import { type Static, Type } from '@sinclair/typebox';
import { Booking } from './bookings';
import { DateTime, Uuid } from './common';

export const SERIES_LIMITS = { intervalWeeksMax: 8, occurrencesMax: 52 } as const;

/**
 * A weekly recurring series: the first start, then every `intervalWeeks` weeks at the same local
 * wall-clock time in the listing's time zone (across DST changes), `occurrences` times or until
 * `until` (a local date, inclusive). Patients book where the listing allows it; the practice
 * (provider or staff) books for one of its patients with `patientId`.
 */
export const CreateSeriesBody = Type.Object(
  {
    providerId: Uuid,
    serviceId: Uuid,
    start: DateTime,
    intervalWeeks: Type.Integer({ minimum: 1, maximum: SERIES_LIMITS.intervalWeeksMax, default: 1 }),
    occurrences: Type.Optional(Type.Integer({ minimum: 2, maximum: SERIES_LIMITS.occurrencesMax })),
    until: Type.Optional(
      Type.String({
        format: 'date',
        description: 'Last local date (inclusive) when occurrences is not given',
      }),
    ),
    reasonForVisit: Type.String({ minLength: 0, maxLength: 1000 }),
    newPatient: Type.Boolean({ description: 'First visit with this provider' }),
    patientId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);
export type CreateSeriesBody = Static<typeof CreateSeriesBody>;

export const SeriesOccurrence = Type.Object({
  occurrence: Type.Integer({ minimum: 1 }),
  booking: Booking,
});

export const BookingSeries = Type.Object({
  id: Uuid,
  patientId: Uuid,
  providerId: Uuid,
  serviceId: Uuid,
  providerName: Type.String(),
  serviceName: Type.String(),
  timeZone: Type.String(),
  /** The first occurrence's local start, e.g. 2027-03-03T09:00:00 */
  localStart: Type.String(),
  intervalWeeks: Type.Integer(),
  occurrences: Type.Integer(),
  /** RFC 5545 RRULE of the series, e.g. FREQ=WEEKLY;INTERVAL=1;COUNT=8 */
  rrule: Type.String(),
  items: Type.Array(SeriesOccurrence),
  totalCents: Type.Integer({
    minimum: 0,
    description:
      'Sum of the occurrences’ prices (0 for a free service). A paid series is paid once, for this sum: every occurrence carries the same payment (intent, checkout) until it is confirmed.',
  }),
  currency: Type.String(),
  createdAt: DateTime,
});
export type BookingSeries = Static<typeof BookingSeries>;

export const CancelSeriesBody = Type.Object(
  {
    fromOccurrence: Type.Integer({ minimum: 1, description: 'Cancel this occurrence and every later one' }),
    reason: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type CancelSeriesBody = Static<typeof CancelSeriesBody>;

/** Why one occurrence cannot be booked, and free times that day to choose instead. */
export const SeriesConflict = Type.Object({
  occurrence: Type.Integer({ minimum: 1 }),
  start: DateTime,
  reason: Type.Union([Type.Literal('taken'), Type.Literal('not_bookable')]),
  message: Type.String(),
  alternatives: Type.Array(DateTime),
});
export type SeriesConflict = Static<typeof SeriesConflict>;
