import { type Photo, specialtyByCode } from '@carebook/contracts';
import type { Gender, Rating, VisitType } from '@carebook/search-engine';
import type { SearchDoc } from '../../ports/search-index';
import type { ProviderRow, ServiceRow } from '../providers/listing-mapper';

/** The listing columns search needs (bio, address and documents are never read). */
export const SEARCH_ROW_COLUMNS = [
  'id',
  'name',
  'kind',
  'specialties',
  'conditions',
  'languages',
  'insurance',
  'gender',
  'visit_types',
  'accepting_new_patients',
  'city',
  'latitude',
  'longitude',
  'time_zone',
  'schedule',
  'photos',
  'status',
] as const satisfies readonly (keyof ProviderRow)[];
export type SearchRow = Pick<ProviderRow, (typeof SEARCH_ROW_COLUMNS)[number]>;

export const SEARCH_SERVICE_COLUMNS = [
  'provider_id',
  'name',
  'price_cents',
  'duration_minutes',
  'buffer_before_minutes',
  'buffer_after_minutes',
  'active',
] as const satisfies readonly (keyof ServiceRow)[];
export type SearchServiceRow = Pick<ServiceRow, (typeof SEARCH_SERVICE_COLUMNS)[number]>;

/** The listing vocabulary ('in-person', 'non-binary') ↔ the engine's ('in_person', 'nonbinary'). */
export const toEngineVisitType = (v: string): VisitType => (v === 'video' ? 'video' : 'in_person');
export const fromEngineVisitType = (v: string): string => (v === 'in_person' ? 'in-person' : v);
export const toEngineGender = (g: string | null): Gender | null =>
  g === null ? null : g === 'non-binary' ? 'nonbinary' : (g as Gender);
export const fromEngineGender = (g: string): string => (g === 'nonbinary' ? 'non-binary' : g);

const thumbnailOf = (photosJson: string): string | null => {
  const first = (JSON.parse(photosJson) as Photo[])[0];
  return first ? first.variants.thumbnail.webp : null;
};

/**
 * The search document of a published listing. `services` may include withdrawn ones: only active
 * services are searchable and priced. `nextAvailableAt` is epoch ms (see `nextAvailableAt`);
 * `rating` comes from the visible reviews (booking database), null without any.
 */
export function listingToDoc(
  row: SearchRow,
  services: readonly SearchServiceRow[],
  nextAvailableAt: number | null,
  rating: Rating | null,
): SearchDoc {
  const specialties = JSON.parse(row.specialties) as string[];
  const active = services.filter((s) => s.active === 1);
  const prices = active.map((s) => s.price_cents);
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    specialties,
    specialtyNames: specialties.map((code) => specialtyByCode(code)?.name ?? code),
    conditions: JSON.parse(row.conditions) as string[],
    services: [...new Set(active.map((s) => s.name))],
    languages: JSON.parse(row.languages) as string[],
    city: row.city,
    insurance: JSON.parse(row.insurance) as string[],
    gender: toEngineGender(row.gender),
    visitTypes: row.visit_types
      .split(',')
      .filter((v) => v.length > 0)
      .map(toEngineVisitType),
    acceptingNewPatients: row.accepting_new_patients === 1,
    priceMinCents: prices.length > 0 ? Math.min(...prices) : null,
    priceMaxCents: prices.length > 0 ? Math.max(...prices) : null,
    lat: row.latitude,
    lon: row.longitude,
    nextAvailableAt,
    photoThumbnail: thumbnailOf(row.photos),
    rating,
  };
}
