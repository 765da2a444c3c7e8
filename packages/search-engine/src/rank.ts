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

import { Impacts } from './impact';
import type { Group } from './plan';
import { seek } from './postings';
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
): number[] {
  if (k <= 0 || n === 0) return [];
  const impacts = new Impacts(state);
  const { score } = scratch;
  const lower = (a: number, b: number) => (score[a] ?? 0) < (score[b] ?? 0);
  if (n > Math.max(EXHAUSTIVE_MAX, 8 * k)) {
    const ranked = essentialTopK(state, impacts, groups, docs, n, k, before, scratch);
    if (ranked) {
      DEBUG.essential++;
      return ranked;
    }
    DEBUG.fallback++;
  } else DEBUG.exhaustive++;
  scoreDocs(state, impacts, groups, docs, n, scratch);
  return topK(docs, n, k, before, lower);
}

export function essentialTopK(
  state: IndexState,
  impacts: Impacts,
  groups: readonly Group[],
  docs: Uint32Array,
  n: number,
  k: number,
  before: (a: number, b: number) => boolean,
  scratch: Scratch,
): number[] | null {
  const { stamp, bits, aux, score } = scratch;
  const ep = scratch.nextEpoch();
  for (let i = 0; i < n; i++) stamp[docs[i] ?? 0] = ep;
  let bound = 0;
  for (const group of groups) {
    let max = 0;
    let sum = 0;
    for (const v of group.variants) {
      const pl = state.terms.postings[v.term];
      if (!pl || pl.len === 0) continue;
      if (!pl.tier && pl.len >= TIER_MIN_DF) pl.tier = buildTier(pl, impacts);
      const tier = pl.tier;
      if (tier) {
        const top = tier.top;
        for (let t = 0; t < tier.len; t++) {
          const d = top[t] ?? 0;
          if (stamp[d] === ep) bits.set(d);
        }
        const q = impacts.idf(pl.len) * v.weight * envelopeBound(tier.envelope, impacts, v.fieldMask);
        sum += q;
        if (q > max) max = q;
      } else {
        const d = pl.data;
        for (let i = 0, end = pl.len * 2; i < end; i += 2) if (stamp[d[i] ?? 0] === ep) bits.set(d[i] ?? 0);
      }
    }
    bound += 0.8 * max + 0.2 * sum;
  }
  const m = bits.drain(aux);
  if (m < k || m >= n) return null;
  scoreDocs(state, impacts, groups, aux, m, scratch);
  const ranked = topK(aux, m, k, before, (a, b) => (score[a] ?? 0) < (score[b] ?? 0));
  const kth = score[ranked[k - 1] ?? 0] ?? 0;
  return kth * (1 - MARGIN) > bound ? ranked : null;
}
export const DEBUG = { essential: 0, fallback: 0, exhaustive: 0 };
