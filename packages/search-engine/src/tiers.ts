/**
 * Impact tiers for early termination. A long posting list (≥ TIER_MIN_DF postings) keeps, besides
 * its doc-ordered entries, the doc-ordered list of its *champions* — the postings with the highest
 * impact — and an *envelope* of all the others: per field the largest term frequency and the
 * shortest field length. The envelope bounds the impact of every non-champion under any
 * statistics (impact grows with tf, shrinks with length), so the bound stays valid while documents
 * come and go:
 *  - a new posting the envelope does not dominate becomes a champion, else it is covered;
 *  - a removed posting leaves the envelope as it was (a bound may only get looser).
 * The champions are chosen at `trim()` (after a bulk build) where the impact distribution drops
 * below the envelope of the rest; a list whose impacts are flat gets no champions at all.
 */

import type { Impacts } from './impact';
import { FIELD_BITS, type PostingList, TF_MAX } from './postings';
import { FIELD_COUNT } from './state';

export const TIER_MIN_DF = 2048;
const MIN_CHAMPIONS = 64;
const BINS = 512;

export class Tier {
  top: Uint32Array;
  len = 0;
  /** Envelope of the non-champions: max tf (0 = field absent) and min length per field. */
  readonly maxTf = new Uint8Array(FIELD_COUNT);
  readonly minLen = new Uint8Array(FIELD_COUNT).fill(255);

  constructor(top: Uint32Array) {
    this.top = top;
    this.len = top.length;
  }

  private indexOf(doc: number): number {
    let lo = 0;
    let hi = this.len - 1;
    const t = this.top;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = t[mid] ?? 0;
      if (v < doc) lo = mid + 1;
      else if (v > doc) hi = mid - 1;
      else return mid;
    }
    return -(lo + 1);
  }

  /** True when the envelope covers this posting (every field within max tf and at least min length). */
  covers(tfWord: number, fieldLen: Uint8Array, at: number): boolean {
    let word = tfWord;
    for (let f = 0; word !== 0; f++, word >>>= FIELD_BITS) {
      const tf = word & TF_MAX;
      if (tf === 0) continue;
      if (tf > (this.maxTf[f] ?? 0) || (fieldLen[at + f] ?? 0) < (this.minLen[f] ?? 255)) return false;
    }
    return true;
  }

  /** A posting was added to the list: a champion unless the envelope covers it. */
  admit(doc: number, tfWord: number, fieldLen: Uint8Array): void {
    if (this.covers(tfWord, fieldLen, doc * FIELD_COUNT)) return;
    const i = this.indexOf(doc);
    if (i >= 0) return;
    const at = -i - 1;
    if (this.len === this.top.length) {
      const next = new Uint32Array(Math.max(16, Math.ceil(this.len * 1.5)));
      next.set(this.top.subarray(0, this.len));
      this.top = next;
    }
    this.top.copyWithin(at + 1, at, this.len);
    this.top[at] = doc;
    this.len++;
  }

  /** A posting left the list. */
  drop(doc: number): void {
    const i = this.indexOf(doc);
    if (i < 0) return;
    this.top.copyWithin(i, i + 1, this.len);
    this.len--;
  }
}

/**
 * Chooses the champions of `pl` with today's statistics: the smallest top slice (at least
 * MIN_CHAMPIONS, at most half the list) whose lowest impact is above the envelope bound of the rest.
 * Impacts are bucketed into BINS bins of the maximum, so this is two linear passes.
 */
export function buildTier(pl: PostingList, impacts: Impacts): Tier {
  const n = pl.len;
  const data = pl.data;
  const fieldLen = impacts.fieldLen;
  const imp = new Float64Array(n);
  let max = 0;
  for (let i = 0; i < n; i++) {
    const v = impacts.of(data[i * 2 + 1] ?? 0, data[i * 2] ?? 0, 0x7f);
    imp[i] = v;
    if (v > max) max = v;
  }
  const binOf = (v: number) => (max > 0 ? Math.min(BINS - 1, Math.floor((v / max) * BINS)) : 0);
  const count = new Uint32Array(BINS);
  const binTf = new Uint8Array(BINS * FIELD_COUNT);
  const binLen = new Uint8Array(BINS * FIELD_COUNT).fill(255);
  for (let i = 0; i < n; i++) {
    const b = binOf(imp[i] ?? 0);
    count[b] = (count[b] ?? 0) + 1;
    let word = data[i * 2 + 1] ?? 0;
    const doc = data[i * 2] ?? 0;
    for (let f = 0; word !== 0; f++, word >>>= FIELD_BITS) {
      const tf = word & TF_MAX;
      if (tf === 0) continue;
      const k = b * FIELD_COUNT + f;
      if (tf > (binTf[k] ?? 0)) binTf[k] = tf;
      const len = fieldLen[doc * FIELD_COUNT + f] ?? 0;
      if (len < (binLen[k] ?? 255)) binLen[k] = len;
    }
  }
  // below[b] = envelope of the bins under b (cumulative from the bottom).
  const belowTf = new Uint8Array((BINS + 1) * FIELD_COUNT);
  const belowLen = new Uint8Array((BINS + 1) * FIELD_COUNT).fill(255);
  for (let b = 1; b <= BINS; b++) {
    for (let f = 0; f < FIELD_COUNT; f++) {
      const p = (b - 1) * FIELD_COUNT + f;
      const k = b * FIELD_COUNT + f;
      belowTf[k] = Math.max(belowTf[p] ?? 0, binTf[p] ?? 0);
      belowLen[k] = Math.min(belowLen[p] ?? 255, binLen[p] ?? 255);
    }
  }
  let cut = -1;
  let champions = 0;
  for (let b = BINS - 1; b > 0; b--) {
    champions += count[b] ?? 0;
    if (champions * 2 > n) break;
    if (champions < MIN_CHAMPIONS) continue;
    const bound = impacts.bound(
      belowTf.subarray(b * FIELD_COUNT, (b + 1) * FIELD_COUNT),
      belowLen.subarray(b * FIELD_COUNT, (b + 1) * FIELD_COUNT),
      0x7f,
    );
    if (bound < (b / BINS) * max * (1 - 1e-9)) {
      cut = b;
      break;
    }
  }
  const top = new Uint32Array(cut < 0 ? 0 : champions);
  let t = 0;
  if (cut >= 0) for (let i = 0; i < n; i++) if (binOf(imp[i] ?? 0) >= cut) top[t++] = data[i * 2] ?? 0;
  const tier = new Tier(top);
  const env = cut < 0 ? BINS : cut;
  tier.maxTf.set(belowTf.subarray(env * FIELD_COUNT, (env + 1) * FIELD_COUNT));
  tier.minLen.set(belowLen.subarray(env * FIELD_COUNT, (env + 1) * FIELD_COUNT));
  return tier;
}
