import type { SearchRequest } from '@carebook/contracts';
import { createSlice, type PayloadAction } from '@reduxjs/toolkit';

export type FacetName = 'specialty' | 'language' | 'insurance' | 'gender' | 'visitType';
export type SortOrder = NonNullable<SearchRequest['sort']>;

export interface SearchState {
  q: string;
  filters: Record<FacetName, string[]>;
  acceptingNewPatients: boolean;
  availableWithinDays: number | null;
  /** Least average rating (e.g. 4 = "4★ and up"), or null for any. */
  minRating: number | null;
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
  minRating: null,
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
    setMinRating(state, action: PayloadAction<number | null>) {
      state.minRating = action.payload;
      state.page = 1;
    },
    clearFilters(state) {
      state.filters = emptyFilters();
      state.acceptingNewPatients = false;
      state.availableWithinDays = null;
      state.minRating = null;
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
    /** Replaces the whole state: the URL was loaded, reloaded or moved through history. */
    hydrate(_state, action: PayloadAction<SearchState>) {
      return action.payload;
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
  if (s.minRating !== null) req.minRating = s.minRating;
  if (s.near) {
    req.lat = s.near.lat;
    req.lon = s.near.lon;
  } else if (req.sort === 'distance') req.sort = 'relevance';
  return req;
}

export const activeFilterCount = (s: SearchState) =>
  Object.values(s.filters).reduce((n, v) => n + v.length, 0) +
  (s.acceptingNewPatients ? 1 : 0) +
  (s.availableWithinDays !== null ? 1 : 0) +
  (s.minRating !== null ? 1 : 0);

const FACETS: FacetName[] = ['specialty', 'language', 'insurance', 'gender', 'visitType'];
const SORTS: SortOrder[] = ['relevance', 'distance', 'soonest', 'rating'];
/** The least ratings the filter offers ("4★ and up"). */
export const MIN_RATINGS = [4.5, 4, 3] as const;
const round3 = (x: number) => Math.round(x * 1000) / 1000;

/**
 * The state as URL query parameters (defaults left out, a stable order), so that reload,
 * back/forward and a shared link give the same search: q, one parameter per facet value,
 * `new=1`, `within=7`, `rating=4`, `sort`, `page`, `view=map`, and `lat`/`lon`/`near` (rounded to ~100 m)
 * for a "near me" search.
 */
export function toSearchParams(s: SearchState): URLSearchParams {
  const p = new URLSearchParams();
  if (s.q.trim()) p.set('q', s.q.trim());
  for (const facet of FACETS) for (const v of [...s.filters[facet]].sort()) p.append(facet, v);
  if (s.acceptingNewPatients) p.set('new', '1');
  if (s.availableWithinDays !== null) p.set('within', String(s.availableWithinDays));
  if (s.minRating !== null) p.set('rating', String(s.minRating));
  if (s.sort !== 'relevance') p.set('sort', s.sort);
  if (s.page > 1) p.set('page', String(s.page));
  if (s.view !== 'list') p.set('view', s.view);
  if (s.near) {
    p.set('lat', String(round3(s.near.lat)));
    p.set('lon', String(round3(s.near.lon)));
    p.set('near', s.near.label);
  }
  return p;
}

/** The state a URL describes; anything malformed falls back to its default. */
export function fromSearchParams(p: URLSearchParams): SearchState {
  const filters = emptyFilters();
  for (const facet of FACETS) filters[facet] = [...new Set(p.getAll(facet).filter(Boolean))];
  const int = (name: string, min: number, max: number) => {
    if (!p.get(name)) return null;
    const n = Number(p.get(name));
    return Number.isInteger(n) && n >= min && n <= max ? n : null;
  };
  const lat = Number(p.get('lat'));
  const lon = Number(p.get('lon'));
  const hasPoint =
    p.has('lat') && p.has('lon') && Math.abs(lat) <= 90 && Math.abs(lon) <= 180 && !Number.isNaN(lat + lon);
  const sort = SORTS.find((x) => x === p.get('sort')) ?? 'relevance';
  const minRating = MIN_RATINGS.find((r) => String(r) === p.get('rating')) ?? null;
  return {
    q: p.get('q') ?? '',
    filters,
    acceptingNewPatients: p.get('new') === '1',
    availableWithinDays: int('within', 0, 365),
    minRating,
    sort: sort === 'distance' && !hasPoint ? 'relevance' : sort,
    page: int('page', 1, 500) ?? 1,
    view: p.get('view') === 'map' ? 'map' : 'list',
    near: hasPoint ? { lat, lon, label: p.get('near') || 'your location' } : null,
  };
}
