/**
 * Query planning: words → groups of weighted term variants. A group is satisfied when a document
 * contains any of its variants; with `match: 'all'` every group must be satisfied.
 *  - exact term: weight 1
 *  - completion of the last word (as-you-type): 0.6–0.9, higher when little is missing
 *  - typo variant: × 0.55 per edit step (1 edit for 4+ letters, 2 for 8+; completions of the
 *    last word get the budget of a word one letter shorter). When the word itself, or an exact
 *    completion of it, is in the index, 2-edit variants are left out: the user typed a real word,
 *    and its far neighbours ("neurology" → "urology") only add noise and work. At most
 *    MAX_VARIANTS variants per word, best weight first.
 *  - lay synonym phrase ("skin doctor"): hidden specialty-code terms, weight 1, specialties only
 * Words whose group has no variant with documents are dropped and reported as ignored.
 */

import type { IndexState } from './state';
import { SPECIALTY_FIELD } from './state';
import { codeTerm } from './synonyms';
import { maxEditsFor, tokenize } from './text';
import type { TermMatch } from './trie';

export const ALL_FIELDS = 0x7f;
const MAX_VARIANTS = 16;
const PREFIX_SCAN_LIMIT = 4000;
const MAX_QUERY_WORDS = 32;

export interface Variant {
  term: number;
  weight: number;
  fieldMask: number;
}

export interface Group {
  label: string;
  variants: Variant[];
  /** Sum of document frequencies: an upper bound on the group's matches. */
  estimate: number;
}

export interface Plan {
  groups: Group[];
  ignored: string[];
  /** Number of words in the query (0 → filter-only query). */
  words: number;
  /** Specialty codes selected through lay synonyms (for highlighting). */
  synonymCodes: string[];
}

export interface PlanOptions {
  typo: boolean;
  prefix: boolean;
}

/** A word's variants and the specialty codes its lay-synonym variants bring in. */
interface Expansion {
  variants: readonly Variant[];
  codes: readonly string[];
}

const EXPANSIONS_MAX = 2048;

/**
 * Expansions of words already seen, valid for one index version: the typo and completion walk of
 * the trie is the dearest part of a plan, and the words of a search box repeat. Any mutation of the
 * index moves its version (document frequencies, vocabulary), which empties the cache; so a cached
 * expansion is exactly what `expandWord` would return. Entries are read-only (`pushGroup` copies).
 */
export class ExpansionCache {
  private version = -1;
  private readonly map = new Map<string, Expansion>();

  get(state: IndexState, word: string, typo: boolean, prefix: boolean): Expansion {
    if (this.version !== state.version) {
      this.map.clear();
      this.version = state.version;
    }
    const key = `${typo ? 't' : '-'}${prefix ? 'p' : '-'}${word}`;
    let e = this.map.get(key);
    if (e === undefined) {
      const codes: string[] = [];
      e = { variants: expandWord(state, word, typo, prefix, codes), codes };
      if (this.map.size >= EXPANSIONS_MAX) this.map.clear();
      this.map.set(key, e);
    }
    return e;
  }
}

export function planQuery(
  state: IndexState,
  q: string,
  opts: PlanOptions,
  cache: ExpansionCache = new ExpansionCache(),
): Plan {
  const words = tokenize(q).slice(0, MAX_QUERY_WORDS);
  const groups: Group[] = [];
  const ignored: string[] = [];
  const synonymCodes: string[] = [];
  for (let i = 0; i < words.length; ) {
    const rule = state.synonyms.match(words, i);
    if (rule) {
      const variants: Variant[] = [];
      for (const code of rule.codes) variants.push(...codeVariants(state, code, 1));
      synonymCodes.push(...rule.codes);
      pushGroup(state, groups, ignored, rule.words.join(' '), variants);
      i += rule.words.length;
      continue;
    }
    const w = words[i] ?? '';
    const isLast = i === words.length - 1;
    const { variants, codes } = cache.get(state, w, opts.typo, opts.prefix && isLast);
    synonymCodes.push(...codes);
    pushGroup(state, groups, ignored, w, variants);
    i++;
  }
  return { groups, ignored, words: words.length, synonymCodes };
}

function codeVariants(state: IndexState, code: string, weight: number): Variant[] {
  const t = state.terms.id(codeTerm(code));
  if (t === undefined || state.terms.df(t) === 0) return [];
  return [{ term: t, weight, fieldMask: 1 << SPECIALTY_FIELD }];
}

function pushGroup(
  state: IndexState,
  groups: Group[],
  ignored: string[],
  label: string,
  variants: readonly Variant[],
) {
  const byTerm = new Map<number, Variant>();
  for (const v of variants) {
    const old = byTerm.get(v.term);
    if (!old) byTerm.set(v.term, { ...v });
    else {
      old.weight = Math.max(old.weight, v.weight);
      old.fieldMask |= v.fieldMask;
    }
  }
  const merged = [...byTerm.values()];
  if (merged.length === 0) {
    ignored.push(label);
    return;
  }
  let estimate = 0;
  for (const v of merged) estimate += state.terms.df(v.term);
  groups.push({ label, variants: merged, estimate });
}

/**
 * Variants of one word: exact, typo-tolerant and (for the last word) completions. A variant that
 * is a lay synonym key also brings in its specialty codes (codes are appended to `codesOut`).
 */
export function expandWord(
  state: IndexState,
  word: string,
  typo: boolean,
  prefix: boolean,
  codesOut: string[] = [],
): Variant[] {
  const terms = state.terms;
  const edits = typo ? maxEditsFor(word.length) : 0;
  let matches: TermMatch[];
  if (edits === 0 && !prefix) {
    const t = terms.id(word);
    matches = t === undefined ? [] : [{ term: t, distance: 0, prefix: false }];
  } else {
    // Completions get one letter less of typo budget than whole words: "clar" completes exactly.
    const prefixEdits = typo ? maxEditsFor(word.length - 1) : 0;
    matches = terms.trie.fuzzy(word, edits, prefix, prefix ? PREFIX_SCAN_LIMIT : 512, prefixEdits);
  }
  // Prefer exact and prefix hits: with one, variants two edits away are dropped.
  if (matches.some((m) => m.distance === 0)) matches = matches.filter((m) => m.distance < 2);
  const out: Variant[] = [];
  for (const m of matches) {
    let weight = 1;
    if (m.prefix) {
      const len = terms.terms[m.term]?.length ?? word.length;
      weight = 0.6 + 0.3 * Math.min(1, word.length / len);
    }
    if (m.distance > 0) weight *= 0.55 ** m.distance;
    const codes = state.synonymTerms.get(m.term);
    if (codes) {
      for (const code of codes) out.push(...codeVariants(state, code, weight));
      codesOut.push(...codes);
    }
    if (terms.df(m.term) > 0) out.push({ term: m.term, weight, fieldMask: ALL_FIELDS });
  }
  if (out.length > MAX_VARIANTS) {
    out.sort((a, b) => b.weight - a.weight || terms.df(b.term) - terms.df(a.term));
    out.length = MAX_VARIANTS;
  }
  return out;
}
