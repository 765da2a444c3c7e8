import { type Static, Type } from '@sinclair/typebox';
import { DateTime, PageQuery, Uuid } from './common';
import { LanguageCode } from './vocabulary/languages';
import { SpecialtyCode } from './vocabulary/specialties';

export const ProviderKind = Type.Union([Type.Literal('practitioner'), Type.Literal('clinic')]);
export const VisitType = Type.Union([Type.Literal('in-person'), Type.Literal('video')]);
export type VisitType = Static<typeof VisitType>;
export const Gender = Type.Union([Type.Literal('female'), Type.Literal('male'), Type.Literal('non-binary')]);
export const ListingStatus = Type.Union([
  Type.Literal('draft'),
  Type.Literal('published'),
  Type.Literal('suspended'),
]);
export type ListingStatus = Static<typeof ListingStatus>;

const Text = (max: number, min = 1) => Type.String({ minLength: min, maxLength: max });

export const Address = Type.Object(
  {
    line1: Text(200),
    city: Text(100),
    region: Type.Optional(Text(100)),
    postcode: Text(20),
    country: Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' }),
  },
  { additionalProperties: false },
);

export const Location = Type.Object(
  {
    lat: Type.Number({ minimum: -90, maximum: 90 }),
    lon: Type.Number({ minimum: -180, maximum: 180 }),
  },
  { additionalProperties: false },
);

// Bookings claim time in 5-minute units, so opening hours sit on that grid too: a slot that
// starts at 22:13 could be offered but never booked.
const Clock = Type.String({
  pattern: '^([01]\\d|2[0-3]):[0-5][05]$|^24:00$',
  description: 'a local time HH:mm on a 5-minute boundary (00:00 to 24:00)',
});
export const LocalInterval = Type.Object({ start: Clock, end: Clock }, { additionalProperties: false });
const Day = Type.Array(LocalInterval, { maxItems: 8 });
export const WeeklyHours = Type.Object(
  { mon: Day, tue: Day, wed: Day, thu: Day, fri: Day, sat: Day, sun: Day },
  { additionalProperties: false },
);

export const Schedule = Type.Object(
  {
    weekly: WeeklyHours,
    overrides: Type.Array(
      Type.Object(
        {
          date: Type.String({ format: 'date', description: 'Local date in the provider zone' }),
          intervals: Type.Array(LocalInterval, { maxItems: 8, description: 'Empty = closed that day' }),
        },
        { additionalProperties: false },
      ),
      { maxItems: 366 },
    ),
    timeOff: Type.Array(Type.Object({ start: DateTime, end: DateTime }, { additionalProperties: false }), {
      maxItems: 200,
    }),
    slotIntervalMinutes: Type.Integer({ minimum: 5, maximum: 240, multipleOf: 5 }),
    minimumNoticeMinutes: Type.Integer({ minimum: 0, maximum: 60 * 24 * 30 }),
    bookingHorizonDays: Type.Integer({ minimum: 1, maximum: 365 }),
    cancellationWindowHours: Type.Integer({
      minimum: 0,
      maximum: 24 * 14,
      description: 'Patients may cancel until this many hours before the start',
    }),
  },
  { additionalProperties: false },
);
export type Schedule = Static<typeof Schedule>;

const Money = {
  priceCents: Type.Integer({ minimum: 0, maximum: 100_000_000, description: '0 = free' }),
  currency: Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217' }),
};

export const ServiceInput = Type.Object(
  {
    name: Text(120, 2),
    description: Type.Optional(Text(2000, 0)),
    durationMinutes: Type.Integer({
      minimum: 5,
      maximum: 480,
      multipleOf: 5,
      description: 'Booked in 5-minute units',
    }),
    ...Money,
    visitType: VisitType,
    bufferBeforeMinutes: Type.Integer({ minimum: 0, maximum: 120, multipleOf: 5 }),
    bufferAfterMinutes: Type.Integer({ minimum: 0, maximum: 120, multipleOf: 5 }),
    active: Type.Optional(Type.Boolean({ default: true })),
  },
  { additionalProperties: false },
);
export type ServiceInput = Static<typeof ServiceInput>;

export const Service = Type.Object({
  id: Uuid,
  providerId: Uuid,
  name: Type.String(),
  description: Type.String(),
  durationMinutes: Type.Integer(),
  priceCents: Type.Integer(),
  currency: Type.String(),
  visitType: VisitType,
  bufferBeforeMinutes: Type.Integer(),
  bufferAfterMinutes: Type.Integer(),
  active: Type.Boolean(),
});
export type Service = Static<typeof Service>;

