import { type Static, type TString, Type } from '@sinclair/typebox';

/**
 * Request schemas of the FHIR R4 facade (`/fhir/R4`) and of the calendar feeds. FHIR resources
 * themselves are validated against the R4 definitions in tests (they are not TypeBox types).
 */

/** A search parameter FHIR lets a client repeat (`start=ge…&start=lt…`). */
const repeatable = (item: TString) => Type.Optional(Type.Union([item, Type.Array(item, { maxItems: 4 })]));
const Token = Type.String({ minLength: 1, maxLength: 200 });
const FhirId = Type.String({ pattern: '^[A-Za-z0-9\\-.]{1,64}$' });

/** Paging and format parameters every search takes. */
export const FhirPaging = {
  _count: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, description: 'Page size (default 20)' })),
  _offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, description: 'Entries to skip' })),
  _format: Type.Optional(Type.String({ maxLength: 40 })),
};

export const FhirIdParams = Type.Object({ id: FhirId }, { additionalProperties: false });

export const FhirDirectorySearch = Type.Object(
  { ...FhirPaging, _id: Type.Optional(FhirId), name: Type.Optional(Token), specialty: Type.Optional(Token) },
  { additionalProperties: false },
);
export type FhirDirectorySearch = Static<typeof FhirDirectorySearch>;

export const FhirScheduleSearch = Type.Object(
  {
    ...FhirPaging,
    _id: Type.Optional(FhirId),
    actor: Type.Optional(Token),
    'service-type': Type.Optional(Token),
    specialty: Type.Optional(Token),
  },
  { additionalProperties: false },
);
export type FhirScheduleSearch = Static<typeof FhirScheduleSearch>;

export const FhirSlotSearch = Type.Object(
  {
    ...FhirPaging,
    schedule: Type.Optional(Token),
    start: repeatable(Type.String({ maxLength: 40, description: 'ge|gt|le|lt|eq + date or dateTime' })),
    status: Type.Optional(Token),
    'service-type': Type.Optional(Token),
  },
  { additionalProperties: false },
);
export type FhirSlotSearch = Static<typeof FhirSlotSearch>;

export const FhirAppointmentSearch = Type.Object(
  {
    ...FhirPaging,
    _id: Type.Optional(FhirId),
    status: Type.Optional(Token),
    date: repeatable(
      Type.String({ maxLength: 40, description: 'ge|gt|le|lt|eq + date or dateTime (start)' }),
    ),
    patient: Type.Optional(Token),
    actor: Type.Optional(Token),
    practitioner: Type.Optional(Token),
    location: Type.Optional(Token),
    'service-type': Type.Optional(Token),
  },
  { additionalProperties: false },
);
export type FhirAppointmentSearch = Static<typeof FhirAppointmentSearch>;

export const FhirPatientSearch = Type.Object(
  { ...FhirPaging, _id: Type.Optional(FhirId) },
  { additionalProperties: false },
);
export type FhirPatientSearch = Static<typeof FhirPatientSearch>;

/** `GET /fhir/$bulk-publish` and its files: the booking-link parameters SMART Scheduling Links defines. */
export const BulkPublishQuery = Type.Object(
  {
    source: Type.Optional(Type.String({ maxLength: 100, pattern: '^[A-Za-z0-9._~-]+$' })),
    'booking-referral': Type.Optional(Type.String({ maxLength: 200, pattern: '^[A-Za-z0-9._~-]+$' })),
  },
  { additionalProperties: false },
);
export type BulkPublishQuery = Static<typeof BulkPublishQuery>;

/** A FHIR operation's input: a `Parameters` resource (validated further by the operation). */
export const FhirParametersBody = Type.Object(
  {
    resourceType: Type.Literal('Parameters'),
    parameter: Type.Optional(
      Type.Array(Type.Object({ name: Type.String({ maxLength: 64 }) }), { maxItems: 30 }),
    ),
  },
  { additionalProperties: true },
);

/** A private calendar feed link (`webcal:`) of the signed-in user. */
export const CalendarFeed = Type.Object({
  url: Type.String({ description: 'https URL of the RFC 5545 feed; keep it secret' }),
  webcalUrl: Type.String({ description: 'The same feed as a webcal: URL, for calendar apps' }),
  createdAt: Type.String({ format: 'date-time' }),
});
export type CalendarFeed = Static<typeof CalendarFeed>;

export const CalendarFeedParams = Type.Object(
  { token: Type.String({ pattern: '^[A-Za-z0-9_-]{32,64}\\.ics$', description: 'The secret token + .ics' }) },
  { additionalProperties: false },
);

/** `Appointment/$find` (IHE ITI-115) as a GET: available appointments for these criteria. */
export const FhirFindQuery = Type.Object(
  {
    _count: FhirPaging._count,
    _offset: FhirPaging._offset,
    _format: FhirPaging._format,
    start: Type.Optional(Type.String({ maxLength: 40, description: 'Earliest start (date or dateTime)' })),
    end: Type.Optional(Type.String({ maxLength: 40, description: 'Latest end (date or dateTime)' })),
    'service-type': Type.Optional(Token),
    specialty: Type.Optional(Token),
    practitioner: Type.Optional(Token),
    organization: Type.Optional(Token),
    location: Type.Optional(Token),
  },
  { additionalProperties: false },
);
export type FhirFindQuery = Static<typeof FhirFindQuery>;

/**
 * The web app's page a booking deep link opens (SMART Scheduling Links `booking-deep-link`), and
 * the query it reads: `provider`, `service`, `start` (ISO instant), optional `source` and
 * `booking-referral`.
 */
export const BOOKING_DEEP_LINK_PATH = '/book/slot';
