import type { SearchRequest } from '@carebook/contracts';
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';

export type FacetName = 'specialty' | 'language' | 'insurance' | 'gender' | 'visitType';
export type SortOrder = NonNullable<SearchRequest['sort']>;

export interface SearchState {
  q: string;
  filters: Record<FacetName, string[]>;
  acceptingNewPatients: boolean;
  availableWithinDays: number | null;
  sort: SortOrder;
  page: number;
  view: 'list' | 'map';
  near: { lat: number; lon: number; label: string } | null;
}

export const PAGE_SIZE = 10;

const emptyFilters = (): Record<FacetName, string[]> => ({
  specialty: [],
  language: [],
  insurance: [],
  gender: [],
  visitType: [],
});

export const initialSearchState: SearchState = {
  q: '',
  filters: emptyFilters(),
  acceptingNewPatients: false,
  availableWithinDays: null,
  sort: 'relevance',
  page: 1,
  view: 'list',
  near: null,
};

export const searchSlice = createSlice({
  name: 'search',
  initialState: initialSearchState,
  reducers: {
    setQuery(state, action: PayloadAction<string>) {
      state.q = action.payload;
      state.page = 1;
    },
    toggleFilter(state, action: PayloadAction<{ facet: FacetName; value: string }>) {
      const { facet, value } = action.payload;
      const list = state.filters[facet];
      state.filters[facet] = list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
      state.page = 1;
    },
    setAcceptingNewPatients(state, action: PayloadAction<boolean>) {
      state.acceptingNewPatients = action.payload;
      state.page = 1;
    },
    setAvailableWithinDays(state, action: PayloadAction<number | null>) {
      state.availableWithinDays = action.payload;
      state.page = 1;
    },
    clearFilters(state) {
      state.filters = emptyFilters();
      state.acceptingNewPatients = false;
      state.availableWithinDays = null;
      state.page = 1;
    },
    setSort(state, action: PayloadAction<SortOrder>) {
      state.sort = action.payload;
      state.page = 1;
    },
    setPage(state, action: PayloadAction<number>) {
      state.page = Math.max(1, action.payload);
    },
    setView(state, action: PayloadAction<'list' | 'map'>) {
      state.view = action.payload;
    },
    setNear(state, action: PayloadAction<SearchState['near']>) {
      state.near = action.payload;
      if (!action.payload && state.sort === 'distance') state.sort = 'relevance';
      state.page = 1;
    },
  },
});

export const searchActions = searchSlice.actions;

/** The API request for the current state (pure; the query key is built from it). */
export function toSearchRequest(s: SearchState): SearchRequest {
  const req: SearchRequest = { page: s.page, size: PAGE_SIZE, sort: s.sort };
  if (s.q.trim()) req.q = s.q.trim();
  for (const facet of Object.keys(s.filters) as FacetName[]) {
    const values = s.filters[facet];
    if (values.length) (req as Record<string, unknown>)[facet] = values;
  }
  if (s.acceptingNewPatients) req.acceptingNewPatients = true;
  if (s.availableWithinDays !== null) req.availableWithinDays = s.availableWithinDays;
  if (s.near) {
    req.lat = s.near.lat;
    req.lon = s.near.lon;
  } else if (req.sort === 'distance') req.sort = 'relevance';
  return req;
}

export const activeFilterCount = (s: SearchState) =>
  Object.values(s.filters).reduce((n, v) => n + v.length, 0) +
  (s.acceptingNewPatients ? 1 : 0) +
  (s.availableWithinDays !== null ? 1 : 0);
