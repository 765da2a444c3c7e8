import { SearchResponse, type SuggestResponse } from '@carebook/contracts';
import { cities, DEMO_SEED, generateProviders } from '@carebook/demo-data';
import fastJson from 'fast-json-stringify';
import { describe, expect, it } from 'vitest';
import { expectProblem } from '../../../test/support/http';
import { describeSearchAppEachDialect } from '../../../test/support/search';

const SEEDED = 2000;

/** The demo city with the most dermatologists. */
function dermatologyCity() {
  const perCity = new Map<string, number>();
  for (const d of generateProviders({ count: SEEDED, seed: DEMO_SEED }))
    if (d.specialties.includes('dermatology'))
      perCity.set(d.address.city, (perCity.get(d.address.city) ?? 0) + 1);
  const [name] = [...perCity].sort((a, b) => b[1] - a[1])[0] ?? [];
  const city = cities.find((c) => c.name === name);
  if (!city) throw new Error('no dermatologists in the demo data');
  return city;
}

describeSearchAppEachDialect('GET /api/v1/search', SEEDED, (t) => {
  const search = async (qs: string) => {
    const res = await t().app.inject({ url: `/api/v1/search?${qs}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as SearchResponse;
  };

  const sumOf = (o: Record<string, number>) => Object.values(o).reduce((a, b) => a + b, 0);

  it('finds "dermatolgist" near a city: dermatologists by distance, with facet counts', async () => {
    const city = dermatologyCity();
    const r = await search(
      `q=dermatolgist&lat=${city.latitude}&lon=${city.longitude}&radiusKm=50&sort=distance&size=50`,
    );
    expect(r.total).toBeGreaterThan(1);
    expect(r.results.length).toBe(Math.min(50, r.total));
    for (const item of r.results) expect(item.specialties.map((s) => s.code)).toContain('dermatology');
    const distances = r.results.map((x) => x.distanceKm ?? Number.NaN);
    expect(distances.every((d) => d <= 50)).toBe(true);
    expect([...distances].sort((a, b) => a - b)).toEqual(distances);
    expect(r.results[0]?.city).toBe(city.name);
    expect(r.facets.specialty.dermatology).toBe(r.total);
    expect(Object.keys(r.facets.language).length).toBeGreaterThan(0);
    expect(sumOf(r.facets.acceptingNewPatients)).toBe(r.total);
    expect(sumOf(r.facets.gender)).toBe(r.total);
    expect(r.results[0]?.highlights.some((h) => h.field === 'specialtyNames')).toBe(true);
    expect(r.tookMs).toBeGreaterThanOrEqual(0);
  });

  it('speaks the listing vocabulary in filters and facets, each facet ignoring its own filter', async () => {
    const all = await search('q=dermatology');
    const video = await search('q=dermatology&visitType=video&gender=non-binary&gender=unspecified');
    expect(video.total).toBeGreaterThan(0);
    expect(video.total).toBeLessThan(all.total);
    expect(Object.keys(video.facets.visitType).sort()).toEqual(['in-person', 'video']);
    const byGender = await search('q=dermatology&visitType=video');
    expect(video.facets.gender).toEqual(byGender.facets.gender);
    expect(video.facets.visitType.video).toBe(video.total);
    expect(sumOf(video.facets.visitType)).toBeGreaterThan(video.total);
  });

  it('suggests as you type', async () => {
    const res = await t().app.inject({ url: '/api/v1/search/suggest?q=dermat&limit=5' });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as SuggestResponse;
    expect(body.suggestions[0]).toMatchObject({ text: 'Dermatology', kind: 'specialty' });
    expect(body.suggestions.length).toBeLessThanOrEqual(5);
  });

  it('suggests the specialty for a misspelt practitioner title, as search would find it', async () => {
    for (const typed of ['dermatolgist', 'dermatologist', 'skin doc', 'pediatrcian']) {
      const res = await t().app.inject({
        url: `/api/v1/search/suggest?q=${encodeURIComponent(typed)}&limit=5`,
      });
      const body = res.json() as SuggestResponse;
      expect(body.suggestions[0]?.kind, typed).toBe('specialty');
      expect(body.suggestions[0]?.count, typed).toBeGreaterThan(0);
    }
    const derm = (
      await t().app.inject({ url: '/api/v1/search/suggest?q=dermatolgist' })
    ).json() as SuggestResponse;
    expect(derm.suggestions[0]?.text).toBe('Dermatology');
  });

  it('reads "dentist in <city>" as a place and says how it read the query', async () => {
    const city = dermatologyCity();
    const r = await search(`q=${encodeURIComponent(`I need a dermatologist in ${city.name}`)}&size=50`);
    expect(r.interpreted).toMatchObject({
      text: 'dermatologist',
      specialty: { code: 'dermatology' },
      location: { label: city.name, source: 'place' },
      needsLocation: false,
    });
    expect(r.total).toBeGreaterThan(0);
    for (const item of r.results) {
      expect(item.city).toBe(city.name);
      expect(item.specialties.map((s) => s.code)).toContain('dermatology');
    }
    const near = await search('q=dentist%20near%20me');
    expect(near.interpreted?.needsLocation).toBe(true);
  });

  it('answers a repeated search with the cached body as it is; another wording of it keeps its own interpretation', async () => {
    const url = '/api/v1/search?q=dermatology&lat=40.75&lon=-73.99&radiusKm=50';
    const first = await t().app.inject({ url });
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toBe('application/json; charset=utf-8');
    const again = await t().app.inject({ url });
    expect(again.body).toBe(first.body);
    expect(again.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
    const body = first.json() as SearchResponse;
    // A sentence around the same words: its own reading in `interpreted`, never the other's.
    const worded = await search(
      `q=${encodeURIComponent('dermatology near me')}&lat=40.75&lon=-73.99&radiusKm=50`,
    );
    expect(worded.interpreted?.text).toBe('dermatology');
    expect(worded.interpreted).not.toEqual(body.interpreted);
    expect((await t().app.inject({ url })).json()).toEqual(body);
  });

  it('writes the very text the response schema serializes to (fast-json-stringify), whatever the search', async () => {
    const schemaJson = fastJson(SearchResponse as object);
    const city = dermatologyCity();
    const queries = [
      `q=dermatology&lat=${city.latitude}&lon=${city.longitude}&radiusKm=50&size=20`,
      `lat=${city.latitude + 0.00123}&lon=${city.longitude}&radiusKm=50&size=20`,
      `q=${encodeURIComponent(`I need a dermatologist for acne in ${city.name}`)}`,
      `q=${encodeURIComponent('dentist near me')}`,
      `q=${encodeURIComponent('dentist near me')}&lat=${city.latitude}&lon=${city.longitude}`,
      'q=back%20pain&sort=rating&gender=unspecified&visitType=video&acceptingNewPatients=true',
      'q=dermatology&sort=soonest&page=2&size=7&language=en&insurance=Aetna&minRating=1',
      'bbox=-0.5,51.3,0.3,51.7&sort=distance&lat=51.5&lon=-0.1',
      'q=zzqqxxyy',
      'priceMin=1000&priceMax=20000&availableWithinDays=30',
    ];
    for (const qs of queries) {
      const res = await t().app.inject({ url: `/api/v1/search?${qs}` });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.body, qs).toBe(schemaJson(JSON.parse(res.body)));
    }
  });

  it('looks up bundled places for the listing form: by postcode, by city, or all of them', async () => {
    const byPostcode = (await t().app.inject({ url: '/api/v1/search/places?q=SW7%202AZ' })).json() as {
      places: { name: string; match: string; timeZone: string }[];
    };
    expect(byPostcode.places[0]).toMatchObject({
      name: 'London',
      match: 'postcode',
      timeZone: 'Europe/London',
    });
    const all = (await t().app.inject({ url: '/api/v1/search/places' })).json() as { places: unknown[] };
    expect(all.places).toHaveLength(cities.length);
  });

  describe('absurd parameters get a 400 problem naming the field', () => {
    const cases: [string, string][] = [
      ['lat=52&lon=13&radiusKm=1e9', '/query/radiusKm'],
      ['page=-1', '/query/page'],
      ['page=501', '/query/page'],
      ['size=0', '/query/size'],
      ['size=51', '/query/size'],
      ['q=a…(10,000 characters)', '/query/q'],
      ['lat=200&lon=13', '/query/lat'],
      ['lat=52&lon=-181', '/query/lon'],
      ['lat=52', '/query/lon'],
      ['lon=13', '/query/lat'],
      ['radiusKm=10', '/query/radiusKm'],
      ['sort=distance', '/query/sort'],
      ['bbox=1,2,3', '/query/bbox'],
      ['bbox=13,53,14,52', '/query/bbox'],
      ['bbox=13,52,14,95', '/query/bbox'],
      ['specialty=witchcraft', '/query/specialty/0'],
      ['priceMin=500&priceMax=100', '/query/priceMin'],
      ['availableWithinDays=100000', '/query/availableWithinDays'],
      ['sort=cheapest', '/query/sort'],
    ];
    it.each(cases)('%s', async (label, path) => {
      const qs = label.startsWith('q=a…') ? `q=${'a'.repeat(10_000)}` : label;
      const res = await t().app.inject({ url: `/api/v1/search?${qs}` });
      const body = expectProblem(res, 400, 'VALIDATION_FAILED') as { errors?: { path: string }[] };
      expect(body.errors?.map((e) => e.path)).toContain(path);
    });
    it('an empty suggest query', async () => {
      const res = await t().app.inject({ url: '/api/v1/search/suggest?q=' });
      expectProblem(res, 400, 'VALIDATION_FAILED');
    });
  });
});
