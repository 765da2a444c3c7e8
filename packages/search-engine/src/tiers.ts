/**
 * Impact tiers for early termination. A long posting list (≥ TIER_MIN_DF postings) keeps, besides
 * its doc-ordered entries, the doc-ordered list of its *champions* — the postings with the highest
 * impact — and an *envelope* of all the others: for each set of fields a posting occurs in, per
 * field and term frequency the shortest field length seen. The envelope bounds the impact of every
 * non-champion under any statistics (impact grows with tf, shrinks with length), so the bound stays
 * valid while documents come and go:
 *  - a new posting the envelope does not cover becomes a champion, else it is covered;
 *  - a removed posting leaves the envelope as it was (a bound may only get looser).
 * The champions are chosen at `trim()` (after a bulk build) where the impact distribution drops
 * below the envelope bound of the rest; a list whose impacts are flat gets no champions at all.
 */

import { ENVELOPE_TF, type Impacts } from './impact';
import { FIELD_BITS, type PostingList, TF_MAX } from './postings';
import { FIELD_COUNT } from './types';

export const TIER_MIN_DF = 2048;
const MIN_CHAMPIONS = 64;
const BINS = 128;
/** Envelope width: per field, one shortest length per term frequency. */
const W = FIELD_COUNT * ENVELOPE_TF;

/** Field-set signature of a posting (bit f = the term occurs in field f). */
function signature(tfWord: number): number {
  let sig = 0;
  let word = tfWord;
  for (let f = 0; word !== 0; f++, word >>>= FIELD_BITS) if ((word & TF_MAX) !== 0) sig |= 1 << f;
  return sig;
}

/** Per field set: `minLen[f * ENVELOPE_TF + tf]`, the shortest length seen with that tf (255: none). */
export type Envelope = Map<number, Uint8Array>;

/** Upper bound of the impact of any posting an envelope covers. */
export function envelopeBound(env: Envelope, impacts: Impacts, mask: number): number {
  let max = 0;
  for (const [sig, minLen] of env) {
    const b = impacts.bound(minLen, sig & mask);
    if (b > max) max = b;
  }
  return max;
}

export class Tier {
  top: Uint32Array;
  len = 0;
  /** Envelope of the non-champions. */
  readonly envelope: Envelope;

  constructor(top: Uint32Array, envelope: Envelope) {
    this.top = top;
    this.len = top.length;
    this.envelope = envelope;
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

  /** True when the envelope of the posting's field set has, per field, a point with ≥ tf and ≤ length. */
  covers(tfWord: number, fieldLen: Uint8Array, at: number): boolean {
    const minLen = this.envelope.get(signature(tfWord));
    if (!minLen) return false;
    let word = tfWord;
    for (let f = 0; word !== 0; f++, word >>>= FIELD_BITS) {
      const tf = word & TF_MAX;
      if (tf === 0) continue;
      const len = fieldLen[at + f] ?? 0;
      let ok = false;
      for (let t = tf; t <= TF_MAX && !ok; t++) ok = (minLen[f * ENVELOPE_TF + t] ?? 255) <= len;
      if (!ok) return false;
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
 * `minChampions`, at most half the list) whose lowest impact is above the envelope bound of the
 * rest. Impacts are bucketed into BINS bins of the maximum, so this is two linear passes.
 */
export function buildTier(pl: PostingList, impacts: Impacts, minChampions = MIN_CHAMPIONS): Tier {
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
  // Per field set, per bin: the envelope of the postings in that bin.
  const bins = new Map<number, Uint8Array>();
  for (let i = 0; i < n; i++) {
    const b = binOf(imp[i] ?? 0);
    count[b] = (count[b] ?? 0) + 1;
    const tfWord = data[i * 2 + 1] ?? 0;
    const sig = signature(tfWord);
    let env = bins.get(sig);
    if (!env) {
      env = new Uint8Array(BINS * W).fill(255);
      bins.set(sig, env);
    }
    const doc = data[i * 2] ?? 0;
    let word = tfWord;
    for (let f = 0; word !== 0; f++, word >>>= FIELD_BITS) {
      const tf = word & TF_MAX;
      if (tf === 0) continue;
      const k = b * W + f * ENVELOPE_TF + tf;
      const len = fieldLen[doc * FIELD_COUNT + f] ?? 0;
      if (len < (env[k] ?? 255)) env[k] = len;
    }
  }
  // below.get(sig)[b] = envelope of that field set over the bins under b (cumulative from the bottom).
  const below = new Map<number, Uint8Array>();
  for (const [sig, env] of bins) {
    const cum = new Uint8Array((BINS + 1) * W).fill(255);
    for (let b = 1; b <= BINS; b++)
      for (let j = 0; j < W; j++)
        cum[b * W + j] = Math.min(cum[(b - 1) * W + j] ?? 255, env[(b - 1) * W + j] ?? 255);
    below.set(sig, cum);
  }
  const envelopeAt = (b: number): Envelope => {
    const env: Envelope = new Map();
    for (const [sig, cum] of below) {
      const e = cum.slice(b * W, (b + 1) * W);
      if (e.some((x) => x !== 255)) env.set(sig, e);
    }
    return env;
  };
  let cut = -1;
  let champions = 0;
  for (let b = BINS - 1; b > 0; b--) {
    champions += count[b] ?? 0;
    if (champions * 2 > n) break;
    if (champions < minChampions) continue;
    if (envelopeBound(envelopeAt(b), impacts, 0x7f) < (b / BINS) * max * (1 - 1e-9)) {
      cut = b;
      break;
    }
  }
  const top = new Uint32Array(cut < 0 ? 0 : champions);
  let t = 0;
  if (cut >= 0) for (let i = 0; i < n; i++) if (binOf(imp[i] ?? 0) >= cut) top[t++] = data[i * 2] ?? 0;
  return new Tier(top, envelopeAt(cut < 0 ? BINS : cut));
}
