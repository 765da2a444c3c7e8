/**
 * BM25F-style scoring into reusable typed-array accumulators. Per group, a document takes the
 * best of its variants plus 20% of the others (so a word and its typo variants do not simply add
 * up, but a literal match next to a synonym match still counts for something); groups add up.
 *   score(doc, term) = weight · idf(term) · Σ_f∈mask boost_f · tf_f·(k1+1) / (tf_f + k1·(1−b+b·len_f/avg_f))
 */

import { DocBits } from './docbits';
import type { Group } from './plan';
import { FIELD_BITS, TF_MAX } from './postings';
import type { IndexState } from './state';
import { FIELD_COUNT } from './types';

export class Scratch {
  capacity = 0;
  score = new Float32Array(0);
  best = new Float32Array(0);
  sum = new Float32Array(0);
  stamp = new Uint32Array(0);
  matched = new Uint8Array(0);
  touched = new Uint32Array(0);
  groupTouched = new Uint32Array(0);
  dist = new Float64Array(0);
  /** `dist[doc]` is valid when `distStamp[doc] === distEpoch` (distances are computed lazily). */
  distStamp = new Uint32Array(0);
  distEpoch = 0;
  result = new Uint32Array(0);
  /** Sorted text matches (`match: 'all'`), and a second doc list (champions, sorted copies). */
  cand = new Uint32Array(0);
  aux = new Uint32Array(0);
  readonly bits = new DocBits();
  /** Per-position accumulators of the doc-at-a-time scorer, grown on demand. */
  acc = new Float64Array(0);
  gBest = new Float64Array(0);
  gSum = new Float64Array(0);
  private epoch = 0;

  ensure(n: number): void {
    if (n <= this.capacity) return;
    const cap = Math.max(n, Math.ceil(this.capacity * 1.5), 64);
    this.score = new Float32Array(cap);
    this.best = new Float32Array(cap);
    this.sum = new Float32Array(cap);
    this.stamp = new Uint32Array(cap);
    this.matched = new Uint8Array(cap);
    this.touched = new Uint32Array(cap);
    this.groupTouched = new Uint32Array(cap);
    this.dist = new Float64Array(cap);
    this.result = new Uint32Array(cap);
    this.distStamp = new Uint32Array(cap);
    this.distEpoch = 0;
    this.cand = new Uint32Array(cap);
    this.aux = new Uint32Array(cap);
    this.bits.ensure(cap);
    this.capacity = cap;
    this.epoch = 0;
  }

  /** Position-indexed accumulators for `n` docs. */
  positions(n: number): void {
    if (n <= this.acc.length) return;
    const cap = Math.max(n, Math.ceil(this.acc.length * 1.5), 64);
    this.acc = new Float64Array(cap);
    this.gBest = new Float64Array(cap);
    this.gSum = new Float64Array(cap);
  }

  nextDistEpoch(): number {
    this.distEpoch++;
    if (this.distEpoch === 0xffffffff) {
      this.distStamp.fill(0);
      this.distEpoch = 1;
    }
    return this.distEpoch;
  }

  nextEpoch(): number {
    this.epoch++;
    if (this.epoch === 0xffffffff) {
      this.stamp.fill(0);
      this.epoch = 1;
    }
    return this.epoch;
  }
}

/** Length-normalisation table: norm[f * 256 + len] = k1 · (1 − b + b · len / avg_f). */
function normTable(state: IndexState): Float64Array {
  const t = new Float64Array(FIELD_COUNT * 256);
  const live = Math.max(1, state.live);
  for (let f = 0; f < FIELD_COUNT; f++) {
    const avg = Math.max(1e-9, (state.fieldLenSum[f] ?? 0) / live);
    for (let len = 0; len < 256; len++) t[f * 256 + len] = state.k1 * (1 - state.b + (state.b * len) / avg);
  }
  return t;
}

/**
 * Scores all groups. Returns the number of candidate docs written to `scratch.touched[0..n)`;
 * their scores are in `scratch.score`. With `all`, candidates matched every group.
 */
export function accumulate(state: IndexState, groups: Group[], all: boolean, scratch: Scratch): number {
  const norm = normTable(state);
  const boosts = state.boosts;
  const k1p1 = state.k1 + 1;
  const N = Math.max(1, state.live);
  const fieldLen = state.fieldLen;
  const { score, best, sum, stamp, matched, touched, groupTouched } = scratch;
  const ordered = all ? [...groups].sort((a, b) => a.estimate - b.estimate) : groups;
  let nTouched = 0;
  for (let g = 0; g < ordered.length; g++) {
    const group = ordered[g];
    if (!group) continue;
    const ep = scratch.nextEpoch();
    let nGroup = 0;
    for (const v of group.variants) {
      const pl = state.terms.postings[v.term];
      if (!pl) continue;
      const df = pl.len;
      const idf = Math.log(1 + (N - df + 0.5) / (df + 0.5)) * v.weight;
      const data = pl.data;
      const end = pl.len * 2;
      const mask = v.fieldMask;
      for (let i = 0; i < end; i += 2) {
        const doc = data[i] ?? 0;
        if (all && g > 0 && matched[doc] !== g) continue;
        let word = data[i + 1] ?? 0;
        let s = 0;
        for (let f = 0; word !== 0; f++, word >>>= FIELD_BITS) {
          const tf = word & TF_MAX;
          if (tf === 0 || ((mask >>> f) & 1) === 0) continue;
          const len = fieldLen[doc * FIELD_COUNT + f] ?? 0;
          s += ((boosts[f] ?? 1) * tf * k1p1) / (tf + (norm[f * 256 + len] ?? 1));
        }
        if (s === 0) continue;
        s *= idf;
        if (stamp[doc] !== ep) {
          stamp[doc] = ep;
          best[doc] = s;
          sum[doc] = s;
          groupTouched[nGroup++] = doc;
        } else {
          sum[doc] = (sum[doc] ?? 0) + s;
          if (s > (best[doc] ?? 0)) best[doc] = s;
        }
      }
    }
    for (let i = 0; i < nGroup; i++) {
      const doc = groupTouched[i] ?? 0;
      if ((matched[doc] ?? 0) === 0) {
        touched[nTouched++] = doc;
        score[doc] = 0;
      }
      const b = best[doc] ?? 0;
      score[doc] = (score[doc] ?? 0) + b + 0.2 * ((sum[doc] ?? 0) - b);
      matched[doc] = (matched[doc] ?? 0) + 1;
    }
  }
  const G = ordered.length;
  let n = 0;
  for (let i = 0; i < nTouched; i++) {
    const doc = touched[i] ?? 0;
    const m = matched[doc] ?? 0;
    matched[doc] = 0;
    if (all) {
      if (m === G) touched[n++] = doc;
    } else {
      score[doc] = (score[doc] ?? 0) * ((m / G) * (m / G));
      touched[n++] = doc;
    }
  }
  return n;
}
