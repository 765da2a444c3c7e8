/**
 * Query execution: plan → match set → filter + facets → rank → page → hits.
 *
 *  - `match: 'all'` text: the exact match set without scoring (match.ts), then filters and facets
 *    over it, then a top-k that scores only what it must (rank.ts). `total` and facet counts always
 *    cover the whole match set.
 *  - With a radius (or map box) whose grid cells hold fewer documents than the text matched, the
 *    grid leads: its cells are walked and tested against the text matches in a bitset. Cells wholly
 *    inside the radius need no distance test; cells wholly outside are skipped. Sorted by distance,
 *    the cells are then ranked nearest-first and the walk stops at the first cell farther than the
 *    k-th result, so distances are computed for a few cells only.
 *  - `match: 'any'` text is scored term-at-a-time over all candidates (score.ts).
 */

import { CompiledFilter, FacetCounter } from './filter';
import { highlightDoc } from './highlight';
import { matchAll } from './match';
import { type ExpansionCache, planQuery } from './plan';
import type { PostingList } from './postings';
import { scoreDocs, topByScore } from './rank';
import { accumulate, type Scratch } from './score';
import type { IndexState } from './state';
import { BoundedHeap, topK } from './topk';
import { FACET_NAMES, type FacetName, type SearchHit, type SearchQuery, type SearchResult } from './types';

export const MAX_PAGE_SIZE = 1000;

/** A run of results that came from one grid cell, with a lower bound of their distance. */
interface CellRun {
  start: number;
  end: number;
  minKm: number;
}

export function runSearch(
  state: IndexState,
  scratch: Scratch,
  query: SearchQuery,
  expansions: ExpansionCache,
): SearchResult {
  const page = Math.max(1, Math.floor(query.page ?? 1));
  const size = Math.min(MAX_PAGE_SIZE, Math.max(0, Math.floor(query.size ?? 10)));
  const k = page * size;
  scratch.ensure(state.slots);
  const filter = new CompiledFilter(state.cols, query);
  const facetNames: readonly FacetName[] =
    query.facets === true ? FACET_NAMES : Array.isArray(query.facets) ? query.facets : [];
  const facets = facetNames.length > 0 ? new FacetCounter(state.cols, facetNames) : null;

  const plan = planQuery(
    state,
    query.q ?? '',
    { typo: query.typo !== false, prefix: query.prefix !== false },
    expansions,
  );
  const hasText = plan.groups.length > 0;
  const all = query.match !== 'any';
  const { score, dist, distStamp, result, cand, bits } = scratch;
  const distEpoch = scratch.nextDistEpoch();
  let n = 0;
  // Results in doc order (so they can be scored doc-at-a-time); false after a grid walk.
  let sorted = true;
  let runs: CellRun[] | null = null;
  // The results are every text match (no filter removed any).
  let everyMatch = false;

  /** Filters one doc (`geoKnown`: the radius test is already settled), counts facets, keeps results. */
  const consider = (doc: number, geoKnown: boolean) => {
    if (!filter.passesNonGeo(doc)) return;
    const mask = filter.failMask(doc);
    if ((mask & (mask - 1)) !== 0) return;
    if (!geoKnown && !filter.inRadius(doc, dist, distStamp, distEpoch)) return;
    if (facets) facets.add(doc, mask);
    if (mask === 0) result[n++] = doc;
  };
  /** Walks the grid cells of the search box; `member` (optional) must hold for a doc to count. */
  const walkGrid = (member: ((doc: number) => boolean) | null): boolean => {
    const box = filter.searchBox();
    if (!box) return false;
    const cellRuns: CellRun[] = [];
    const ok = state.grid.forEachCell(box, (pl: PostingList, la0, la1, lo0, lo1) => {
      const cls = filter.cellClass(la0, la1, lo0, lo1);
      if (cls === 0) return;
      const start = n;
      const d = pl.data;
      for (let i = 0, end = pl.len * 2; i < end; i += 2) {
        const doc = d[i] ?? 0;
        if (member && !member(doc)) continue;
        consider(doc, cls === 2);
      }
      if (n > start) cellRuns.push({ start, end: n, minKm: filter.cellMinKm(la0, la1, lo0, lo1) });
    });
    if (ok) {
      runs = cellRuns;
      sorted = false;
    }
    return ok;
  };

  if (hasText && all) {
    const m = matchAll(state, plan.groups, scratch);
    const box = filter.searchBox();
    if (box && state.grid.population(box) < m) {
      for (let i = 0; i < m; i++) bits.set(cand[i] ?? 0);
      walkGrid((doc) => bits.has(doc));
      bits.clear();
    } else if (filter.isEmpty && !facets) {
      result.set(cand.subarray(0, m));
      n = m;
      everyMatch = true;
    } else {
      for (let i = 0; i < m; i++) consider(cand[i] ?? 0, false);
    }
  } else if (hasText) {
    const m = accumulate(state, plan.groups, false, scratch);
    const touched = scratch.touched;
    for (let i = 0; i < m; i++) consider(touched[i] ?? 0, false);
    sorted = false;
  } else if (plan.words === 0) {
    if (!walkGrid(null)) {
      const flags = state.cols.flags;
      for (let doc = 0; doc < state.slots; doc++) {
        if ((flags[doc] ?? 0) & 1) consider(doc, false);
      }
    }
  }

  const distOf = (doc: number) => filter.distance(doc, dist, distStamp, distEpoch);
  const sort = query.sort ?? 'relevance';
  const byRelevance =
    hasText && sort !== 'soonest' && sort !== 'rating' && !(sort === 'distance' && filter.hasPoint);
  const before = comparator(state, scratch, sort, filter.hasPoint, hasText, distOf);
  let ranked: number[];
  const docs = n > 0 && hasText && all && !sorted ? sortedCopy(result, n, cand) : result;
  if (hasText && all && byRelevance) {
    ranked = topByScore(state, plan.groups, docs, n, k, before, scratch, everyMatch);
  } else {
    if (hasText && all) scoreDocs(state, state.impacts, plan.groups, docs, n, scratch);
    const cellRuns = runs as CellRun[] | null;
    if (sort === 'distance' && filter.hasPoint && cellRuns)
      ranked = nearestFirst(result, cellRuns, k, before, distOf);
    else ranked = topK(result, n, k, before);
  }

  const terms = new Set<string>();
  for (const g of plan.groups) for (const v of g.variants) terms.add(state.terms.terms[v.term] ?? '');
  const hits: SearchHit[] = [];
  for (const doc of ranked.slice((page - 1) * size)) {
    const d = state.docs[doc];
    if (!d) continue;
    hits.push({
      id: d.id,
      score: hasText ? (score[doc] ?? 0) : 0,
      distanceKm: filter.hasPoint ? distOf(doc) : null,
      nextAvailableAt: d.nextAvailableAt,
      highlights: query.highlight === false ? [] : highlightDoc(d, terms, plan.synonymCodes),
      doc: d,
    });
  }
  const out: SearchResult = {
    total: n,
    page,
    size,
    hits,
    ignoredTerms: plan.ignored,
    version: state.version,
  };
  if (facets) out.facets = facets.result();
  return out;
}

