import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BERLIN, contractDocs, NOW, query } from '../../../test/support/search-index';
import type { SearchIndex } from '../../ports/search-index';

const ids = (r: { hits: { doc: { id: string } }[] }) => r.hits.map((h) => h.doc.id);

/** The one suite every SearchIndex adapter passes. `create` gives an empty index. */
export function searchIndexContract(name: string, create: () => Promise<SearchIndex>): void {
  describe(`SearchIndex contract: ${name}`, () => {
    let index: SearchIndex;
    beforeAll(async () => {
      index = await create();
      await index.rebuild(contractDocs());
    });
    afterAll(async () => {
      await index.close();
    });

    it('finds a misspelt specialty title near a point, sorted by distance, with facets', async () => {
      const r = await index.search(
        query({ q: 'dermatolgist', geo: { ...BERLIN, radiusKm: 50 }, sort: 'distance' }),
      );
      expect(ids(r)).toEqual(['derm-mitte', 'derm-spandau', 'derm-potsdam']);
      expect(r.total).toBe(3);
      const distances = r.hits.map((h) => h.distanceKm ?? Number.NaN);
      expect(distances[0]).toBeCloseTo(0, 1);
      expect(distances[1]).toBeGreaterThan(13);
      expect(distances[1]).toBeLessThan(15);
      expect([...distances].sort((a, b) => a - b)).toEqual(distances);
      expect(r.facets.specialty).toEqual({ dermatology: 3, 'allergy-immunology': 1 });
      expect(r.facets.language).toEqual({ de: 3, en: 2, fr: 1 });
      expect(r.facets.acceptingNewPatients).toEqual({ true: 2, false: 1 });
      expect(r.tookMs).toBeGreaterThanOrEqual(0);
    });

    it('matches names, prefixes and returns highlights and the stored extras', async () => {
      const r = await index.search(query({ q: 'anna schm' }));
      expect(ids(r)[0]).toBe('derm-mitte');
      const top = r.hits[0];
      expect(top?.doc.photoThumbnail).toBe('photos/derm-mitte/thumb.webp');
      const name = top?.highlights.find((h) => h.field === 'name');
      expect(name?.value).toBe('Anna Schmidt');
      expect(name?.offsets[0]).toEqual([0, 4]);
    });

    it('counts each facet with every filter but its own', async () => {
      const r = await index.search(
        query({ q: 'dermatology', filters: { languages: ['fr'], insurance: ['TK'] } }),
      );
      expect(ids(r)).toEqual(['derm-potsdam']);
      expect(r.facets.language).toEqual({ de: 2, en: 1, fr: 1 });
      expect(r.facets.insurance).toEqual({ AOK: 1, TK: 1 });
    });

    it('filters by gender (with unspecified), visit type, price overlap and availability', async () => {
      const female = await index.search(query({ filters: { gender: ['female', null] } }));
      expect(ids(female).sort()).toEqual(['cardio-berlin', 'derm-mitte', 'derm-potsdam', 'paed-munich']);
      const video = await index.search(query({ filters: { visitTypes: ['video'] } }));
      expect(ids(video).sort()).toEqual(['derm-potsdam', 'paed-munich']);
      const cheap = await index.search(query({ filters: { priceMinCents: 1, priceMaxCents: 6000 } }));
      expect(ids(cheap).sort()).toEqual(['cardio-berlin', 'derm-mitte', 'derm-spandau']);
      const today = await index.search(query({ filters: { availableWithinDays: 1 }, sort: 'soonest' }));
      expect(ids(today)).toEqual(['derm-spandau', 'cardio-berlin']);
      const before = await index.search(query({ filters: { availableBefore: NOW + 31 * 3_600_000 } }));
      expect(ids(before).sort()).toEqual(['cardio-berlin', 'derm-mitte', 'derm-spandau']);
    });

    it('sorts by soonest with listings without availability last', async () => {
      const r = await index.search(query({ sort: 'soonest' }));
      expect(ids(r)).toEqual(['derm-spandau', 'cardio-berlin', 'derm-mitte', 'derm-potsdam', 'paed-munich']);
    });

    it('filters by least average rating, leaving out listings without reviews', async () => {
      const four = await index.search(query({ filters: { minRating: 4 } }));
      expect(ids(four).sort()).toEqual(['cardio-berlin', 'derm-mitte', 'derm-spandau']);
      const exact = await index.search(query({ filters: { minRating: 4.1 } }));
      expect(ids(exact).sort()).toEqual(['cardio-berlin', 'derm-mitte', 'derm-spandau']);
      const high = await index.search(query({ q: 'dermatology', filters: { minRating: 4.2 } }));
      expect(ids(high).sort()).toEqual(['derm-mitte', 'derm-spandau']);
      expect(high.total).toBe(2);
      const top = high.hits.find((h) => h.doc.id === 'derm-mitte');
      expect(top?.doc.rating).toEqual({ average: 4.6, count: 12 });
    });

    it('sorts by rating: highest average, then most reviews, unrated last', async () => {
      const all = await index.search(query({ sort: 'rating' }));
      expect(ids(all)).toEqual([
        'derm-mitte',
        'derm-spandau',
        'cardio-berlin',
        'derm-potsdam',
        'paed-munich',
      ]);
      expect(all.hits.at(-1)?.doc.rating).toBeNull();
      const derm = await index.search(query({ q: 'dermatology', sort: 'rating' }));
      expect(ids(derm)).toEqual(['derm-mitte', 'derm-spandau', 'derm-potsdam']);
    });

    it('filters by a bounding box and pages with a stable total', async () => {
      const box = { minLon: 13.1, minLat: 52.4, maxLon: 13.5, maxLat: 52.6 };
      const r = await index.search(query({ bbox: box, sort: 'soonest' }));
      expect(ids(r)).toEqual(['derm-spandau', 'cardio-berlin', 'derm-mitte']);
      const p2 = await index.search(query({ bbox: box, sort: 'soonest', page: 2, size: 2 }));
      expect(p2.total).toBe(3);
      expect(ids(p2)).toEqual(['derm-mitte']);
    });

    it('understands lay terms from the vocabulary', async () => {
      const r = await index.search(query({ q: 'heart doctor' }));
      expect(ids(r)).toEqual(['cardio-berlin']);
    });

    it('suggests specialties and names by prefix', async () => {
      const s = await index.suggest('derm', 5);
      expect(s[0]).toMatchObject({ text: 'Dermatology', kind: 'specialty', count: 3 });
      const names = await index.suggest('lena', 5);
      expect(names).toContainEqual(
        expect.objectContaining({ kind: 'name', text: 'Lena Schmitt', id: 'paed-munich' }),
      );
    });

    it('upserts and deletes single documents, searchable once the call resolves', async () => {
      // Either the version moves with every write, or the adapter bounds cached results' age.
      const versionMoves = index.cacheTtlSeconds === undefined;
      const v0 = await index.version();
      const [first] = contractDocs();
      if (!first) throw new Error('no fixture');
      await index.upsert({ ...first, id: 'derm-new', name: 'Zora Quist', nextAvailableAt: NOW + 3_600_000 });
      const v1 = await index.version();
      if (versionMoves) expect(v1).not.toBe(v0);
      else expect(index.cacheTtlSeconds).toBeGreaterThan(0);
      expect(ids(await index.search(query({ q: 'zora quist' })))).toEqual(['derm-new']);
      await index.upsert({ ...first, id: 'derm-new', name: 'Zora Blumenthal', nextAvailableAt: null });
      const v2 = await index.version();
      if (versionMoves) expect(v2).not.toBe(v1);
      expect(ids(await index.search(query({ q: 'quist' })))).toEqual([]);
      expect(ids(await index.search(query({ q: 'zora' })))).toEqual(['derm-new']);
      await index.delete('derm-new');
      if (versionMoves) expect(await index.version()).not.toBe(v2);
      expect((await index.search(query({ q: 'zora' }))).total).toBe(0);
      await index.delete('derm-new');
    });

    it('says whether start-up must rebuild it: not after a completed build', async () => {
      if (!index.needsRebuild) return expect(index.cacheTtlSeconds).toBeUndefined();
      expect(await index.needsRebuild()).toBe(false);
    });

    it('rebuild replaces every document', async () => {
      const before = await index.version();
      const docs = contractDocs().slice(3);
      async function* stream() {
        yield* docs;
      }
      expect(await index.rebuild(stream())).toEqual({ count: 2 });
      await expect.poll(() => index.version(), { timeout: 3000 }).not.toBe(before);
      expect((await index.search(query())).total).toBe(2);
      expect((await index.search(query({ q: 'dermatology' }))).total).toBe(0);
      await index.rebuild(contractDocs());
      expect((await index.search(query())).total).toBe(5);
    });
  });
}
