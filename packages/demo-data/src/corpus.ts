import type { ProviderDraft } from './generate';
import { languageNames, specialtyByCode } from './vocabulary';

/**
 * The relevance oracle's own word matching over the demo providers: the engine's typo budget,
 * prefixes and generic words, written independently of the search engine it judges.
 */

/** Words a query may contain without every match having to contain them. */
const GENERIC = new Set([
  'doctor',
  'doctors',
  'specialist',
  'specialists',
  'clinic',
  'care',
  'health',
  'dr',
  's',
  'for',
  'and',
  'of',
  'the',
  'in',
  'near',
]);

const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/** Lower-case, diacritics stripped, split on anything that is not a letter or digit. */
export function tokens(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(WORD)) {
    out.push(m[0].toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').replace(/ß/g, 'ss'));
  }
  return out;
}

/** Edit budget of the engine: none below 4 letters, one from 4, two from 8. */
export function editBudget(length: number): number {
  return length >= 8 ? 2 : length >= 4 ? 1 : 0;
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
export function osaDistance(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  let prev2 = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let cur = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, (prev2[j - 2] as number) + 1);
      cur[j] = v;
    }
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[m] as number;
}

/** Does query word `q` reach document word `d` by equality, typo budget or as a prefix? */
export function wordMatches(q: string, d: string): boolean {
  if (q === d || d.startsWith(q)) return true;
  const budget = editBudget(q.length);
  return budget > 0 && Math.abs(q.length - d.length) <= budget && osaDistance(q, d) <= budget;
}

/** The words a search engine would index for a provider, over the fields issue 5 names. */
export function searchableWords(p: ProviderDraft): Set<string> {
  const parts: string[] = [p.name, p.address.city, ...p.conditions, ...p.insurance];
  for (const s of p.services) parts.push(s.name);
  for (const l of p.languages) parts.push(languageNames[l]);
  for (const code of p.specialties) {
    const s = specialtyByCode(code);
    if (s) parts.push(s.name, s.practitionerTitle, ...s.synonyms);
  }
  return new Set(tokens(parts.join(' ')));
}

export class Corpus {
  readonly postings = new Map<string, number[]>();
  private readonly cache = new Map<string, ReadonlySet<number>>();

  constructor(readonly providers: readonly ProviderDraft[]) {
    providers.forEach((p, i) => {
      for (const w of searchableWords(p)) {
        let list = this.postings.get(w);
        if (!list) {
          list = [];
          this.postings.set(w, list);
        }
        list.push(i);
      }
    });
  }

  /** Providers with a word that `q` matches. */
  docsFor(q: string): ReadonlySet<number> {
    let out = this.cache.get(q);
    if (!out) {
      const set = new Set<number>();
      for (const [word, docs] of this.postings) if (wordMatches(q, word)) for (const d of docs) set.add(d);
      out = set;
      this.cache.set(q, out);
    }
    return out;
  }

  /** Providers matching every non-generic word of `text`; null when all words are generic. */
  docsMatchingAll(text: string): Set<number> | null {
    const words = tokens(text).filter((w) => !GENERIC.has(w));
    if (words.length === 0) return null;
    const [first, ...rest] = words as [string, ...string[]];
    let out = new Set(this.docsFor(first));
    for (const w of rest) out = intersect(out, this.docsFor(w));
    return out;
  }
}

/** "Dr. med. Anna Müller" → { first: 'Anna', last: 'Müller' }. */
export function splitPersonName(name: string): { first: string; last: string } {
  const bare = name.replace(/^(Dr\. med\. dent\.|Dr\. med\.|Dipl\.-Psych\.|Dra\.|Dr\.|Dre|Dr)\s+/, '');
  const space = bare.indexOf(' ');
  return { first: bare.slice(0, space), last: bare.slice(space + 1) };
}

export function intersect(a: ReadonlySet<number>, b: ReadonlySet<number>): Set<number> {
  return new Set([...a].filter((x) => b.has(x)));
}
