/**
 * The exact match set of a `match: 'all'` query, without scoring: documents that contain a variant
 * of every word group, as a sorted list. The rarest group is unioned through a bitset (which
 * yields doc order for free); every further group filters that list, marking its short posting
 * lists in the bitset and galloping through its long ones, so a word in 85 % of the listings
 * ("dr") costs O(candidates · log gap), not a walk over its whole list.
 */

import type { Group } from './plan';
import { seek } from './postings';
import type { Scratch } from './score';
import type { IndexState } from './state';

/** Writes the docs matching every group to `scratch.cand[0..n)` (ascending); returns n. */
export function matchAll(state: IndexState, groups: readonly Group[], scratch: Scratch): number {
  const ordered = [...groups].sort((a, b) => a.estimate - b.estimate);
  const { bits, cand } = scratch;
  const postings = state.terms.postings;
  const first = ordered[0];
  if (!first) return 0;
  let n = 0;
  const single = first.variants.length === 1 ? postings[first.variants[0]?.term ?? -1] : undefined;
  if (single) {
    const d = single.data;
    for (let i = 0; i < single.len; i++) cand[i] = d[i * 2] ?? 0;
    n = single.len;
  } else {
    for (const v of first.variants) {
      const pl = postings[v.term];
      if (!pl) continue;
      const d = pl.data;
      for (let i = 0, end = pl.len * 2; i < end; i += 2) bits.set(d[i] ?? 0);
    }
    n = bits.drain(cand);
  }
  const cursors: number[] = [];
  for (let g = 1; g < ordered.length && n > 0; g++) {
    const group = ordered[g];
    if (!group) continue;
    const long: number[] = [];
    let marked = false;
    for (const v of group.variants) {
      const pl = postings[v.term];
      if (!pl || pl.len === 0) continue;
      if (pl.len <= n * 2) {
        const d = pl.data;
        for (let i = 0, end = pl.len * 2; i < end; i += 2) bits.set(d[i] ?? 0);
        marked = true;
      } else long.push(v.term);
    }
    cursors.length = long.length;
    cursors.fill(0);
    let m = 0;
    for (let i = 0; i < n; i++) {
      const doc = cand[i] ?? 0;
      let keep = marked && bits.has(doc);
      for (let j = 0; j < long.length && !keep; j++) {
        const pl = postings[long[j] ?? 0];
        if (!pl) continue;
        const c = seek(pl.data, pl.len, cursors[j] ?? 0, doc);
        cursors[j] = c;
        keep = c < pl.len && pl.data[c * 2] === doc;
      }
      if (keep) cand[m++] = doc;
    }
    if (marked) bits.clear();
    n = m;
  }
  return n;
}
