/**
 * Inverted index. Each term owns one interleaved Uint32Array `[doc, tfWord, doc, tfWord, …]`
 * sorted by doc id. `tfWord` packs a 4-bit term frequency per text field (7 fields → 28 bits),
 * so one posting costs 8 bytes regardless of how many fields the term occurs in.
 */

import type { Tier } from './tiers';
import { Trie } from './trie';

export const FIELD_BITS = 4;
export const TF_MAX = 15;

export class PostingList {
  data: Uint32Array;
  len = 0;
  /** Champions and envelope for early termination (long lists only; see tiers.ts). */
  tier: Tier | null = null;
  constructor(capacity = 2) {
    this.data = new Uint32Array(capacity * 2);
  }

  get size(): number {
    return this.len;
  }

  /** Binary search; index of `doc` or `-(insertionPoint + 1)`. */
  private indexOf(doc: number): number {
    let lo = 0;
    let hi = this.len - 1;
    const d = this.data;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = d[mid * 2] ?? 0;
      if (v < doc) lo = mid + 1;
      else if (v > doc) hi = mid - 1;
      else return mid;
    }
    return -(lo + 1);
  }

  /** Inserts or replaces the entry for `doc`. Appending in doc order is O(1). */
  put(doc: number, tfWord: number): void {
    const d = this.data;
    if (this.len === 0 || (d[(this.len - 1) * 2] ?? 0) < doc) {
      this.ensure(this.len + 1);
      this.data[this.len * 2] = doc;
      this.data[this.len * 2 + 1] = tfWord;
      this.len++;
      return;
    }
    const i = this.indexOf(doc);
    if (i >= 0) {
      d[i * 2 + 1] = tfWord;
      return;
    }
    const at = -i - 1;
    this.ensure(this.len + 1);
    this.data.copyWithin(at * 2 + 2, at * 2, this.len * 2);
    this.data[at * 2] = doc;
    this.data[at * 2 + 1] = tfWord;
    this.len++;
  }

  remove(doc: number): boolean {
    const i = this.indexOf(doc);
    if (i < 0) return false;
    this.tier?.drop(doc);
    this.data.copyWithin(i * 2, i * 2 + 2, this.len * 2);
    this.len--;
    if (this.len * 8 < this.data.length && this.data.length > 16) this.resize(this.len * 2);
    return true;
  }

  private ensure(n: number): void {
    if (n * 2 <= this.data.length) return;
    this.resize(Math.max(4, Math.ceil(n * 1.5)));
  }

  private resize(entries: number): void {
    const next = new Uint32Array(entries * 2);
    next.set(this.data.subarray(0, Math.min(this.len, entries) * 2));
    this.data = next;
  }

  /** Releases spare capacity (after a bulk load). */
  trim(): void {
    if (this.data.length !== this.len * 2) this.resize(this.len);
  }
}

/** Term dictionary: string ↔ dense term id, postings per id, and a trie for fuzzy/prefix lookup. */
export class TermIndex {
  private ids = new Map<string, number>();
  readonly terms: string[] = [];
  readonly postings: PostingList[] = [];
  readonly trie = new Trie();

  id(term: string): number | undefined {
    return this.ids.get(term);
  }

  /** Term id, creating it when absent. Hidden terms (synonym keys) stay out of the trie. */
  intern(term: string, hidden = false): number {
    let id = this.ids.get(term);
    if (id === undefined) {
      id = this.terms.length;
      this.ids.set(term, id);
      this.terms.push(term);
      this.postings.push(new PostingList());
      if (!hidden) this.trie.insert(term, id);
    }
    return id;
  }

  df(term: number): number {
    return this.postings[term]?.len ?? 0;
  }

  get size(): number {
    return this.terms.length;
  }

  trimAll(): void {
    for (const p of this.postings) p.trim();
  }
}

/**
 * Index of the first entry of `data` (interleaved `[doc, tfWord]`, `len` entries, sorted by doc)
 * at or after `from` whose doc is ≥ `doc`: exponential then binary search, so a walk over sorted
 * targets costs O(targets · log(gap)) instead of O(len).
 */
export function seek(data: Uint32Array, len: number, from: number, doc: number): number {
  if (from >= len || (data[from * 2] ?? 0) >= doc) return from;
  let lo = from;
  let step = 1;
  let hi = from + 1;
  while (hi < len && (data[hi * 2] ?? 0) < doc) {
    lo = hi;
    step *= 2;
    hi = from + step;
  }
  if (hi > len) hi = len;
  while (lo + 1 < hi) {
    const mid = (lo + hi) >>> 1;
    if ((data[mid * 2] ?? 0) < doc) lo = mid;
    else hi = mid;
  }
  return hi;
}
