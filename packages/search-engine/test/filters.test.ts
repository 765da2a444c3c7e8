import { describe, expect, it } from 'vitest';
import { FilterError, SearchEngine, type SearchQuery } from '../src/index';
import { BERLIN, CORPUS, DAY, doc, NOW } from './fixtures';

const engine = SearchEngine.build(CORPUS);
const ids = (q: SearchQuery) =>
  engine
    .search({ size: 100, ...q })
    .hits.map((h) => h.id)
    .sort();

describe('filters', () => {
  it('specialty (any of)', () => {
    expect(ids({ filters: { specialties: ['cardiology'] } })).toEqual(['c1', 'c2']);
    expect(ids({ filters: { specialties: ['cardiology', 'paediatrics'] } })).toEqual(['c1', 'c2', 'p1']);
    expect(ids({ filters: { specialties: ['unknown'] } })).toEqual([]);
  });

  it('language and insurance (any of)', () => {
    expect(ids({ filters: { languages: ['tr'] } })).toEqual(['c1', 'd3']);
    expect(ids({ filters: { insurance: ['Barmer'] } })).toEqual(['c1', 'c2', 'p1']);
    expect(ids({ filters: { languages: ['it', 'fr'], insurance: ['AOK'] } })).toEqual(['g1']);
  });

  it('gender, including unspecified', () => {
    expect(ids({ filters: { gender: ['female'] } })).toEqual(['c1', 'd1', 'g1']);
    expect(ids({ filters: { gender: [null] } })).toEqual(['c2', 'd3']);
    expect(ids({ filters: { gender: ['male', 'nonbinary'] } })).toEqual(['d2', 'p1']);
  });

  it('visit type and accepting new patients', () => {
    expect(ids({ filters: { visitTypes: ['video'] } })).toEqual(['c2', 'd1', 'd3', 'p1']);
    expect(ids({ filters: { acceptingNewPatients: false } })).toEqual(['d2']);
    expect(ids({ filters: { acceptingNewPatients: true, visitTypes: ['in_person'] } })).toEqual([
      'c1',
      'c2',
      'd1',
      'g1',
    ]);
  });

  it('price range overlap; listings without a price never match a price filter', () => {
    expect(ids({ filters: { priceMaxCents: 0 } })).toEqual(['p1']);
    expect(ids({ filters: { priceMinCents: 8500, priceMaxCents: 10000 } })).toEqual(['d1']);
    expect(ids({ filters: { priceMinCents: 10000 } })).toEqual(['d2']);
  });

  it('available before a date, or within N days of query.now', () => {
    expect(ids({ filters: { availableBefore: NOW + DAY } })).toEqual(['d1', 'd3', 'g1']);
    expect(ids({ filters: { availableWithinDays: 4 }, now: NOW })).toEqual(['c1', 'd1', 'd3', 'g1']);
    expect(() => engine.search({ filters: { availableWithinDays: 4 } })).toThrow(FilterError);
  });

  it('combines text with filters', () => {
    expect(ids({ q: 'acne', filters: { languages: ['en'] } })).toEqual(['d1', 'd3']);
  });
});

describe('geo', () => {
  it('radius filter with distances, sorted by distance', () => {
    const r = engine.search({ q: 'dermatolgist', geo: { ...BERLIN, radiusKm: 50 }, sort: 'distance' });
    expect(r.hits.map((h) => h.id)).toEqual(['d1', 'd2']);
    expect(r.hits[0]?.distanceKm).toBeCloseTo(0, 3);
    expect(r.hits[1]?.distanceKm).toBeGreaterThan(20);
    expect(r.hits[1]?.distanceKm).toBeLessThan(30);
  });

  it('distance sort without a radius covers everything', () => {
    const r = engine.search({ geo: BERLIN, sort: 'distance', size: 100 });
    expect(r.total).toBe(CORPUS.length);
    const d = r.hits.map((h) => h.distanceKm ?? Number.NaN);
    expect(d).toEqual([...d].sort((a, b) => a - b));
    expect(r.hits.at(-1)?.doc.city).toBe('Munich');
  });

  it('bounding box (map view), including one crossing the antimeridian', () => {
    expect(ids({ bbox: { minLat: 52.3, maxLat: 52.6, minLon: 13.0, maxLon: 13.5 } })).toEqual([
      'c1',
      'd1',
      'd2',
      'p1',
    ]);
    const pacific = SearchEngine.build([
      doc('fiji', { lat: -17.7, lon: 178.1 }),
      doc('samoa', { lat: -13.8, lon: -172.1 }),
      doc('sydney', { lat: -33.9, lon: 151.2 }),
    ]);
    const r = pacific.search({ bbox: { minLat: -30, maxLat: 0, minLon: 170, maxLon: -170 } });
    expect(r.hits.map((h) => h.id).sort()).toEqual(['fiji', 'samoa']);
  });
});

