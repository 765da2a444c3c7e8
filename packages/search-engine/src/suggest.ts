/**
 * As-you-type suggestions over specialty names, conditions, cities (phrase table) and provider
 * names (inverted index, name field only). The last word is a prefix (typo-tolerant from 4
 * letters); earlier words must match whole words. Exact-prefix matches rank before typo matches,
 * then phrases by how many listings carry them.
 */

import { FIELD_BITS, TF_MAX } from './postings';
import type { IndexState } from './state';
import { maxEditsFor, normalizeWord, tokenize } from './text';
import type { Suggestion } from './types';

const NAME_FIELD = 0;
const NAME_SCAN_LIMIT = 5000;

interface Ranked {
  s: Suggestion;
  rank: number;
}

export function suggest(state: IndexState, input: string, limit: number): Suggestion[] {
  const words = tokenize(input);
  const last = words.pop();
  if (last === undefined || limit <= 0) return [];
  const edits = maxEditsFor(last.length);
  // Completions of the last word: term → distance (0 = exact prefix).
  const completions = new Map<string, number>();
  for (const m of state.terms.trie.fuzzy(last, edits, true, 4000, maxEditsFor(last.length - 1))) {
    const t = state.terms.terms[m.term];
    if (t !== undefined && state.terms.df(m.term) > 0) completions.set(t, m.distance);
  }
  if (completions.size === 0) return [];
  const whole = normalizeWord(input.trim());
  const out: Ranked[] = [];

  for (const p of state.phrases.all()) {
    if (!words.every((w) => p.words.includes(w))) continue;
    let best = Number.POSITIVE_INFINITY;
    for (const w of p.words) {
      const d = completions.get(w);
      if (d !== undefined && d < best) best = d;
    }
    if (best === Number.POSITIVE_INFINITY) continue;
    const starts = normalizeWord(p.text).startsWith(whole) ? 1 : 0;
    out.push({ s: { text: p.text, kind: p.kind, count: p.count }, rank: rankOf(best, starts, p.count) });
  }

  // Names: docs whose name contains a completion of the last word and every earlier word.
  const required = words.map((w) => state.terms.id(w));
  if (required.every((t) => t !== undefined)) {
    const seen = new Set<number>();
    const nameShift = NAME_FIELD * FIELD_BITS;
    let scanned = 0;
    const byDistance = [...completions].sort((a, b) => a[1] - b[1]);
    outer: for (const [term, distance] of byDistance) {
      const pl = state.terms.postings[state.terms.id(term) ?? -1];
      if (!pl) continue;
      for (let i = 0; i < pl.len * 2; i += 2) {
        if (++scanned > NAME_SCAN_LIMIT) break outer;
        const doc = pl.data[i] ?? 0;
        if ((((pl.data[i + 1] ?? 0) >>> nameShift) & TF_MAX) === 0 || seen.has(doc)) continue;
        if (!required.every((t) => hasNameTerm(state, t ?? -1, doc))) continue;
        seen.add(doc);
        const d = state.docs[doc];
        if (!d) continue;
        const starts = normalizeWord(d.name).startsWith(whole) ? 1 : 0;
        out.push({
          s: { text: d.name, kind: 'name', count: 1, id: d.id },
          rank: rankOf(distance, starts, 1),
        });
      }
    }
  }
  out.sort((a, b) => b.rank - a.rank || a.s.text.localeCompare(b.s.text));
  return out.slice(0, limit).map((r) => r.s);
}

function rankOf(distance: number, startsWithInput: number, count: number): number {
  return (3 - Math.min(distance, 2)) * 1e6 + startsWithInput * 5e5 + Math.min(count, 4e5);
}

function hasNameTerm(state: IndexState, term: number, doc: number): boolean {
  const pl = state.terms.postings[term];
  if (!pl) return false;
  let lo = 0;
  let hi = pl.len - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = pl.data[mid * 2] ?? 0;
    if (v < doc) lo = mid + 1;
    else if (v > doc) hi = mid - 1;
    else return (((pl.data[mid * 2 + 1] ?? 0) >>> (NAME_FIELD * FIELD_BITS)) & TF_MAX) !== 0;
  }
  return false;
}
