/**
 * Scoring and top-k for `match: 'all'` text queries over an exact, filtered match set.
 *
 * `scoreDocs` is the one scorer (doc lists in doc order, per variant a merge or a gallop through
 * its posting list), so every path gives a document the same score to the last bit.
 *
 * `topByScore` terminates early: it scores only the *essential* documents — the matches that are a
 * champion of some variant, or that match a short (untiered) variant — and stops when the k-th of
 * them scores above the bound of everything else: per group, 0.8 · the largest envelope bound of
 * its variants plus 0.2 · their sum (a group scores its best variant plus 20 % of the others).
 * Every other match scores below that bound, so it can neither enter the top k nor tie with it.
 * When the test fails (too few essential matches, or flat impacts), it scores the whole set.
 * Totals and facets never depend on this: they come from the match set itself.
 */

import type { Impacts } from './impact';
import type { Group } from './plan';
import { type PostingList, seek } from './postings';
import type { Scratch } from './score';
import type { IndexState } from './state';
import { buildTier, envelopeBound, TIER_MIN_DF } from './tiers';
import { topK } from './topk';

/** Below this many matches the whole set is scored (cheaper than looking for champions). */
const EXHAUSTIVE_MAX = 2048;
/** Relative margin between the k-th score (float32) and the bound of the rest. */
const MARGIN = 1e-6;

/** First index ≥ from of a sorted doc list whose doc is ≥ doc (exponential + binary search). */
function seekList(docs: Uint32Array, n: number, from: number, doc: number): number {
  if (from >= n || (docs[from] ?? 0) >= doc) return from;
  let lo = from;
  let step = 1;
  let hi = from + 1;
  while (hi < n && (docs[hi] ?? 0) < doc) {
    lo = hi;
    step *= 2;
    hi = from + step;
  }
  if (hi > n) hi = n;
  while (lo + 1 < hi) {
    const mid = (lo + hi) >>> 1;
    if ((docs[mid] ?? 0) < doc) lo = mid;
    else hi = mid;
  }
  return hi;
}

/**
 * Exact scores of `docs[0..n)` (ascending, each matching every group) into `scratch.score`.
 * Per group: best variant + 0.2 · the other variants it matches; groups add up.
 */
export function scoreDocs(
  state: IndexState,
  impacts: Impacts,
  groups: readonly Group[],
  docs: Uint32Array,
  n: number,
  scratch: Scratch,
): void {
  scratch.positions(n);
  const { acc, gBest, gSum, score } = scratch;
  acc.fill(0, 0, n);
  for (const group of groups) {
    gBest.fill(0, 0, n);
    gSum.fill(0, 0, n);
    for (const v of group.variants) {
      const pl = state.terms.postings[v.term];
      if (!pl || pl.len === 0) continue;
      const w = impacts.idf(pl.len) * v.weight;
      const mask = v.fieldMask;
      const data = pl.data;
      const len = pl.len;
      const hit = (i: number, p: number, doc: number) => {
        const s = impacts.of(data[p * 2 + 1] ?? 0, doc, mask) * w;
        if (s === 0) return;
        gSum[i] = (gSum[i] ?? 0) + s;
        if (s > (gBest[i] ?? 0)) gBest[i] = s;
      };
      if (len < n) {
        // Walk the postings, gallop through the docs.
        let i = 0;
        for (let p = 0; p < len && i < n; p++) {
          const doc = data[p * 2] ?? 0;
          i = seekList(docs, n, i, doc);
          if (i < n && docs[i] === doc) hit(i, p, doc);
        }
      } else {
        let p = 0;
        for (let i = 0; i < n && p < len; i++) {
          const doc = docs[i] ?? 0;
          p = seek(data, len, p, doc);
          if (p < len && data[p * 2] === doc) hit(i, p, doc);
        }
      }
    }
    for (let i = 0; i < n; i++) {
      const b = gBest[i] ?? 0;
      acc[i] = (acc[i] ?? 0) + b + 0.2 * ((gSum[i] ?? 0) - b);
    }
  }
  for (let i = 0; i < n; i++) score[docs[i] ?? 0] = acc[i] ?? 0;
}

/**
 * The first `k` of `docs[0..n)` (ascending, the filtered matches) under `before`, whose primary key
 * is the score. Scores of the returned docs are in `scratch.score`.
 */