describe('sorting and pagination', () => {
  it('soonest first, listings without availability last', () => {
    const r = engine.search({ sort: 'soonest', size: 100 });
    expect(r.hits.map((h) => h.id)).toEqual(['d1', 'g1', 'd3', 'c1', 'd2', 'p1', 'c2']);
  });

  it('pages have the requested size and a stable total', () => {
    const all = engine.search({ sort: 'soonest', size: 100 }).hits.map((h) => h.id);
    const pages = [1, 2, 3].map((page) => engine.search({ sort: 'soonest', page, size: 3 }));
    for (const p of pages) expect(p.total).toBe(7);
    expect(pages.map((p) => p.hits.length)).toEqual([3, 3, 1]);
    expect(pages.flatMap((p) => p.hits.map((h) => h.id))).toEqual(all);
    expect(engine.search({ page: 9, size: 3 }).hits).toEqual([]);
  });

  it('top-k selection matches a full sort on a larger set', () => {
    const many = Array.from({ length: 600 }, (_, i) =>
      doc(`m${i}`, {
        name: `Clinic ${i % 7 === 0 ? 'alpha' : 'beta'} ${i}`,
        lat: 50 + (i % 37) / 10,
        lon: 10,
      }),
    );
    const e = SearchEngine.build(many);
    const full = e.search({ geo: { lat: 50, lon: 10 }, sort: 'distance', size: 600 }).hits.map((h) => h.id);
    const page2 = e.search({ geo: { lat: 50, lon: 10 }, sort: 'distance', page: 2, size: 25 });
    expect(page2.hits.map((h) => h.id)).toEqual(full.slice(25, 50));
    const alpha = e.search({ q: 'alpha', size: 5 });
    expect(alpha.total).toBe(86);
  });
});

describe('facets', () => {
  it('counts each facet with every filter except its own', () => {
    const r = engine.search({
      filters: { languages: ['tr'], specialties: ['dermatology'] },
      facets: true,
    });
    expect(r.hits.map((h) => h.id)).toEqual(['d3']);
    // language facet ignores the language filter: all dermatology listings
    expect(r.facets?.language).toEqual({ de: 4, en: 2, tr: 1, fr: 1 });
    // specialty facet ignores the specialty filter: all Turkish-speaking listings
    expect(r.facets?.specialty).toEqual({ dermatology: 1, cardiology: 1 });
    expect(r.facets?.gender).toEqual({ unspecified: 1 });
    expect(r.facets?.acceptingNewPatients).toEqual({ true: 1 });
  });

  it('returns only the facets asked for', () => {
    const r = engine.search({ q: 'dermatology', facets: ['visitType'] });
    expect(Object.keys(r.facets ?? {})).toEqual(['visitType']);
    expect(r.facets?.visitType).toEqual({ in_person: 3, video: 2 });
  });
});

