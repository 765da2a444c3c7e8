import type {
  LicenceDocument,
  Listing,
  ListingInput,
  ListingSummary,
  Photo,
  Schedule,
  Service,
  ServiceInput,
} from '@carebook/contracts';
import type { Selectable } from 'kysely';
import type { ProviderServicesTable, ProvidersTable } from '../../db/schema';
import { fromDbTime } from '../../ports/clock';

export type ProviderRow = Selectable<ProvidersTable>;
export type ServiceRow = Selectable<ProviderServicesTable>;
/** A stored licence document: the public shape plus where its bytes live. */
export type StoredDocument = LicenceDocument & { key: string };

const iso = (s: string) => fromDbTime(s).toISOString();

export const parseSchedule = (row: Pick<ProviderRow, 'schedule'>): Schedule =>
  JSON.parse(row.schedule) as Schedule;
export const parseDocuments = (row: Pick<ProviderRow, 'documents'>): StoredDocument[] =>
  JSON.parse(row.documents) as StoredDocument[];

export const toService = (row: ServiceRow): Service => ({
  id: row.id,
  providerId: row.provider_id,
  name: row.name,
  description: row.description,
  durationMinutes: row.duration_minutes,
  priceCents: row.price_cents,
  currency: row.currency,
  visitType: row.visit_type,
  bufferBeforeMinutes: row.buffer_before_minutes,
  bufferAfterMinutes: row.buffer_after_minutes,
  active: row.active === 1,
});

export function toListing(row: ProviderRow, services: ServiceRow[], withDocuments: boolean): Listing {
  return {
    id: row.id,
    ownerId: row.owner_id,
    name: row.name,
    kind: row.kind,
    specialties: JSON.parse(row.specialties) as Listing['specialties'],
    conditions: JSON.parse(row.conditions) as string[],
    languages: JSON.parse(row.languages) as Listing['languages'],
    insurance: JSON.parse(row.insurance) as string[],
    gender: row.gender,
    visitTypes: row.visit_types.split(',') as Listing['visitTypes'],
    acceptingNewPatients: row.accepting_new_patients === 1,
    allowsRecurring: row.allow_recurring === 1,
    phone: row.phone ?? null,
    bio: row.bio,
    address: JSON.parse(row.address) as Listing['address'],
    location: { lat: row.latitude, lon: row.longitude },
    timeZone: row.time_zone,
    status: row.status,
    photos: JSON.parse(row.photos) as Photo[],
    ...(withDocuments ? { documents: parseDocuments(row).map(({ key: _key, ...doc }) => doc) } : {}),
    services: services.map(toService),
    schedule: parseSchedule(row),
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    publishedAt: row.published_at ? iso(row.published_at) : null,
  };
}

export const toSummary = (row: ProviderRow): ListingSummary => ({
  id: row.id,
  ownerId: row.owner_id,
  name: row.name,
  kind: row.kind,
  specialties: JSON.parse(row.specialties) as string[],
  city: row.city,
  country: row.country,
  status: row.status,
  version: row.version,
  updatedAt: iso(row.updated_at),
});

/** The provider-table columns a listing's input fills: one mapping for the API and the demo seed. */
export function listingColumns(input: ListingInput) {
  return {
    name: input.name,
    kind: input.kind,
    specialties: JSON.stringify(input.specialties),
    conditions: JSON.stringify(input.conditions),
    languages: JSON.stringify(input.languages),
    insurance: JSON.stringify(input.insurance),
    gender: input.gender,
    visit_types: input.visitTypes.join(','),
    accepting_new_patients: input.acceptingNewPatients ? 1 : 0,
    allow_recurring: input.allowsRecurring ? 1 : 0,
    phone: input.phone?.trim() || null,
    bio: input.bio,
    address: JSON.stringify(input.address),
    city: input.address.city,
    country: input.address.country,
    latitude: input.location.lat,
    longitude: input.location.lon,
    time_zone: input.timeZone,
  };
}

/** The service-table columns a service input fills: one mapping for the API and the demo seed. */
export function serviceColumns(input: ServiceInput) {
  return {
    name: input.name.trim(),
    description: input.description?.trim() ?? '',
    duration_minutes: input.durationMinutes,
    price_cents: input.priceCents,
    currency: input.currency,
    visit_type: input.visitType,
    buffer_before_minutes: input.bufferBeforeMinutes,
    buffer_after_minutes: input.bufferAfterMinutes,
    active: input.active === false ? 0 : 1,
  };
}
