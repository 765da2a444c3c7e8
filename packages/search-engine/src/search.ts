/** Query execution: plan → score → filter + facets → rank → page → hits. */

import { CompiledFilter, FacetCounter } from './filter';
import { highlightDoc } from './highlight';
import { planQuery } from './plan';
import { accumulate, type Scratch } from './score';
import type { IndexState } from './state';
import { topK } from './topk';
import { FACET_NAMES, type FacetName, type SearchHit, type SearchQuery, type SearchResult } from './types';

export const MAX_PAGE_SIZE = 1000;

export function runSearch(state: IndexState, scratch: Scratch, query: SearchQuery): SearchResult {
  const page = Math.max(1, Math.floor(query.page ?? 1));
  const size = Math.min(MAX_PAGE_SIZE, Math.max(0, Math.floor(query.size ?? 10)));
  scratch.ensure(state.slots);
  const filter = new CompiledFilter(state.cols, query);
  const facetNames: readonly FacetName[] =
    query.facets === true ? FACET_NAMES : Array.isArray(query.facets) ? query.facets : [];
  const facets = facetNames.length > 0 ? new FacetCounter(state.cols, facetNames) : null;

  const plan = planQuery(state, query.q ?? '', {
    typo: query.typo !== false,
    prefix: query.prefix !== false,
  });
  const hasText = plan.groups.length > 0;
  const { score, dist, result } = scratch;
  let n = 0;
  const consider = (doc: number) => {
    if (!filter.passesHard(doc, dist)) return;
    const mask = filter.failMask(doc);
    if (facets) facets.add(doc, mask);
    if (mask === 0) result[n++] = doc;
  };
  if (hasText) {
    const m = accumulate(state, plan.groups, query.match !== 'any', scratch);
    const cand = scratch.touched;
    for (let i = 0; i < m; i++) consider(cand[i] ?? 0);
  } else if (plan.words === 0) {
    const box = filter.searchBox();
    const visit = (doc: number) => {
      score[doc] = 0;
      consider(doc);
    };
    if (!box || !state.grid.forEachInBox(box, visit)) {
      const flags = state.cols.flags;
      for (let doc = 0; doc < state.slots; doc++) if ((flags[doc] ?? 0) & 1) visit(doc);
    }
  }

  const before = comparator(state, scratch, query, filter.hasPoint, hasText);
  const ranked = topK(result, n, page * size, before);
  const terms = new Set<string>();
  for (const g of plan.groups) for (const v of g.variants) terms.add(state.terms.terms[v.term] ?? '');
  const hits: SearchHit[] = [];
  for (const doc of ranked.slice((page - 1) * size)) {
    const d = state.docs[doc];
    if (!d) continue;
    hits.push({
      id: d.id,
      score: hasText ? (score[doc] ?? 0) : 0,
      distanceKm: filter.hasPoint ? (dist[doc] ?? null) : null,
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

function comparator(
  state: IndexState,
  scratch: Scratch,
  query: SearchQuery,
  hasPoint: boolean,
  hasText: boolean,
): (a: number, b: number) => boolean {
  const { score, dist } = scratch;
  const next = state.cols.nextAvail;
  const byScore = (a: number, b: number): number => (score[b] ?? 0) - (score[a] ?? 0);
  const byDist = (a: number, b: number): number => (hasPoint ? (dist[a] ?? 0) - (dist[b] ?? 0) : 0);
  const bySoonest = (a: number, b: number): number => {
    const x = next[a] ?? Number.NaN;
    const y = next[b] ?? Number.NaN;
    if (Number.isNaN(x)) return Number.isNaN(y) ? 0 : 1;
    if (Number.isNaN(y)) return -1;
    return x - y;
  };
  let keys: ((a: number, b: number) => number)[];
  const sort = query.sort ?? 'relevance';
  if (sort === 'distance' && hasPoint) keys = [byDist, byScore];
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
