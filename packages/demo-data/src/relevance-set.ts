/**
 * Relevance judgements over the demo data, for the search engine's recall@3 test.
 *
 * Every query comes with the keys of the providers that must appear in the top three results,
 * derived from the generated data itself, deterministically:
 *
 * - `full-name`: "First Last" of a practitioner; `surname`: a surname alone; `name-prefix`:
 *   first name plus the start of the surname, as typed mid-word; `clinic-name`: a clinic's name.
 *   The expected provider is the one the name belongs to.
 * - `place`: a specialty's name and a city ("dermatology berlin"); `misspelling`: a misspelt
 *   specialty word and a city ("dermatolgist madrid"); `lay-term`: a lay phrase from the
 *   vocabulary and a city ("skin doctor leeds"). Expected: every provider in that city with the
 *   specialty (or one of the specialties the lay phrase stands for) — between one and three.
 *
 * A query is kept only if it is fair: the providers that could match *all* of its words — with
 * the typo budget of the engine (one edit from 4 letters, two from 8, adjacent transpositions
 * counting as one), prefix matches, and lay terms / specialty words expanded through the
 * vocabulary — number at most three and include every expected provider. An engine that ranks
 * documents matching every query word above those matching only some therefore finds them all in
 * its top three. Generic words ("doctor", "clinic", "health" …) are not required to match.
 *
 * `specialtyIntent` adds bare lay terms and misspellings ("skin doctor", "cardiolgy") with every
 * provider of the intended specialties: too many for a top-three list, so they are for
 * precision@3 ("are the first three results all dermatologists?") rather than recall.
 */
import { cities } from './cities';
import { DEMO_SEED, generateProviders, type ProviderDraft } from './generate';
import { mixSeed } from './prng';
import {
  languageNames,
  layTermSynonyms,
  normaliseTerm,
  type SpecialtyCode,
  specialtyByCode,
} from './vocabulary';

export type RelevanceKind =
  | 'full-name'
  | 'surname'
  | 'name-prefix'
  | 'clinic-name'
  | 'place'
  | 'misspelling'
  | 'lay-term';

export interface RelevanceQuery {
  id: string;
  kind: RelevanceKind;
  query: string;
  /** Provider keys that must all be in the top three (one to three of them). */
  expectedKeys: string[];
  /** How the expectation was derived. */
  note: string;
}

export interface SpecialtyIntentQuery {
  query: string;
  kind: 'misspelling' | 'lay-term';
  specialties: SpecialtyCode[];
  /** Every provider with one of the specialties: each of the top three should be one. */
  relevantKeys: string[];
}

export interface RelevanceSet {
  seed: number;
  count: number;
  queries: RelevanceQuery[];
  specialtyIntent: SpecialtyIntentQuery[];
}

/** Demo-set size the relevance set is built for. */
export const RELEVANCE_SET_COUNT = 2000;

/**
 * Misspellings people type, each with the specialty it means. Every one is within the engine's
 * typo budget of a word in that specialty's name, title or synonyms (the test checks).
 */
export const misspellings: ReadonlyArray<readonly [string, SpecialtyCode]> = [
  ['dermatolgist', 'dermatology'],
  ['cardiolgy', 'cardiology'],
  ['pediatricain', 'paediatrics'],
  ['opthalmologist', 'ophthalmology'],
  ['psycologist', 'psychology'],
  ['psychiatist', 'psychiatry'],
  ['gynecolgist', 'obstetrics-gynaecology'],
  ['neurolgist', 'neurology'],
  ['dentst', 'dentistry'],
  ['orthopedik', 'orthopaedics'],
  ['fysiotherapist', 'physiotherapy'],
  ['endocrinolgist', 'endocrinology'],
  ['gastroenterolgist', 'gastroenterology'],
  ['urolgist', 'urology'],
  ['rheumatolgist', 'rheumatology'],
  ['podiatrst', 'podiatry'],
  ['chiropracter', 'chiropractic'],
  ['optomitrist', 'optometry'],
  ['alergist', 'allergy-immunology'],
  ['oncolgist', 'oncology'],
  ['nefrologist', 'nephrology'],
  ['orthodentist', 'orthodontics'],
  ['dermotology', 'dermatology'],
  ['cardiologyst', 'cardiology'],
  ['peditrician', 'paediatrics'],
];

