import { type Listing, type Service, specialtyByCode } from '@carebook/contracts';
import { type FhirResource, reference, SYSTEMS } from './fhir-types';

/**
 * Listings as FHIR directory resources: a practitioner listing is a `Practitioner`, a clinic an
 * `Organization`; every listing has one `Location`; every active service is a
 * `HealthcareService` and has one `Schedule` (id = the service id, so one per listing and service).
 */

const meta = (l: Listing) => ({ versionId: String(l.version), lastUpdated: l.updatedAt });

export const providerType = (l: Pick<Listing, 'kind'>) =>
  l.kind === 'clinic' ? 'Organization' : 'Practitioner';

export function specialtyConcepts(codes: readonly string[]) {
  return codes.map((code) => ({
    coding: [{ system: SYSTEMS.specialty, code, display: specialtyByCode(code)?.name ?? code }],
  }));
}

export function serviceTypeConcept(service: Pick<Service, 'id' | 'name'>) {
  return {
    coding: [{ system: SYSTEMS.service, code: service.id, display: service.name }],
    text: service.name,
  };
}

function address(l: Listing) {
  return {
    use: 'work',
    type: 'physical',
    line: [l.address.line1],
    city: l.address.city,
    ...(l.address.region ? { state: l.address.region } : {}),
    postalCode: l.address.postcode,
    country: l.address.country,
  };
}

const fhirGender = (g: Listing['gender']) => (g === 'non-binary' ? 'other' : (g ?? undefined));

export function providerResource(l: Listing): FhirResource {
  const common = { id: l.id, meta: meta(l), active: l.status === 'published' };
  if (l.kind === 'clinic') {
    return {
      resourceType: 'Organization',
      ...common,
      type: [
        { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/organization-type', code: 'prov' }] },
      ],
      name: l.name,
      address: [address(l)],
    };
  }
  const gender = fhirGender(l.gender);
  return {
    resourceType: 'Practitioner',
    ...common,
    name: [{ text: l.name }],
    ...(gender ? { gender } : {}),
    address: [address(l)],
    qualification: specialtyConcepts(l.specialties).map((code) => ({ code })),
    communication: l.languages.map((code) => ({ coding: [{ system: SYSTEMS.languages, code }] })),
  };
}

export function locationResource(l: Listing): FhirResource {
  return {
    resourceType: 'Location',
    id: l.id,
    meta: meta(l),
    status: l.status === 'published' ? 'active' : 'inactive',
    name: l.name,
    mode: 'instance',
    address: address(l),
    position: { longitude: l.location.lon, latitude: l.location.lat },
    ...(l.kind === 'clinic' ? { managingOrganization: reference('Organization', l.id, l.name) } : {}),
  };
}

const money = (cents: number, currency: string) => `${(cents / 100).toFixed(2)} ${currency}`;

export function healthcareServiceResource(l: Listing, s: Service): FhirResource {
  return {
    resourceType: 'HealthcareService',
    id: s.id,
    meta: meta(l),
    active: s.active && l.status === 'published',
    ...(l.kind === 'clinic' ? { providedBy: reference('Organization', l.id, l.name) } : {}),
    type: [serviceTypeConcept(s)],
    specialty: specialtyConcepts(l.specialties),
    location: [reference('Location', l.id, l.name)],
    name: s.name,
    ...(s.description ? { comment: s.description } : {}),
    extraDetails: `${s.durationMinutes} minutes, ${s.visitType}, ${s.priceCents === 0 ? 'free' : money(s.priceCents, s.currency)}`,
    communication: l.languages.map((code) => ({ coding: [{ system: SYSTEMS.languages, code }] })),
    appointmentRequired: true,
  };
}

/** Who a schedule or appointment is for, in the reference types Schedule.actor allows. */
export function actorsOf(l: Listing, s: Pick<Service, 'id' | 'name'>) {
  return [
    ...(l.kind === 'practitioner' ? [reference('Practitioner', l.id, l.name)] : []),
    reference('HealthcareService', s.id, s.name),
    reference('Location', l.id, l.name),
  ];
}

export function scheduleResource(
  l: Listing,
  s: Service,
  horizon: { start: string; end: string },
): FhirResource {
  return {
    resourceType: 'Schedule',
    id: s.id,
    meta: meta(l),
    active: s.active && l.status === 'published',
    serviceType: [serviceTypeConcept(s)],
    specialty: specialtyConcepts(l.specialties),
    actor: actorsOf(l, s),
    planningHorizon: horizon,
    comment: `${s.name} with ${l.name} (${l.timeZone})`,
  };
}
