import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FACET_NAMES,
  type FacetCounts,
  haversineKm,
  type ProviderDoc,
  SearchEngine,
  type SearchFilters,
  type SearchQuery,
} from '../src/index';
import { DAY, NOW } from './fixtures';

const SPECS = ['dermatology', 'cardiology', 'paediatrics', 'psychiatry'];
const LANGS = ['de', 'en', 'fr', 'tr'];
const INS = ['AOK', 'TK', 'Barmer'];
const GENDERS = ['female', 'male', 'nonbinary', null] as const;
const VISITS = ['in_person', 'video'] as const;
const WORDS = ['anna', 'weber', 'acne', 'heart', 'clinic', 'berlin', 'munich'];

const subset = <T>(xs: readonly T[]) => fc.subarray([...xs]);
const docArb = (i: number) =>
  fc
    .record({
      words: fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 }),
      specialties: subset(SPECS),
      languages: subset(LANGS),
      insurance: subset(INS),
      gender: fc.constantFrom(...GENDERS),
      visitTypes: subset(VISITS),
      accepting: fc.boolean(),
      price: fc.option(fc.tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 100 }))),
      lat: fc.double({ min: 47, max: 55, noNaN: true }),
      lon: fc.double({ min: 6, max: 15, noNaN: true }),
      next: fc.option(fc.integer({ min: 0, max: 30 })),
      rating: fc.option(fc.tuple(fc.integer({ min: 10, max: 50 }), fc.integer({ min: 1, max: 40 }))),
    })
    .map(
      (r): ProviderDoc => ({
        id: `doc${i}`,
        name: r.words.join(' '),
        kind: 'practitioner',
        specialties: r.specialties,
        specialtyNames: r.specialties.map((s) => s.toUpperCase()),
        conditions: [],
        services: [],
        languages: r.languages,
        city: 'Town',
        insurance: r.insurance,
        gender: r.gender,
        visitTypes: r.visitTypes,
        acceptingNewPatients: r.accepting,
        priceMinCents: r.price ? r.price[0] * 100 : null,
        priceMaxCents: r.price ? (r.price[0] + r.price[1]) * 100 : null,
        lat: r.lat,
        lon: r.lon,
        nextAvailableAt: r.next === null ? null : NOW + r.next * 3_600_000,
        rating: r.rating === null ? null : { average: r.rating[0] / 10, count: r.rating[1] },
      }),
    );

const corpusArb = fc
  .integer({ min: 0, max: 40 })
  .chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => docArb(i))));

const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const filtersArb: fc.Arbitrary<SearchFilters> = fc.record({
  specialties: opt(subset(SPECS)),
  languages: opt(subset(LANGS)),
  insurance: opt(subset(INS)),
  gender: opt(subset(GENDERS)),
  visitTypes: opt(subset(VISITS)),
  acceptingNewPatients: opt(fc.boolean()),
  priceMinCents: opt(fc.integer({ min: 0, max: 30000 })),
  priceMaxCents: opt(fc.integer({ min: 0, max: 30000 })),
  availableWithinDays: opt(fc.integer({ min: 0, max: 2 })),
  minRating: opt(fc.integer({ min: 10, max: 50 }).map((t) => t / 10)),
});
const queryArb: fc.Arbitrary<SearchQuery> = fc.record({
  q: fc.constantFrom('', 'anna', 'acne clinic', 'heart'),
  filters: filtersArb,
  geo: opt(
    fc.record({ lat: fc.constant(51), lon: fc.constant(10), radiusKm: fc.integer({ min: 1, max: 400 }) }),
  ),
  bbox: opt(fc.constant({ minLat: 48, maxLat: 53, minLon: 7, maxLon: 13 })),
});

type FacetKey = (typeof FACET_NAMES)[number];
const any = <T>(sel: readonly T[] | undefined, vals: readonly T[]) =>
  !sel || sel.length === 0 || vals.some((v) => sel.includes(v));

