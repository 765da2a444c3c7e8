import { type FacetName, type Highlight, tokenize } from '@carebook/search-engine';
import type { estypes } from '@elastic/elasticsearch';
import type { IndexQuery, SearchDoc } from '../../ports/search-index';
import { TEXT_BOOSTS } from './elasticsearch-mapping';

type Q = estypes.QueryDslQueryContainer;
const DAY = 86_400_000;
/** Private-use markers around highlighted terms (OpenSearch 2.19 drops a \u0002 pre-tag). */
const PRE = '\uE000';
const POST = '\uE001';

const FACET_FIELDS: Record<FacetName, string> = {
  specialty: 'specialties',
  language: 'languages',
  insurance: 'insurance.raw',
  gender: 'gender',
  visitType: 'visitTypes',
  acceptingNewPatients: 'acceptingNewPatients',
};
export const FACETS = Object.keys(FACET_FIELDS) as FacetName[];

/** Every word must match some field (one or two typos by length); the last may be a prefix. */
function textQuery(q: string | undefined): Q[] {
  const words = q ? tokenize(q) : [];
  if (words.length === 0) return [];
  const clauses: Q[] = words.map((word, i) => {
    const fuzzy: Q = {
      multi_match: {
        query: word,
        fields: TEXT_BOOSTS,
        type: 'best_fields',
        fuzziness: 'AUTO:4,8',
        prefix_length: 0,
      },
    };
    if (i < words.length - 1) return fuzzy;
    const prefix: Q = {
      multi_match: {
        query: word,
        type: 'bool_prefix',
        fields: ['name.sayt', 'name.sayt._2gram', 'name.sayt._3gram'],
        boost: 0.8,
      },
    };
    const otherPrefix: Q = {
      multi_match: { query: word, type: 'phrase_prefix', fields: TEXT_BOOSTS.slice(1), boost: 0.6 },
    };
    return { bool: { should: [fuzzy, prefix, otherPrefix], minimum_should_match: 1 } };
  });
  // Up to three words all must match; longer queries may miss a quarter (stray words like "near").
  return [{ bool: { should: clauses, minimum_should_match: '3<-25%' } }];
}

function hardFilters(query: IndexQuery): Q[] {
  const out: Q[] = [];
  const f = query.filters ?? {};
  if (query.geo?.radiusKm !== undefined)
    out.push({
      geo_distance: {
        distance: `${query.geo.radiusKm}km`,
        location: { lat: query.geo.lat, lon: query.geo.lon },
      },
    });
  if (query.bbox) {
    const b = query.bbox;
    out.push({
      geo_bounding_box: {
        location: {
          top_left: { lat: b.maxLat, lon: b.minLon },
          bottom_right: { lat: b.minLat, lon: b.maxLon },
        },
      },
    });
  }
  if (f.priceMinCents !== undefined || f.priceMaxCents !== undefined) {
    out.push({ range: { priceMaxCents: { gte: f.priceMinCents ?? 0 } } });
    out.push({ range: { priceMinCents: { lte: f.priceMaxCents ?? Number.MAX_SAFE_INTEGER } } });
  }
  let before = f.availableBefore ?? Number.POSITIVE_INFINITY;
  if (f.availableWithinDays !== undefined) before = Math.min(before, query.now + f.availableWithinDays * DAY);
  if (Number.isFinite(before)) out.push({ range: { nextAvailableAt: { lte: before } } });
  // A listing without reviews has no `rating.average`, so a range leaves it out.
  if (f.minRating !== undefined) out.push({ range: { 'rating.average': { gte: f.minRating } } });
  return out;
}

