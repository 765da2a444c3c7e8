import type { SearchInterpretation } from '@carebook/contracts';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../../api/endpoints';
import { keys } from '../../app/query-client';
import {
  activeFilterCount,
  fromSearchParams,
  PAGE_SIZE,
  type SortOrder,
  searchActions,
  toSearchParams,
  toSearchRequest,
} from '../../app/search-slice';
import { useAppDispatch, useAppSelector } from '../../app/store';
import { CardSkeletons, EmptyState, ErrorNotice, Skeleton } from '../../ui/feedback';
import { localSpelling, plural } from '../../ui/locale';
import { useDocumentTitle } from '../../ui/use-document-title';
import { Facets } from './Facets';
import { ResultCard } from './ResultCard';
import { SearchBox } from './SearchBox';
import { useAvailabilityStream } from './use-availability-stream';
import './search.css';

const MapView = lazy(() => import('./MapView'));

/** "Dentists near London", "Dermatologists for acne", "Results near your location" — or null. */
export function interpretationHeading(i: SearchInterpretation | undefined, locale?: string): string | null {
  if (!i) return null;
  const who = i.specialty ? plural(localSpelling(i.specialty.practitionerTitle, locale)) : null;
  const what = [who, i.condition ? `for ${i.condition}` : null].filter(Boolean).join(' ');
  const where = i.location ? `near ${i.location.label}` : null;
  if (!where && !i.condition) return null;
  return [what || 'Results', where].filter(Boolean).join(' ');
}

