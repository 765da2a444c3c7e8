import { FHIR_VERSION, type FhirResource } from './fhir-types';

const paging = [
  { name: '_count', type: 'number', documentation: 'Page size (default 20, at most 100)' },
  { name: '_offset', type: 'number', documentation: 'Entries to skip; follow the Bundle next link instead' },
];
const param = (name: string, type: string, documentation: string) => ({ name, type, documentation });
/** The directory resources' search: by id, name and specialty. */
const directoryParams = (id: string) => [
  param('_id', 'token', id),
  param('name', 'string', 'Name contains'),
  param('specialty', 'token', 'Specialty code'),
];

/** What each resource supports: read and search-type, with these search parameters. */
export const resourceSupport: {
  type: string;
  params: { name: string; type: string; documentation: string }[];
  operations?: string[];
}[] = [
  { type: 'Practitioner', params: directoryParams('Listing id') },
  { type: 'Organization', params: directoryParams('Listing id') },
  { type: 'Location', params: directoryParams('Listing id') },
  { type: 'HealthcareService', params: directoryParams('Service id') },
  {
    type: 'Schedule',
    params: [
      param('_id', 'token', 'Service id (one schedule per listing and service)'),
      param('actor', 'reference', 'Practitioner, Location or HealthcareService'),
      param('service-type', 'token', 'urn:carebook:service|<service id>'),
      param('specialty', 'token', 'urn:carebook:specialty|<code>'),
    ],
  },
  {
    type: 'Slot',
    params: [
      param('schedule', 'reference', 'Schedule/<service id>'),
      param('start', 'date', 'ge, gt, le, lt or eq; default now to 14 days ahead, at most 62 days'),
      param('status', 'token', 'free | busy | busy-unavailable (comma-separated)'),
      param('service-type', 'token', 'urn:carebook:service|<service id>'),
    ],
  },
  {
    type: 'Appointment',
    params: [
      param('_id', 'token', 'Booking id'),
      param('status', 'token', 'Appointment.status (mapped from booking states)'),
      param('date', 'date', 'Appointment.start (ge, gt, le, lt, eq; repeatable)'),
      param('patient', 'reference', 'The patient (Patient/<user id>)'),
      param('actor', 'reference', 'Practitioner, Organization or Location (the listing)'),
      param('practitioner', 'reference', 'The practitioner (Practitioner/<listing id>)'),
      param('location', 'reference', 'The location (Location/<listing id>)'),
      param('service-type', 'token', 'The service (urn:carebook:service|<service id>)'),
    ],
    operations: ['find', 'hold', 'book'],
  },
  { type: 'Patient', params: [param('_id', 'token', 'User id')] },
];

export function capabilityStatement(baseUrl: string): FhirResource {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-12-06',
    publisher: 'Carebook',
    kind: 'instance',
    software: { name: 'Carebook' },
    implementation: { description: 'Carebook FHIR R4 scheduling facade', url: baseUrl },
    fhirVersion: FHIR_VERSION,
    format: ['application/fhir+json'],
    rest: [
      {
        mode: 'server',
        security: {
          description:
            'Send Authorization: Bearer <access token> from POST /api/v1/auth/login. Directory and Slot reads are public.',
        },
        resource: resourceSupport.map((r) => ({
          type: r.type,
          interaction: [{ code: 'read' }, { code: 'search-type' }],
          searchParam: [...r.params, ...paging],
          ...(r.operations
            ? {
                operation: r.operations.map((name) => ({
                  name,
                  definition: `https://profiles.ihe.net/ITI/Scheduling/OperationDefinition/appointment-${name}`,
                })),
              }
            : {}),
        })),
      },
    ],
  };
}
