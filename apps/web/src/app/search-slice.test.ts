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