describe('mutations', () => {
  it('upsert adds and replaces, delete removes; version counts every mutation', () => {
    const e = SearchEngine.build(CORPUS);
    const v0 = e.version;
    expect(v0).toBe(CORPUS.length);
    e.upsert(
      doc('n1', { name: 'Dr. Nora Lindqvist', specialties: ['cardiology'], specialtyNames: ['Cardiology'] }),
    );
    expect(e.version).toBe(v0 + 1);
    expect(e.search({ q: 'lindqvist' }).hits.map((h) => h.id)).toEqual(['n1']);
    expect(e.search({ filters: { specialties: ['cardiology'] } }).total).toBe(3);

    e.upsert(
      doc('n1', { name: 'Dr. Nora Berg', specialties: ['paediatrics'], specialtyNames: ['Paediatrics'] }),
    );
    expect(e.version).toBe(v0 + 2);
    expect(e.search({ q: 'lindqvist' }).total).toBe(0);
    expect(e.search({ q: 'berg', prefix: false }).hits.map((h) => h.id)).toEqual(['n1']);
    expect(e.search({ filters: { specialties: ['cardiology'] } }).total).toBe(2);
    expect(e.search({ q: 'kids doctor' }).total).toBe(2);

    expect(e.delete('n1')).toBe(true);
    expect(e.delete('n1')).toBe(false);
    expect(e.version).toBe(v0 + 3);
    expect(e.search({ q: 'berg', prefix: false }).total).toBe(0);
    expect(e.get('n1')).toBeUndefined();
    expect(e.size).toBe(CORPUS.length);
    expect(e.search({ facets: ['specialty'] }).facets?.specialty?.paediatrics).toBe(1);
  });

  it('reuses freed slots and keeps postings ordered', () => {
    const e = SearchEngine.build(CORPUS);
    e.delete('d1');
    e.delete('c1');
    e.upsert(doc('z1', { name: 'Acne Care', conditions: ['Acne'] }));
    e.upsert(doc('z2', { name: 'Acne Plus', conditions: ['Acne'] }));
    const r = e.search({ q: 'acne', size: 50 }); // literal matches and dermatology (default vocabulary)
    expect(r.hits.map((h) => h.id).sort()).toEqual(['d2', 'd3', 'g1', 'z1', 'z2']);
    expect(e.search({ q: 'muller' }).total).toBe(0);
  });
});

describe('rating', () => {
  const rated = SearchEngine.build([
    doc('r1', { name: 'Ada Skin', specialties: ['dermatology'], rating: { average: 4.1, count: 3 } }),
    doc('r2', { name: 'Ben Skin', specialties: ['dermatology'], rating: { average: 4.6, count: 2 } }),
    doc('r3', { name: 'Cy Skin', specialties: ['dermatology'], rating: { average: 4.6, count: 9 } }),
    doc('r4', { name: 'Di Skin', specialties: ['dermatology'], rating: null }),
    doc('r5', { name: 'Ed Skin', specialties: ['dermatology'], rating: { average: 3.9, count: 1 } }),
    doc('r6', { name: 'Flo Skin', specialties: ['dermatology'] }),
  ]);
  const order = (q: SearchQuery) => rated.search({ size: 100, ...q }).hits.map((h) => h.id);

  it('minRating keeps averages at or above it and drops listings without reviews', () => {
    expect(order({ filters: { minRating: 4 } }).sort()).toEqual(['r1', 'r2', 'r3']);
    expect(order({ filters: { minRating: 4.1 } }).sort()).toEqual(['r1', 'r2', 'r3']);
    expect(order({ filters: { minRating: 4.2 } }).sort()).toEqual(['r2', 'r3']);
    expect(order({ filters: { minRating: 0 } }).sort()).toEqual(['r1', 'r2', 'r3', 'r5']);
    expect(rated.search({ q: 'skin', filters: { minRating: 4.5 } }).total).toBe(2);
  });

  it('rating sort: highest average, then most reviews, unrated last', () => {
    expect(order({ sort: 'rating' }).slice(0, 4)).toEqual(['r3', 'r2', 'r1', 'r5']);
    expect(order({ sort: 'rating' }).slice(4).sort()).toEqual(['r4', 'r6']);
    expect(order({ q: 'skin', sort: 'rating' }).slice(0, 4)).toEqual(['r3', 'r2', 'r1', 'r5']);
  });

  it('re-indexing a listing moves its rating', () => {
    rated.upsert(
      doc('r6', { name: 'Flo Skin', specialties: ['dermatology'], rating: { average: 5, count: 1 } }),
    );
    expect(order({ sort: 'rating' })[0]).toBe('r6');
    rated.upsert(doc('r6', { name: 'Flo Skin', specialties: ['dermatology'], rating: null }));
    expect(order({ filters: { minRating: 1 } })).not.toContain('r6');
  });
});
