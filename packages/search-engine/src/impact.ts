/**
 * BM25F impact of one posting, shared by every scoring path so they agree to the last bit:
 *   impact(doc, term) = Σ_f∈mask boost_f · tf_f·(k1+1) / (tf_f + k1·(1−b+b·len_f/avg_f))
 * and upper bounds of it from envelopes of (tf, length) pairs per field (see tiers.ts): the impact
 * grows with tf and shrinks with the field length, so an envelope bounds every posting it covers
 * under any field-length statistics.
 */

import { FIELD_BITS, TF_MAX } from './postings';
import type { IndexState } from './state';
import { FIELD_COUNT } from './types';

/** Slots per field in an envelope (term frequencies 0..TF_MAX). */
export const ENVELOPE_TF = TF_MAX + 1;

export class Impacts {
  /** norm[f * 256 + len] = k1 · (1 − b + b · len / avg_f). */
  readonly norm = new Float64Array(FIELD_COUNT * 256);
  readonly boosts: Float64Array;
  readonly k1p1: number;
  readonly docs: number;
  readonly fieldLen: Uint8Array;

  constructor(state: IndexState) {
    const live = Math.max(1, state.live);
    for (let f = 0; f < FIELD_COUNT; f++) {
      const avg = Math.max(1e-9, (state.fieldLenSum[f] ?? 0) / live);
      for (let len = 0; len < 256; len++)
        this.norm[f * 256 + len] = state.k1 * (1 - state.b + (state.b * len) / avg);
    }
    this.boosts = state.boosts;
    this.k1p1 = state.k1 + 1;
    this.docs = live;
    this.fieldLen = state.fieldLen;
  }

  idf(df: number): number {
    return Math.log(1 + (this.docs - df + 0.5) / (df + 0.5));
  }

  /** Impact of the posting `tfWord` of `doc`, counting only the fields in `mask`. */
  of(tfWord: number, doc: number, mask: number): number {
    const { norm, boosts, fieldLen, k1p1 } = this;
    let word = tfWord;
    let s = 0;
    for (let f = 0; word !== 0; f++, word >>>= FIELD_BITS) {
      const tf = word & TF_MAX;
      if (tf === 0 || ((mask >>> f) & 1) === 0) continue;
      const len = fieldLen[doc * FIELD_COUNT + f] ?? 0;
      s += ((boosts[f] ?? 1) * tf * k1p1) / (tf + (norm[f * 256 + len] ?? 1));
    }
    return s;
  }

  /**
   * Upper bound of the impact of any posting covered by an envelope: `minLen[f * 16 + tf]` is the
   * shortest field length seen with that term frequency (255: none), a Pareto frontier of
   * (tf, length) per field. Per field the best frontier point counts; fields add up.
   */
  bound(minLen: Uint8Array, mask: number): number {
    let s = 0;
    for (let f = 0; f < FIELD_COUNT; f++) {
      if (((mask >>> f) & 1) === 0) continue;
      let best = 0;
      for (let tf = 1; tf <= TF_MAX; tf++) {
        const len = minLen[f * ENVELOPE_TF + tf] ?? 255;
        if (len === 255) continue;
        const v = ((this.boosts[f] ?? 1) * tf * this.k1p1) / (tf + (this.norm[f * 256 + len] ?? 1));
        if (v > best) best = v;
      }
      s += best;
    }
    return s;
  }
}