/** Lay phrases from the vocabulary; their specialties come from `layTermSynonyms`. */
export const layTerms: readonly string[] = [
  'skin doctor',
  'kids doctor',
  'heart',
  'heart doctor',
  'eye doctor',
  'bone doctor',
  'foot doctor',
  "children's doctor",
  'family doctor',
  'tooth doctor',
  'ear nose throat',
  'physio',
  "women's health",
  'stomach doctor',
  'kidney doctor',
  'lung doctor',
  'allergy doctor',
  'braces',
  'baby doctor',
  'brain doctor',
  'hormone doctor',
  'cancer doctor',
];

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

class Corpus {
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

function intersect(a: ReadonlySet<number>, b: ReadonlySet<number>): Set<number> {
  return new Set([...a].filter((x) => b.has(x)));
}

/** Builds the relevance set for a generated demo set; see the module comment. */
export function buildRelevanceSet(providers: readonly ProviderDraft[], seed = DEMO_SEED): RelevanceSet {
  const corpus = new Corpus(providers);
  const queries: RelevanceQuery[] = [];
  const counters = new Map<RelevanceKind, number>();
  const add = (kind: RelevanceKind, query: string, expected: number[], note: string) => {
    const n = (counters.get(kind) ?? 0) + 1;
    counters.set(kind, n);
    queries.push({
      id: `${kind}-${String(n).padStart(2, '0')}`,
      kind,
      query,
      expectedKeys: expected.map((i) => (providers[i] as ProviderDraft).key),
      note,
    });
  };
  const fair = (matching: Set<number> | null, expected: readonly number[]) =>
    matching !== null && matching.size <= 3 && expected.every((i) => matching.has(i));

  // A fixed pseudo-random order, so names come from every country rather than the first few.
  const order = providers.map((_, i) => i).sort((a, b) => mixSeed(a, 0x5eed) - mixSeed(b, 0x5eed) || a - b);
  const usedNames = new Set<number>();
  const nameQuery = (
    kind: RelevanceKind,
    quota: number,
    make: (p: ProviderDraft) => string | null,
    note: (q: string) => string,
  ) => {
    let found = 0;
    for (const i of order) {
      if (found >= quota) break;
      const p = providers[i] as ProviderDraft;
      if (usedNames.has(i)) continue;
      const query = make(p);
      if (!query) continue;
      if (!fair(corpus.docsMatchingAll(query), [i])) continue;
      usedNames.add(i);
      add(kind, query, [i], note(query));
      found++;
    }
  };

  nameQuery(
    'full-name',
    12,
    (p) =>
      p.kind === 'practitioner' ? `${splitPersonName(p.name).first} ${splitPersonName(p.name).last}` : null,
    (q) => `the practitioner named ${q}; at most three providers match every word`,
  );
  nameQuery(
    'surname',
    8,
    (p) => {
      if (p.kind !== 'practitioner') return null;
      const last = splitPersonName(p.name).last;
      return tokens(last).every((w) => w.length >= 5) ? last : null;
    },
    (q) => `the practitioner with the surname ${q}`,
  );
  nameQuery(
    'name-prefix',
    6,
    (p) => {
      if (p.kind !== 'practitioner') return null;
      const { first, last } = splitPersonName(p.name);
      const word = last.split(' ')[0] ?? '';
      if (word.length < 7) return null;
      return `${first} ${word.slice(0, word.length - 2)}`;
    },
    (q) => `first name and a surname typed part-way: ${q}…`,
  );
  nameQuery(
    'clinic-name',
    6,
    (p) => (p.kind === 'clinic' ? p.name : null),
    (q) => `the clinic called ${q}`,
  );

  // Specialty intent + city.
  const withCodes = (codes: readonly SpecialtyCode[]) => {
    const set = new Set<number>();
    providers.forEach((p, i) => {
      if (p.specialties.some((c) => codes.includes(c))) set.add(i);
    });
    return set;
  };
  const cityNames = cities
    .map((c) => c.name)
    .filter((name) => providers.some((p) => p.address.city === name));
  const inCity = new Map(
    cityNames.map((name) => [
      name,
      new Set(providers.flatMap((p, i) => (p.address.city === name ? [i] : []))),
    ]),
  );
  const usedPairs = new Set<string>();
  const intentQuery = (
    kind: RelevanceKind,
    phrase: string,
    codes: readonly SpecialtyCode[],
    note: string,
  ): boolean => {
    const byCode = withCodes(codes);
    const literal = corpus.docsMatchingAll(phrase);
    const intent = literal ? new Set([...byCode, ...literal]) : byCode;
    const start = mixSeed(tokens(phrase).join(' ').length, queries.length) % cityNames.length;
    for (let k = 0; k < cityNames.length; k++) {
      const city = cityNames[(start + k) % cityNames.length] as string;
      const pair = `${codes.join('+')}@${city}`;
      if (usedPairs.has(pair)) continue;
      const expected = [...intersect(byCode, inCity.get(city) ?? new Set())].sort((a, b) => a - b);
      if (expected.length < 1 || expected.length > 3) continue;
      const cityDocs = corpus.docsMatchingAll(city);
      if (!cityDocs || !fair(intersect(intent, cityDocs), expected)) continue;
      usedPairs.add(pair);
      const query = `${phrase} ${city.toLowerCase()}`;
      add(
        kind,
        query,
        expected,
        `${note} in ${city}: ${expected.length} such provider${expected.length > 1 ? 's' : ''}`,
      );
      return true;
    }
    return false;
  };

  let places = 0;
  for (const code of [
    'dermatology',
    'cardiology',
    'paediatrics',
    'neurology',
    'urology',
    'ophthalmology',
    'rheumatology',
    'endocrinology',
    'podiatry',
    'audiology',
    'gastroenterology',
    'orthodontics',
    'psychiatry',
    'midwifery',
  ] as const) {
    if (places >= 10) break;
    const s = specialtyByCode(code);
    if (s && intentQuery('place', s.name.toLowerCase(), [code], `every ${s.name.toLowerCase()} provider`))
      places++;
  }
  let typos = 0;
  for (const [typo, code] of misspellings) {
    if (typos >= 12) break;
    if (intentQuery('misspelling', typo, [code], `"${typo}" means ${code}; every such provider`)) typos++;
  }
  const synonyms = layTermSynonyms();
  let lay = 0;
  for (const term of layTerms) {
    if (lay >= 12) break;
    const codes = synonyms[normaliseTerm(term)];
    if (!codes) throw new Error(`lay term "${term}" is not in the vocabulary`);
    if (intentQuery('lay-term', term, codes, `"${term}" means ${codes.join(' or ')}; every such provider`))
      lay++;
  }

  const specialtyIntent: SpecialtyIntentQuery[] = [
    ...misspellings
      .slice(0, 8)
      .map(([typo, code]) => ({ query: typo, kind: 'misspelling' as const, specialties: [code] })),
    ...layTerms.slice(0, 8).map((term) => ({
      query: term,
      kind: 'lay-term' as const,
      specialties: synonyms[normaliseTerm(term)] ?? [],
    })),
  ].map((q) => ({
    ...q,
    relevantKeys: [...withCodes(q.specialties)]
      .sort((a, b) => a - b)
      .map((i) => (providers[i] as ProviderDraft).key),
  }));

  return { seed, count: providers.length, queries, specialtyIntent };
}

/** The relevance set for the default demo data: seed `DEMO_SEED`, 2,000 providers. */
export function defaultRelevanceSet(): RelevanceSet {
  return buildRelevanceSet(generateProviders({ count: RELEVANCE_SET_COUNT, seed: DEMO_SEED }), DEMO_SEED);
}