export function topByScore(
  state: IndexState,
  groups: readonly Group[],
  docs: Uint32Array,
  n: number,
  k: number,
  before: (a: number, b: number) => boolean,
  scratch: Scratch,
  everyMatch = false,
): number[] {
  if (k <= 0 || n === 0) return [];
  const impacts = state.impacts;
  const { score } = scratch;
  const lower = (a: number, b: number) => (score[a] ?? 0) < (score[b] ?? 0);
  if (n > Math.max(EXHAUSTIVE_MAX, 8 * k)) {
    const ranked = essentialTopK(state, impacts, groups, docs, n, k, before, scratch, everyMatch);
    if (ranked) return ranked;
  }
  scoreDocs(state, impacts, groups, docs, n, scratch);
  return topK(docs, n, k, before, lower);
}

interface Essential {
  group: number;
  pl: PostingList;
  /** Bound of its non-champion postings (0 for a short list, whose postings are all essential). */
  q: number;
  /** All postings essential (a short list, or promoted because the bound was too loose). */
  full: boolean;
}

/**
 * The top k from the essential matches only, or null when that cannot be proven exact. When the
 * bound is too loose, the variant with the largest remaining bound is made wholly essential
 * (MaxScore) and the test repeated, while the essential set stays under 80 % of the matches.
 * `everyMatch`: `docs` is the whole match set of a one-group query, so a posting needs no check.
 */
export function essentialTopK(
  state: IndexState,
  impacts: Impacts,
  groups: readonly Group[],
  docs: Uint32Array,
  n: number,
  k: number,
  before: (a: number, b: number) => boolean,
  scratch: Scratch,
  everyMatch = false,
): number[] | null {
  const { stamp, bits, aux, score } = scratch;
  const ep = scratch.nextEpoch();
  const free = everyMatch && groups.length === 1;
  if (!free) for (let i = 0; i < n; i++) stamp[docs[i] ?? 0] = ep;
  const vars: Essential[] = [];
  groups.forEach((group, g) => {
    for (const v of group.variants) {
      const pl = state.terms.postings[v.term];
      if (!pl || pl.len === 0) continue;
      if (!pl.tier && pl.len >= TIER_MIN_DF) pl.tier = buildTier(pl, impacts);
      const q = pl.tier
        ? impacts.idf(pl.len) * v.weight * envelopeBound(pl.tier.envelope, impacts, v.fieldMask)
        : 0;
      vars.push({ group: g, pl, q, full: !pl.tier });
    }
  });
  const mark = (d: number) => {
    if (free || stamp[d] === ep) bits.set(d);
  };
  for (;;) {
    const max = new Float64Array(groups.length);
    const sum = new Float64Array(groups.length);
    let listed = 0;
    for (const v of vars) {
      if (v.full) {
        const d = v.pl.data;
        for (let i = 0, end = v.pl.len * 2; i < end; i += 2) mark(d[i] ?? 0);
        listed += v.pl.len;
        continue;
      }
      const tier = v.pl.tier as NonNullable<PostingList['tier']>;
      for (let t = 0; t < tier.len; t++) mark(tier.top[t] ?? 0);
      listed += tier.len;
      sum[v.group] = (sum[v.group] ?? 0) + v.q;
      if (v.q > (max[v.group] ?? 0)) max[v.group] = v.q;
    }
    let bound = 0;
    for (let g = 0; g < groups.length; g++) bound += 0.8 * (max[g] ?? 0) + 0.2 * (sum[g] ?? 0);
    const m = bits.drain(aux);
    if (m >= k && m < n) {
      scoreDocs(state, impacts, groups, aux, m, scratch);
      const ranked = topK(aux, m, k, before, (a, b) => (score[a] ?? 0) < (score[b] ?? 0));
      const kth = score[ranked[k - 1] ?? 0] ?? 0;
      if (kth * (1 - MARGIN) > bound) return ranked;
    }
    let next: Essential | null = null;
    for (const v of vars) if (!v.full && (!next || v.q > next.q)) next = v;
    if (!next || (listed - (next.pl.tier?.len ?? 0) + next.pl.len) * 5 > n * 4) return null;
    next.full = true;
  }
}
