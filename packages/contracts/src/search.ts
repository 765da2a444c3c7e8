import { type Static, Type } from '@sinclair/typebox';
import { DateTime, Uuid } from './common';
import { ProviderKind, VisitType } from './providers';
import { LanguageCode } from './vocabulary/languages';
import { SpecialtyCode } from './vocabulary/specialties';

export const SEARCH_LIMITS = {
  qMaxLength: 200,
  radiusKmMax: 500,
  pageMax: 500,
  sizeMax: 50,
  suggestLimitMax: 20,
  availableWithinDaysMax: 365,
} as const;

const many = <T extends Parameters<typeof Type.Array>[0]>(item: T, description: string) =>
  Type.Optional(Type.Array(item, { maxItems: 20, description: `${description} (repeat the parameter)` }));

export const SearchGender = Type.Union([
  Type.Literal('female'),
  Type.Literal('male'),
  Type.Literal('non-binary'),
  Type.Literal('unspecified'),
]);
export const SearchSort = Type.Union([
  Type.Literal('relevance'),
  Type.Literal('distance'),
  Type.Literal('soonest'),
  Type.Literal('rating'),
]);

export const SearchRequest = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: SEARCH_LIMITS.qMaxLength, description: 'Free text' })),
    lat: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })),
    lon: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
    radiusKm: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: SEARCH_LIMITS.radiusKmMax,
        description: 'Needs lat and lon',
      }),
    ),
    bbox: Type.Optional(
      Type.String({ maxLength: 100, description: 'Map view: minLon,minLat,maxLon,maxLat (may cross 180°)' }),
    ),
    specialty: many(SpecialtyCode, 'Any of these specialty codes'),
    language: many(LanguageCode, 'Any of these languages'),
    insurance: many(Type.String({ minLength: 1, maxLength: 80 }), 'Any of these insurers'),
    gender: many(SearchGender, 'Any of these; unspecified = not given'),
    visitType: many(VisitType, 'Any of these visit types'),
    acceptingNewPatients: Type.Optional(Type.Boolean()),
    priceMin: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000, description: 'Cents' })),
    priceMax: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000_000, description: 'Cents' })),
    availableWithinDays: Type.Optional(
      Type.Integer({ minimum: 0, maximum: SEARCH_LIMITS.availableWithinDaysMax }),
    ),
    availableBefore: Type.Optional(DateTime),
    minRating: Type.Optional(
      Type.Number({
        minimum: 1,
        maximum: 5,
        description: 'Average rating of visible reviews at least this; listings without reviews are left out',
      }),
    ),
    sort: Type.Optional(SearchSort),
    page: Type.Optional(Type.Integer({ minimum: 1, maximum: SEARCH_LIMITS.pageMax, default: 1 })),
    size: Type.Optional(Type.Integer({ minimum: 1, maximum: SEARCH_LIMITS.sizeMax, default: 20 })),
  },
  { additionalProperties: false },
);
export type SearchRequest = Static<typeof SearchRequest>;

export const SearchHighlight = Type.Object({
  field: Type.String({
    description: 'name, specialtyNames, conditions, services, languages, city, insurance',
  }),
  index: Type.Integer({ description: 'Position in an array field, 0 otherwise' }),
  value: Type.String(),
  offsets: Type.Array(Type.Tuple([Type.Integer(), Type.Integer()]), {
    description: '[start, end) UTF-16 offsets of matched words in value',
  }),
});

export const SearchResultItem = Type.Object({
  id: Uuid,
  name: Type.String(),
  kind: ProviderKind,
  specialties: Type.Array(Type.Object({ code: Type.String(), name: Type.String() })),
  city: Type.String(),
  acceptingNewPatients: Type.Boolean(),
  distanceKm: Type.Union([Type.Number(), Type.Null()]),
  nextAvailableAt: Type.Union([DateTime, Type.Null()]),
  highlights: Type.Array(SearchHighlight),
  photoThumbnail: Type.Union([Type.String(), Type.Null()], { description: 'Blob key of a thumbnail' }),
  rating: Type.Union(
    [
      Type.Object({
        average: Type.Number({ minimum: 1, maximum: 5, description: 'One decimal' }),
        count: Type.Integer({ minimum: 1 }),
      }),
      Type.Null(),
    ],
    { description: 'Average and count of visible verified reviews; null without any' },
  ),
});
export type SearchResultItem = Static<typeof SearchResultItem>;

const Counts = Type.Record(Type.String(), Type.Integer({ minimum: 1 }));
export const SearchFacets = Type.Object(
  {
    specialty: Counts,
    language: Counts,
    insurance: Counts,
    gender: Counts,
    visitType: Counts,
    acceptingNewPatients: Counts,
  },
  { description: 'Each facet is counted with every filter but its own' },
);

export const SearchInterpretation = Type.Object(
  {
    text: Type.String({ description: 'What was left for the text search after the words below' }),
    specialty: Type.Union([
      Type.Object({ code: Type.String(), name: Type.String(), practitionerTitle: Type.String() }),
      Type.Null(),
    ]),
    condition: Type.Union([Type.String(), Type.Null()], { description: 'A condition treated, as typed' }),
    location: Type.Union([
      Type.Object({
        label: Type.String({ description: 'City name, or "your location"' }),
        lat: Type.Optional(Type.Number()),
        lon: Type.Optional(Type.Number()),
        source: Type.Union([Type.Literal('place'), Type.Literal('postcode'), Type.Literal('near-me')]),
      }),
      Type.Null(),
    ]),
    needsLocation: Type.Boolean({
      description: '"near me" was typed but no lat/lon came with the request',
    }),
  },
  { description: 'How the free text was read: a place after "in" or a postcode, "near me", filler words' },
);
export type SearchInterpretation = Static<typeof SearchInterpretation>;

export const SearchResponse = Type.Object({
  results: Type.Array(SearchResultItem),
  facets: SearchFacets,
  total: Type.Integer({ minimum: 0 }),
  page: Type.Integer({ minimum: 1 }),
  size: Type.Integer({ minimum: 1 }),
  tookMs: Type.Number({
    minimum: 0,
    description:
      'Milliseconds the search took when it was computed; a repeated search is answered from the cache with the same body, this figure included',
  }),
  degraded: Type.Optional(
    Type.Boolean({
      description:
        'true when the search cluster was unreachable and the answer came from the database: plain filters, no typo tolerance, no relevance ranking, no facet counts',
    }),
  ),
  interpreted: Type.Optional(SearchInterpretation),
});
export type SearchResponse = Static<typeof SearchResponse>;

export const SuggestRequest = Type.Object(
  {
    q: Type.String({ minLength: 1, maxLength: 100 }),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: SEARCH_LIMITS.suggestLimitMax, default: 8 })),
  },
  { additionalProperties: false },
);
export type SuggestRequest = Static<typeof SuggestRequest>;

export const SuggestResponse = Type.Object({
  suggestions: Type.Array(
    Type.Object({
      text: Type.String(),
      kind: Type.Union([
        Type.Literal('name'),
        Type.Literal('specialty'),
        Type.Literal('condition'),
        Type.Literal('city'),
      ]),
      count: Type.Integer({ minimum: 0 }),
      id: Type.Optional(Type.String({ description: 'Listing id, for name suggestions' })),
    }),
  ),
});
export type SuggestResponse = Static<typeof SuggestResponse>;