export function SearchPage() {
  const search = useAppSelector((s) => s.search);
  const dispatch = useAppDispatch();
  const [params, setParams] = useSearchParams();
  const [filtersOpen, setFiltersOpen] = useState(false);
  const resultsTitle = useRef<HTMLHeadingElement>(null);
  const [locating, setLocating] = useState<string | null>(null);

  // The URL is the search: load it on arrival and on back/forward, write it when the user changes
  // the search (a new history entry, so back undoes a filter).
  const synced = useRef<string | null>(null);
  const paramString = params.toString();
  const fromUrl = useMemo(() => fromSearchParams(new URLSearchParams(paramString)), [paramString]);
  const urlString = toSearchParams(fromUrl).toString();
  const stateString = toSearchParams(search).toString();
  useEffect(() => {
    if (urlString !== synced.current) {
      synced.current = urlString;
      if (urlString !== paramString) setParams(new URLSearchParams(urlString), { replace: true });
      if (stateString !== urlString) dispatch(searchActions.hydrate(fromUrl));
    } else if (stateString !== urlString) {
      synced.current = stateString;
      setParams(new URLSearchParams(stateString));
    }
  }, [urlString, paramString, stateString, fromUrl, dispatch, setParams]);
  const inSync = stateString === urlString;

  const request = toSearchRequest(search);
  const query = useQuery({
    queryKey: keys.search(request),
    queryFn: ({ signal }) => api.search(request, signal),
    placeholderData: keepPreviousData,
    enabled: inSync,
  });
  const data = query.data;
  const names = useMemo(() => {
    const m = new Map<string, string>();
    for (const r of data?.results ?? []) for (const s of r.specialties) m.set(s.code, localSpelling(s.name));
    return m;
  }, [data]);

  // Live: a booking or a freed slot at a listing on this page moves its "next available".
  const queryClient = useQueryClient();
  const refresh = useCallback(() => queryClient.invalidateQueries({ queryKey: ['search'] }), [queryClient]);
  useAvailabilityStream(data?.results.map((r) => r.id) ?? [], refresh, refresh);

  const onSearch = (q: string) => dispatch(searchActions.setQuery(q));
  const nearMe = useCallback(() => {
    if (!navigator.geolocation)
      return setLocating(
        'Your browser cannot share a location. Add a city or postcode instead, e.g. “dentist in Boston”.',
      );
    setLocating('Finding your location…');
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setLocating(null);
        dispatch(
          searchActions.setNear({
            lat: pos.coords.latitude,
            lon: pos.coords.longitude,
            label: 'your location',
          }),
        );
        dispatch(searchActions.setSort('distance'));
      },
      () =>
        setLocating(
          'We could not use your location (it was refused or is unavailable), so these results are not sorted by distance. Allow location for this site, or add a city or postcode, e.g. “dentist in Boston” or “dentist 10001”.',
        ),
      { timeout: 8000 },
    );
  }, [dispatch]);

  // "… near me" typed without a known position: ask the browser once for this query.
  const asked = useRef<string | null>(null);
  const needsLocation = data?.interpreted?.needsLocation === true && !search.near;
  useEffect(() => {
    if (needsLocation && asked.current !== search.q) {
      asked.current = search.q;
      nearMe();
    }
  }, [needsLocation, search.q, nearMe]);

  const heading = interpretationHeading(data?.interpreted);
  useDocumentTitle(search.q ? `${search.q} – Find care` : 'Find care');

  const pages = data ? Math.max(1, Math.ceil(Math.min(data.total, 500 * PAGE_SIZE) / PAGE_SIZE)) : 1;
  const filters = activeFilterCount(search);
  return (
    <div className="search-page">
      <h1 className="visually-hidden">Find care</h1>
      <SearchBox initial={search.q} onSearch={onSearch} />
      <div className="search-layout">
        <aside className={`filters${filtersOpen ? ' open' : ''}`} aria-label="Filters">
          <div className="filters-head">
            <h2>Filters</h2>
            {filters > 0 && (
              <button
                type="button"
                className="link-button"
                onClick={() => dispatch(searchActions.clearFilters())}
              >
                Clear all ({filters})
              </button>
            )}
          </div>
          <Facets facets={data?.facets} names={names} />
          {/* On a narrow screen the open filters stand above the results: this closes them and
              takes focus to the results they chose. */}
          <button
            type="button"
            className="btn btn-small filters-done"
            onClick={() => {
              setFiltersOpen(false);
              resultsTitle.current?.focus();
            }}
          >
            {data
              ? `Show ${data.total.toLocaleString()} ${data.total === 1 ? 'result' : 'results'}`
              : 'Show results'}
          </button>
        </aside>
        <section className="results" aria-labelledby="results-title">
          <div className="results-toolbar">
            <h2 id="results-title" aria-live="polite" ref={resultsTitle} tabIndex={-1}>
              {data
                ? `${data.total.toLocaleString()} ${data.total === 1 ? 'result' : 'results'}`
                : 'Searching…'}
              {search.q && data ? <span className="muted"> for “{search.q}”</span> : null}
            </h2>
            {heading && (
              <p className="interpreted" data-testid="interpreted">
                {heading}
              </p>
            )}
            <div className="toolbar-controls">
              <button
                type="button"
                className="btn btn-secondary btn-small filters-toggle"
                aria-expanded={filtersOpen}
                onClick={() => setFiltersOpen(!filtersOpen)}
              >
                Filters{filters ? ` (${filters})` : ''}
              </button>
              <button type="button" className="btn btn-secondary btn-small" onClick={nearMe}>
                {search.near ? 'Near you ✓' : 'Near me'}
              </button>
              <label className="inline-select">
                Sort
                <select
                  value={search.sort}
                  onChange={(e) => dispatch(searchActions.setSort(e.target.value as SortOrder))}
                >
                  <option value="relevance">Best match</option>
                  <option value="soonest">Soonest available</option>
                  <option value="rating">Highest rated</option>
                  <option value="distance" disabled={!search.near}>
                    Distance{search.near ? '' : ' (use Near me)'}
                  </option>
                </select>
              </label>
              <fieldset className="segmented">
                <legend className="visually-hidden">View</legend>
                <button
                  type="button"
                  aria-pressed={search.view === 'list'}
                  onClick={() => dispatch(searchActions.setView('list'))}
                >
                  List
                </button>
                <button
                  type="button"
                  aria-pressed={search.view === 'map'}
                  onClick={() => dispatch(searchActions.setView('map'))}
                >
                  Map
                </button>
              </fieldset>
            </div>
          </div>
          {locating && (
            <p className="muted" role="status">
              {locating}
            </p>
          )}
          {query.isError && <ErrorNotice error={query.error} onRetry={() => query.refetch()} />}
          {search.view === 'map' && data && data.results.length > 0 && (
            <Suspense fallback={<Skeleton lines={5} label="Loading map" />}>
              <MapView results={data.results} />
            </Suspense>
          )}
          {!data && query.isPending && <CardSkeletons />}
          {data && data.results.length === 0 && (
            <EmptyState title="No matches">
              <p>Try fewer filters, another spelling, or a nearby city.</p>
              {filters > 0 && (
                <button
                  type="button"
                  className="btn btn-secondary"
                  onClick={() => dispatch(searchActions.clearFilters())}
                >
                  Clear filters
                </button>
              )}
            </EmptyState>
          )}
          {data && data.results.length > 0 && (
            <ul className="card-list" aria-busy={query.isFetching} aria-label="Search results">
              {data.results.map((item) => (
                <ResultCard key={item.id} item={item} />
              ))}
            </ul>
          )}
          {data && pages > 1 && (
            <nav className="pagination" aria-label="Pages">
              <button
                type="button"
                className="btn btn-secondary btn-small"
                disabled={search.page <= 1}
                onClick={() => dispatch(searchActions.setPage(search.page - 1))}
              >
                Previous
              </button>
              <span>
                Page {search.page} of {pages}
              </span>
              <button
                type="button"
                className="btn btn-secondary btn-small"
                disabled={search.page >= pages}
                onClick={() => dispatch(searchActions.setPage(search.page + 1))}
              >
                Next
              </button>
            </nav>
          )}
        </section>
      </div>
    </div>
  );
}
