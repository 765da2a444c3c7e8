import { describe, expect, it } from 'vitest';
import { contractDocs, query } from '../../../test/support/search-index';
import { parseHighlights, searchRequest } from './elasticsearch-query';

describe('Elasticsearch request building (no cluster needed)', () => {
  it('filters hits with every facet filter but counts each facet without its own', () => {
    const req = searchRequest(
      'idx',
      query({ q: 'derm', filters: { languages: ['fr'], insurance: ['TK'], availableWithinDays: 2 } }),
      1500,
    );
    expect(req.post_filter).toEqual({
      bool: { filter: [{ terms: { languages: ['fr'] } }, { terms: { 'insurance.raw': ['TK'] } }] },
    });
    const aggs = req.aggs as Record<string, { filter: { bool: { filter: unknown[] } } }>;
    expect(aggs.language?.filter.bool.filter).toEqual([{ terms: { 'insurance.raw': ['TK'] } }]);
    expect(aggs.insurance?.filter.bool.filter).toEqual([{ terms: { languages: ['fr'] } }]);
    expect(aggs.specialty?.filter.bool.filter).toHaveLength(2);
    expect(req.timeout).toBe('1500ms');
    const filter = (req.query?.bool?.filter ?? []) as unknown[];
    expect(filter).toContainEqual({ range: { nextAvailableAt: { lte: query().now + 2 * 86_400_000 } } });
  });

  it('sorts by distance, then soonest, when there is a point but no text', () => {
    const req = searchRequest('idx', query({ geo: { lat: 1, lon: 2 } }), 1000);
    expect(JSON.stringify(req.sort)).toMatch(/^\[\{"_geo_distance"/);
  });

  it('turns marked fragments into offsets at the right array position', () => {
    const [doc] = contractDocs();
    if (!doc) throw new Error('fixture');
    const hl = parseHighlights(doc, {
      name: ['\uE000Anna\uE001 Schmidt'],
      conditions: ['\uE000acne\uE001'],
    });
    expect(hl).toEqual([
      { field: 'name', index: 0, value: 'Anna Schmidt', offsets: [[0, 4]] },
      { field: 'conditions', index: 1, value: 'acne', offsets: [[0, 4]] },
    ]);
  });

  it('filters by least rating and sorts by rating, then count, unrated last', () => {
    const req = searchRequest('idx', query({ q: 'derm', filters: { minRating: 4 }, sort: 'rating' }), 1000);
    expect(req.query?.bool?.filter).toContainEqual({ range: { 'rating.average': { gte: 4 } } });
    expect((req.sort as unknown[]).slice(0, 3)).toEqual([
      { 'rating.average': { order: 'desc', missing: '_last' } },
      { 'rating.count': { order: 'desc', missing: '_last' } },
      '_score',
    ]);
  });
});
