import { describe, expect, it } from 'vitest';
import {
  activeFilterCount,
  initialSearchState,
  searchActions,
  searchSlice,
  toSearchRequest,
} from './search-slice';

const reduce = (...actions: Parameters<typeof searchSlice.reducer>[1][]) =>
  actions.reduce(searchSlice.reducer, initialSearchState);

describe('search slice', () => {
  it('toggles multi-select facet values and returns to page 1', () => {
    const s = reduce(
      searchActions.setPage(3),
      searchActions.toggleFilter({ facet: 'language', value: 'es' }),
      searchActions.toggleFilter({ facet: 'language', value: 'fr' }),
      searchActions.toggleFilter({ facet: 'language', value: 'es' }),
    );
    expect(s.filters.language).toEqual(['fr']);
    expect(s.page).toBe(1);
    expect(activeFilterCount(s)).toBe(1);
  });

  it('builds the API request with only what is set', () => {
    const s = reduce(
      searchActions.setQuery('  dermatolgy '),
      searchActions.toggleFilter({ facet: 'visitType', value: 'video' }),
      searchActions.setAcceptingNewPatients(true),
      searchActions.setSort('soonest'),
    );
    expect(toSearchRequest(s)).toEqual({
      q: 'dermatolgy',
      visitType: ['video'],
      acceptingNewPatients: true,
      sort: 'soonest',
      page: 1,
      size: 10,
    });
  });

  it('never asks for distance sorting without a location', () => {
    const near = reduce(
      searchActions.setNear({ lat: 52.5, lon: 13.4, label: 'here' }),
      searchActions.setSort('distance'),
    );
    expect(toSearchRequest(near)).toMatchObject({ lat: 52.5, lon: 13.4, sort: 'distance' });
    const cleared = searchSlice.reducer(near, searchActions.setNear(null));
    expect(cleared.sort).toBe('relevance');
    expect(toSearchRequest({ ...cleared, sort: 'distance' }).sort).toBe('relevance');
  });

  it('clears every filter at once', () => {
    const s = reduce(
      searchActions.toggleFilter({ facet: 'specialty', value: 'dermatology' }),
      searchActions.setAvailableWithinDays(7),
      searchActions.clearFilters(),
    );
    expect(activeFilterCount(s)).toBe(0);
  });
});

describe('search state in the URL', () => {
  it('round-trips filters, sort, page, view and a position, leaving defaults out', async () => {
    const { fromSearchParams, toSearchParams } = await import('./search-slice');
    const s = reduce(
      searchActions.setQuery('dentist'),
      searchActions.toggleFilter({ facet: 'language', value: 'fr' }),
      searchActions.toggleFilter({ facet: 'language', value: 'es' }),
      searchActions.setAcceptingNewPatients(true),
      searchActions.setNear({ lat: 51.50735, lon: -0.12776, label: 'your location' }),
      searchActions.setSort('distance'),
      searchActions.setPage(3),
      searchActions.setView('map'),
    );
    const url = toSearchParams(s).toString();
    expect(url).toBe(
      'q=dentist&language=es&language=fr&new=1&sort=distance&page=3&view=map&lat=51.507&lon=-0.128&near=your+location',
    );
    const back = fromSearchParams(new URLSearchParams(url));
    expect(back).toMatchObject({
      q: 'dentist',
      acceptingNewPatients: true,
      sort: 'distance',
      page: 3,
      view: 'map',
    });
    expect(back.filters.language).toEqual(['es', 'fr']);
    expect(toSearchParams(back).toString()).toBe(url);
    expect(toSearchParams(initialSearchState).toString()).toBe('');
  });

  it('ignores what it cannot read: bad numbers, unknown sorts, distance without a position', async () => {
    const { fromSearchParams } = await import('./search-slice');
    const s = fromSearchParams(new URLSearchParams('page=-2&sort=distance&within=abc&lat=999&lon=1&view=x'));
    expect(s).toMatchObject({
      page: 1,
      sort: 'relevance',
      availableWithinDays: null,
      near: null,
      view: 'list',
    });
  });

  it('keeps the rating filter and sort in the request and the URL', async () => {
    const { fromSearchParams, toSearchParams } = await import('./search-slice');
    const s = reduce(searchActions.setMinRating(4), searchActions.setSort('rating'));
    expect(toSearchRequest(s)).toMatchObject({ minRating: 4, sort: 'rating' });
    expect(activeFilterCount(s)).toBe(1);
    const url = toSearchParams(s).toString();
    expect(url).toBe('rating=4&sort=rating');
    expect(fromSearchParams(new URLSearchParams(url))).toMatchObject({ minRating: 4, sort: 'rating' });
    expect(fromSearchParams(new URLSearchParams('rating=2.7')).minRating).toBeNull();
    expect(reduce(searchActions.setMinRating(4.5), searchActions.clearFilters()).minRating).toBeNull();
  });
});