/** The multi-select filters, one per facet, so each facet's count can leave its own out. */
function facetFilters(query: IndexQuery): Partial<Record<FacetName, Q>> {
  const f = query.filters ?? {};
  const out: Partial<Record<FacetName, Q>> = {};
  if (f.specialties?.length) out.specialty = { terms: { specialties: f.specialties } };
  if (f.languages?.length) out.language = { terms: { languages: f.languages } };
  if (f.insurance?.length) out.insurance = { terms: { 'insurance.raw': f.insurance } };
  if (f.visitTypes?.length) out.visitType = { terms: { visitTypes: f.visitTypes } };
  if (f.acceptingNewPatients !== undefined)
    out.acceptingNewPatients = { term: { acceptingNewPatients: f.acceptingNewPatients } };
  if (f.gender?.length) {
    const named = f.gender.filter((g): g is NonNullable<typeof g> => g !== null);
    const should: Q[] = named.length ? [{ terms: { gender: named } }] : [];
    if (f.gender.includes(null)) should.push({ bool: { must_not: { exists: { field: 'gender' } } } });
    out.gender = { bool: { should, minimum_should_match: 1 } };
  }
  return out;
}

function sortOf(query: IndexQuery, hasText: boolean): estypes.Sort {
  const geo: estypes.SortCombinations[] = query.geo
    ? [{ _geo_distance: { location: { lat: query.geo.lat, lon: query.geo.lon }, order: 'asc', unit: 'km' } }]
    : [];
  const soonest: estypes.SortCombinations = { nextAvailableAt: { order: 'asc', missing: '_last' } };
  const mode = query.sort === 'relevance' && !hasText ? (query.geo ? 'distance' : 'soonest') : query.sort;
  if (mode === 'distance') return [...geo, '_score', soonest, { id: 'asc' }];
  if (mode === 'soonest') return [soonest, '_score', ...geo, { id: 'asc' }];
  if (mode === 'rating')
    return [
      { 'rating.average': { order: 'desc', missing: '_last' } },
      { 'rating.count': { order: 'desc', missing: '_last' } },
      '_score',
      ...geo,
      soonest,
      { id: 'asc' },
    ];
  return ['_score', ...geo, soonest, { id: 'asc' }];
}

export function searchRequest(index: string, query: IndexQuery, timeoutMs: number): estypes.SearchRequest {
  const text = textQuery(query.q);
  const facets = facetFilters(query);
  const aggs: Record<string, estypes.AggregationsAggregationContainer> = {};
  for (const name of FACETS) {
    const others = Object.entries(facets)
      .filter(([k]) => k !== name)
      .map(([, q]) => q);
    aggs[name] = {
      filter: { bool: { filter: others } },
      aggs: {
        values: { terms: { field: FACET_FIELDS[name], size: 200 } },
        ...(name === 'gender' ? { missing: { missing: { field: 'gender' } } } : {}),
      },
    };
  }
  const highlightFields = ['name', 'specialtyNames', 'conditions', 'services', 'city', 'insurance'];
  return {
    index,
    from: (query.page - 1) * query.size,
    size: query.size,
    timeout: `${timeoutMs}ms`,
    track_total_hits: true,
    query: { bool: { must: text.length ? text : [{ match_all: {} }], filter: hardFilters(query) } },
    post_filter: { bool: { filter: Object.values(facets) } },
    aggs,
    sort: sortOf(query, text.length > 0),
    ...(text.length
      ? {
          highlight: {
            pre_tags: [PRE],
            post_tags: [POST],
            number_of_fragments: 0,
            require_field_match: false,
            fields: Object.fromEntries(highlightFields.map((f) => [f, {}])),
          },
        }
      : {}),
  };
}

/** Turns ES highlight fragments (whole values with markers) into the engine's offset form. */
export function parseHighlights(
  doc: SearchDoc,
  highlight: Record<string, string[]> | undefined,
): Highlight[] {
  const out: Highlight[] = [];
  for (const [field, fragments] of Object.entries(highlight ?? {})) {
    for (const fragment of fragments) {
      let value = '';
      const offsets: [number, number][] = [];
      let start = -1;
      for (const ch of fragment) {
        if (ch === PRE) start = value.length;
        else if (ch === POST) {
          if (start >= 0) offsets.push([start, value.length]);
          start = -1;
        } else value += ch;
      }
      const stored = (doc as unknown as Record<string, unknown>)[field];
      const index = Array.isArray(stored) ? Math.max(0, stored.indexOf(value)) : 0;
      out.push({ field: field as Highlight['field'], index, value, offsets });
    }
  }
  return out;
}
