import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../../api/endpoints';
import { keys } from '../../app/query-client';
import {
  activeFilterCount,
  PAGE_SIZE,
  type SortOrder,
  searchActions,
  toSearchRequest,
} from '../../app/search-slice';
import { useAppDispatch, useAppSelector } from '../../app/store';
import { CardSkeletons, EmptyState, ErrorNotice, Skeleton } from '../../ui/feedback';
import { Facets } from './Facets';
import { ResultCard } from './ResultCard';
import { SearchBox } from './SearchBox';
import './search.css';

const MapView = lazy(() => import('./MapView'));

export function SearchPage() {
  const search = useAppSelector((s) => s.search);
  const dispatch = useAppDispatch();
  const [params, setParams] = useSearchParams();
  const [filtersOpen, setFiltersOpen] = useState(false);
  const [locating, setLocating] = useState<string | null>(null);

  const urlQ = params.get('q');
  useEffect(() => {
    if (urlQ !== null && urlQ !== search.q) dispatch(searchActions.setQuery(urlQ));
  }, [urlQ, search.q, dispatch]);

  const request = toSearchRequest(search);
  const query = useQuery({
    queryKey: keys.search(request),
    queryFn: ({ signal }) => api.search(request, signal),
    placeholderData: keepPreviousData,
  });
  const data = query.data;
  const names = useMemo(() => {
    const m = new Map<string, string>();
    for (const r of data?.results ?? []) for (const s of r.specialties) m.set(s.code, s.name);
    return m;
  }, [data]);

  const onSearch = (q: string) => {
    dispatch(searchActions.setQuery(q));
    setParams(q ? { q } : {});
  };
  const nearMe = () => {
    if (!navigator.geolocation) return setLocating('Your browser cannot share a location.');
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
      () => setLocating('Location is not available. Search by city instead.'),
      { timeout: 8000 },
    );
  };

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
        </aside>
        <section className="results" aria-labelledby="results-title">
          <div className="results-toolbar">
            <h2 id="results-title" aria-live="polite">
              {data
                ? `${data.total.toLocaleString()} ${data.total === 1 ? 'result' : 'results'}`
                : 'Searching…'}
              {search.q && data ? <span className="muted"> for “{search.q}”</span> : null}
            </h2>
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