/** Brute-force filter predicates, one per facet plus the hard filters. */
function checks(d: ProviderDoc, q: SearchQuery): { hard: boolean; facet: Record<FacetKey, boolean> } {
  const f = q.filters ?? {};
  let hard = true;
  if (f.priceMinCents !== undefined || f.priceMaxCents !== undefined) {
    hard &&=
      d.priceMinCents !== null &&
      d.priceMaxCents !== null &&
      d.priceMinCents <= (f.priceMaxCents ?? Number.POSITIVE_INFINITY) &&
      d.priceMaxCents >= (f.priceMinCents ?? Number.NEGATIVE_INFINITY);
  }
  if (f.availableWithinDays !== undefined) {
    hard &&= d.nextAvailableAt !== null && d.nextAvailableAt <= NOW + f.availableWithinDays * DAY;
  }
  if (f.minRating !== undefined) {
    const min = f.minRating;
    hard &&= d.rating !== null && d.rating !== undefined && d.rating.average >= min - 1e-9;
  }
  if (q.geo?.radiusKm !== undefined)
    hard &&= haversineKm(q.geo.lat, q.geo.lon, d.lat, d.lon) <= q.geo.radiusKm;
  if (q.bbox) {
    const b = q.bbox;
    hard &&= d.lat >= b.minLat && d.lat <= b.maxLat && d.lon >= b.minLon && d.lon <= b.maxLon;
  }
  return {
    hard,
    facet: {
      specialty: any(f.specialties, d.specialties),
      language: any(f.languages, d.languages),
      insurance: any(f.insurance, d.insurance),
      gender: any(f.gender, [d.gender]),
      visitType: any(f.visitTypes, d.visitTypes),
      acceptingNewPatients:
        f.acceptingNewPatients === undefined || f.acceptingNewPatients === d.acceptingNewPatients,
    },
  };
}

function facetValues(d: ProviderDoc, f: FacetKey): string[] {
  switch (f) {
    case 'specialty':
      return d.specialties;
    case 'language':
      return d.languages;
    case 'insurance':
      return d.insurance;
    case 'gender':
      return [d.gender ?? 'unspecified'];
    case 'visitType':
      return d.visitTypes;
    case 'acceptingNewPatients':
      return [String(d.acceptingNewPatients)];
  }
}

describe('properties', () => {
  it('results satisfy every filter; facet counts equal brute force over text matches', () => {
    fc.assert(
      fc.property(corpusArb, queryArb, (docs, query) => {
        const engine = SearchEngine.build(docs, { synonyms: {} });
        const q: SearchQuery = { ...query, now: NOW, facets: true, size: 1000, typo: false, prefix: false };
        const r = engine.search(q);
        // text candidates: the same query without filters
        const textMatches = new Set(
          engine.search({ q: q.q, size: 1000, typo: false, prefix: false }).hits.map((h) => h.id),
        );
        const expectedIds: string[] = [];
        const expected = Object.fromEntries(FACET_NAMES.map((f) => [f, {}])) as FacetCounts;
        for (const d of docs) {
          if (!textMatches.has(d.id)) continue;
          const c = checks(d, q);
          if (!c.hard) continue;
          if (FACET_NAMES.every((f) => c.facet[f])) expectedIds.push(d.id);
          for (const f of FACET_NAMES) {
            if (!FACET_NAMES.every((g) => g === f || c.facet[g])) continue;
            for (const v of new Set(facetValues(d, f))) expected[f][v] = (expected[f][v] ?? 0) + 1;
          }
        }
        expect(r.hits.map((h) => h.id).sort()).toEqual(expectedIds.sort());
        expect(r.total).toBe(expectedIds.length);
        expect(r.facets).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });

  it('text matching with match=all equals brute-force word containment over known words', () => {
    fc.assert(
      fc.property(corpusArb, fc.subarray(WORDS, { minLength: 1, maxLength: 2 }), (docs, words) => {
        const engine = SearchEngine.build(docs, { synonyms: {} });
        const r = engine.search({ q: words.join(' '), size: 1000, typo: false, prefix: false });
        // words that occur nowhere are ignored; a query of only such words matches nothing
        const known = words.filter((w) => docs.some((d) => d.name.split(' ').includes(w)));
        const expected =
          known.length === 0
            ? []
            : docs.filter((d) => known.every((w) => d.name.split(' ').includes(w))).map((d) => d.id);
        expect(r.ignoredTerms.sort()).toEqual(words.filter((w) => !known.includes(w)).sort());
        expect(r.hits.map((h) => h.id).sort()).toEqual(expected.sort());
      }),
      { numRuns: 100 },
    );
  });

  it('upserts and deletes in any order leave the same index as a fresh build', () => {
    fc.assert(
      fc.property(corpusArb, corpusArb, fc.array(fc.nat(), { maxLength: 20 }), (a, b, dels) => {
        const engine = SearchEngine.build(a, { synonyms: {} });
        for (const d of b) engine.upsert(d);
        const live = new Map([...a, ...b].map((d) => [d.id, d]));
        for (const k of dels) {
          const id = `doc${k % 45}`;
          expect(engine.delete(id)).toBe(live.delete(id));
        }
        const fresh = SearchEngine.build([...live.values()], { synonyms: {} });
        for (const q of ['', 'anna', 'acne clinic', 'heart']) {
          const x = engine.search({ q, size: 1000, facets: true, sort: 'soonest' });
          const y = fresh.search({ q, size: 1000, facets: true, sort: 'soonest' });
          expect(x.hits.map((h) => h.id).sort()).toEqual(y.hits.map((h) => h.id).sort());
          expect(x.facets).toEqual(y.facets);
        }
      }),
      { numRuns: 80 },
    );
  });
});
