export type ProviderKind = 'practitioner' | 'clinic';
export type Gender = 'female' | 'male' | 'nonbinary';
export type VisitType = 'in_person' | 'video';

/** One provider listing as the engine indexes it. */
export interface ProviderDoc {
  id: string;
  name: string;
  kind: ProviderKind;
  /** Specialty codes, e.g. `dermatology`. */
  specialties: string[];
  /** Display names, index-aligned with `specialties`. */
  specialtyNames: string[];
  conditions: string[];
  services: string[];
  /** ISO 639-1 codes. */
  languages: string[];
  city: string;
  insurance: string[];
  gender: Gender | null;
  visitTypes: VisitType[];
  acceptingNewPatients: boolean;
  priceMinCents: number | null;
  priceMaxCents: number | null;
  lat: number;
  lon: number;
  /** Epoch milliseconds of the next bookable slot, or null when none. */
  nextAvailableAt: number | null;
  /** Average of the visible reviews (one decimal, 1–5) and their count; null or absent: none. */
  rating?: Rating | null;
}

export interface Rating {
  average: number;
  count: number;
}

/** Text fields that take part in relevance, in index order. */
export const TEXT_FIELDS = [
  'name',
  'specialties',
  'conditions',
  'services',
  'languages',
  'city',
  'insurance',
] as const;
export type TextField = (typeof TEXT_FIELDS)[number];
export const FIELD_COUNT = TEXT_FIELDS.length;

export interface EngineOptions {
  /** Lay phrase → specialty codes, e.g. `{ 'skin doctor': ['dermatology'] }`. */
  synonyms?: Record<string, string[]>;
  /** Per-field boost multipliers; missing fields use the defaults. */
  boosts?: Partial<Record<TextField, number>>;
  /** BM25 parameters. */
  k1?: number;
  b?: number;
}

export interface SearchFilters {
  /** Any of these specialty codes. */
  specialties?: string[];
  /** Any of these languages. */
  languages?: string[];
  /** Any of these insurers. */
  insurance?: string[];
  /** Any of these genders; `null` selects listings without a gender. */
  gender?: (Gender | null)[];
  /** Any of these visit types. */
  visitTypes?: VisitType[];
  acceptingNewPatients?: boolean;
  /** Price range overlap: listing's [min,max] must intersect [priceMinCents, priceMaxCents]. */
  priceMinCents?: number;
  priceMaxCents?: number;
  /** Next available slot at or before this epoch ms. */
  availableBefore?: number;
  /** Next available slot within N days of `query.now`. */
  availableWithinDays?: number;
  /** Average rating at least this (one decimal); listings without reviews never match. */
  minRating?: number;
}

export interface GeoPoint {
  lat: number;
  lon: number;
  /** When set, only listings within this many kilometres match. */
  radiusKm?: number;
}

export interface BoundingBox {
  minLat: number;
  minLon: number;
  maxLat: number;
  maxLon: number;
}

/** `rating`: highest average first, then most reviews, then relevance; unrated listings last. */
export type SortMode = 'relevance' | 'distance' | 'soonest' | 'rating';
export type FacetName =
  | 'specialty'
  | 'language'
  | 'insurance'
  | 'gender'
  | 'visitType'
  | 'acceptingNewPatients';
export const FACET_NAMES: readonly FacetName[] = [
  'specialty',
  'language',
  'insurance',
  'gender',
  'visitType',
  'acceptingNewPatients',
];

export interface SearchQuery {
  q?: string;
  filters?: SearchFilters;
  /** Epoch ms used for relative filters (`availableWithinDays`). Required when those are used. */
  now?: number;
  geo?: GeoPoint;
  bbox?: BoundingBox;
  sort?: SortMode;
  /** 1-based page number. */
  page?: number;
  size?: number;
  /** `true` for every facet, or a list. Default: none. */
  facets?: boolean | FacetName[];
  /** Default true. */
  highlight?: boolean;
  /** `all` (default): every query word must match. `any`: at least one. */
  match?: 'all' | 'any';
  /** Default true: typo tolerance for words of 4+ letters. */
  typo?: boolean;
  /** Default true: the last word also matches as a prefix (as-you-type). */
  prefix?: boolean;
}

/** Offsets are UTF-16 code-unit `[start, end)` pairs into `value`. */
export interface Highlight {
  field: 'name' | 'specialtyNames' | 'conditions' | 'services' | 'languages' | 'city' | 'insurance';
  /** Array index for array fields, 0 for scalar fields. */
  index: number;
  value: string;
  offsets: [number, number][];
}

export interface SearchHit {
  id: string;
  score: number;
  distanceKm: number | null;
  nextAvailableAt: number | null;
  highlights: Highlight[];
  doc: ProviderDoc;
}

export type FacetCounts = Record<FacetName, Record<string, number>>;

export interface SearchResult {
  total: number;
  page: number;
  size: number;
  hits: SearchHit[];
  facets?: Partial<FacetCounts>;
  /** Query words that match nothing in the index and were ignored. */
  ignoredTerms: string[];
  /** Index version the result was computed against. */
  version: number;
}

export type SuggestionKind = 'name' | 'specialty' | 'condition' | 'city';
export interface Suggestion {
  text: string;
  kind: SuggestionKind;
  /** Listings carrying this value (1 for names). */
  count: number;
  /** Listing id, for `name` suggestions. */
  id?: string;
}