function sortedCopy(src: Uint32Array, n: number, into: Uint32Array): Uint32Array {
  into.set(src.subarray(0, n));
  into.subarray(0, n).sort();
  return into;
}

/**
 * Distance top-k over grid runs: runs in order of their distance lower bound; stops at the first
 * run whose bound exceeds the k-th distance so far (nothing in it or after it can enter or tie).
 */
function nearestFirst(
  result: Uint32Array,
  runs: CellRun[],
  k: number,
  before: (a: number, b: number) => boolean,
  distOf: (doc: number) => number,
): number[] {
  if (k <= 0) return [];
  runs.sort((a, b) => a.minKm - b.minKm);
  const heap = new BoundedHeap(k, before);
  for (const run of runs) {
    if (heap.full && run.minKm > distOf(heap.worst)) break;
    for (let i = run.start; i < run.end; i++) heap.push(result[i] ?? 0);
  }
  return heap.sorted();
}

function comparator(
  state: IndexState,
  scratch: Scratch,
  sort: NonNullable<SearchQuery['sort']>,
  hasPoint: boolean,
  hasText: boolean,
  distOf: (doc: number) => number,
): (a: number, b: number) => boolean {
  const { score } = scratch;
  const next = state.cols.nextAvail;
  const { ratingTenths, ratingCount } = state.cols;
  const byScore = (a: number, b: number): number => (score[b] ?? 0) - (score[a] ?? 0);
  const byDist = (a: number, b: number): number => (hasPoint ? distOf(a) - distOf(b) : 0);
  const bySoonest = (a: number, b: number): number => {
    const x = next[a] ?? Number.NaN;
    const y = next[b] ?? Number.NaN;
    if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : 1;
    if (Number.isNaN(y)) return -1;
    return x - y;
  };
  // Unrated listings store 0 tenths and 0 reviews, so they sort after every rated one.
  const byRating = (a: number, b: number): number => (ratingTenths[b] ?? 0) - (ratingTenths[a] ?? 0);
  const byCount = (a: number, b: number): number => (ratingCount[b] ?? 0) - (ratingCount[a] ?? 0);
  let keys: ((a: number, b: number) => number)[];
  if (sort === 'rating') keys = [byRating, byCount, byScore, byDist, bySoonest];
  else if (sort === 'distance' && hasPoint) keys = [byDist, byScore];
  else if (sort === 'soonest') keys = [bySoonest, byScore, byDist];
  else if (hasText) keys = [byScore, byDist, bySoonest];
  else keys = hasPoint ? [byDist, bySoonest] : [bySoonest];
  return (a, b) => {
    for (const k of keys) {
      const c = k(a, b);
      if (c !== 0) return c < 0;
    }
    return a < b;
  };
}