const listingFields = {
  name: Text(160, 2),
  kind: ProviderKind,
  specialties: Type.Array(SpecialtyCode, { minItems: 1, maxItems: 10, uniqueItems: true }),
  conditions: Type.Array(Text(80), { maxItems: 60 }),
  languages: Type.Array(LanguageCode, { minItems: 1, maxItems: 20, uniqueItems: true }),
  insurance: Type.Array(Text(80), { maxItems: 40, description: 'Normalised to canonical insurer names' }),
  gender: Type.Union([Gender, Type.Null()], { description: 'null for clinics or when not given' }),
  visitTypes: Type.Array(VisitType, { minItems: 1, maxItems: 2, uniqueItems: true }),
  acceptingNewPatients: Type.Boolean(),
  allowsRecurring: Type.Optional(
    Type.Boolean({
      description: 'Patients may book weekly recurring series here (the practice always may); default false',
    }),
  ),
  phone: Type.Optional(
    Type.Union(
      [
        Type.String({ minLength: 5, maxLength: 40, pattern: '^\\+?[0-9][0-9 ().\\/-]{3,38}[0-9]$' }),
        Type.Null(),
      ],
      { description: 'Phone number for patients, e.g. +1 212 555 0142; null or absent when not given' },
    ),
  ),
  bio: Text(4000, 0),
  address: Address,
  location: Location,
  timeZone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. Europe/Berlin' }),
};

export const ListingInput = Type.Object(listingFields, { additionalProperties: false });
export type ListingInput = Static<typeof ListingInput>;

export const PhotoVariant = Type.Object({
  webp: Type.String(),
  jpeg: Type.String(),
  width: Type.Integer(),
  height: Type.Integer(),
});
export const Photo = Type.Object({
  id: Type.String(),
  width: Type.Integer(),
  height: Type.Integer(),
  variants: Type.Object({ thumbnail: PhotoVariant, card: PhotoVariant, full: PhotoVariant }),
});
export type Photo = Static<typeof Photo>;

export const LicenceDocument = Type.Object({
  id: Type.String(),
  name: Type.String(),
  bytes: Type.Integer(),
  uploadedAt: DateTime,
});
export type LicenceDocument = Static<typeof LicenceDocument>;

export const Listing = Type.Object({
  id: Uuid,
  ownerId: Uuid,
  ...listingFields,
  status: ListingStatus,
  photos: Type.Array(Photo),
  documents: Type.Optional(Type.Array(LicenceDocument, { description: 'Owner, staff and admins only' })),
  services: Type.Array(Service),
  schedule: Schedule,
  version: Type.Integer({ minimum: 1 }),
  createdAt: DateTime,
  updatedAt: DateTime,
  publishedAt: Type.Union([DateTime, Type.Null()]),
});
export type Listing = Static<typeof Listing>;

export const ListingSummary = Type.Object({
  id: Uuid,
  ownerId: Uuid,
  name: Type.String(),
  kind: ProviderKind,
  specialties: Type.Array(Type.String()),
  city: Type.String(),
  country: Type.String(),
  status: ListingStatus,
  version: Type.Integer(),
  updatedAt: DateTime,
});
export type ListingSummary = Static<typeof ListingSummary>;

export const ListingListQuery = Type.Object(
  {
    ...PageQuery,
    scope: Type.Optional(
      Type.Union([Type.Literal('public'), Type.Literal('mine')], {
        default: 'public',
        description: 'public: published listings; mine: listings you manage, any status (admins: all)',
      }),
    ),
    status: Type.Optional(ListingStatus),
  },
  { additionalProperties: false },
);
export type ListingListQuery = Static<typeof ListingListQuery>;

export const ServiceParams = Type.Object({ id: Uuid, serviceId: Uuid }, { additionalProperties: false });

export const AvailabilityQuery = Type.Object(
  {
    serviceId: Uuid,
    from: Type.Optional(DateTime),
    to: Type.Optional(DateTime),
    tz: Type.Optional(
      Type.String({ minLength: 1, maxLength: 64, description: 'IANA zone to group days in' }),
    ),
  },
  { additionalProperties: false },
);
export type AvailabilityQuery = Static<typeof AvailabilityQuery>;

export const AvailabilityResponse = Type.Object({
  providerId: Uuid,
  serviceId: Uuid,
  providerTimeZone: Type.String(),
  timeZone: Type.String({ description: 'The zone the days are grouped in' }),
  from: DateTime,
  to: DateTime,
  days: Type.Array(
    Type.Object({
      date: Type.String({ format: 'date' }),
      slots: Type.Array(Type.Object({ start: DateTime, end: DateTime })),
    }),
  ),
});
export type AvailabilityResponse = Static<typeof AvailabilityResponse>;

export const SuspendListingBody = Type.Object({ reason: Text(500, 3) }, { additionalProperties: false });
