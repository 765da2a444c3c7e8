import { describe, expect, it } from 'vitest';
import { editBudget, osaDistance, splitPersonName, tokens, wordMatches } from './corpus';
import { DEMO_SEED, generateProviders, type ProviderDraft } from './generate';
import {
  buildRelevanceSet,
  defaultRelevanceSet,
  layTerms,
  misspellings,
  RELEVANCE_SET_COUNT,
} from './relevance-set';
import { layTermSynonyms, normaliseTerm, specialtyByCode } from './vocabulary';

const providers = generateProviders({ count: RELEVANCE_SET_COUNT, seed: DEMO_SEED });
const set = defaultRelevanceSet();
const byKey = new Map(providers.map((p) => [p.key, p]));

/** Words of a provider's searchable fields, including its specialties' vocabulary words. */
function words(p: ProviderDraft): string[] {
  const parts = [p.name, p.address.city, ...p.conditions, ...p.insurance, ...p.services.map((s) => s.name)];
  for (const code of p.specialties) {
    const s = specialtyByCode(code);
    if (s) parts.push(s.name, s.practitionerTitle, ...s.synonyms);
  }
  return tokens(parts.join(' '));
}

const GENERIC = new Set(['doctor', 'specialist', 'clinic', 'care', 'health', 's']);

/**
 * A deliberately plain ranker: documents matching more query words (exactly, by prefix or within
 * the typo budget) first, then closer matches. If the set is fair, even this finds the answers.
 */
function naiveRanker(docs: readonly ProviderDraft[]) {
  const postings = new Map<string, number[]>();
  docs.forEach((p, i) => {
    for (const w of new Set(words(p))) {
      const list = postings.get(w) ?? [];
      list.push(i);
      postings.set(w, list);
    }
  });
  return (query: string): string[] => {
    const covered = new Array<number>(docs.length).fill(0);
    const quality = new Array<number>(docs.length).fill(0);
    for (const q of tokens(query).filter((w) => !GENERIC.has(w))) {
      const best = new Map<number, number>();
      for (const [word, list] of postings) {
        const score = word === q ? 3 : word.startsWith(q) ? 2 : wordMatches(q, word) ? 1 : 0;
        if (score === 0) continue;
        for (const d of list) best.set(d, Math.max(best.get(d) ?? 0, score));
      }
      for (const [d, score] of best) {
        covered[d] = (covered[d] ?? 0) + 1;
        quality[d] = (quality[d] ?? 0) + score;
      }
    }
    return docs
      .map((p, i) => ({ key: p.key, covered: covered[i] ?? 0, quality: quality[i] ?? 0, i }))
      .sort((a, b) => b.covered - a.covered || b.quality - a.quality || a.i - b.i)
      .slice(0, 3)
      .map((s) => s.key);
  };
}

const specialtiesByName = new Map(
  providers
    .flatMap((p) => p.specialties)
    .map((code) => [specialtyByCode(code)?.name.toLowerCase() ?? '', code] as const),
);

describe('relevance set', () => {
  it('has at least 60 queries of every kind, with one to three existing expected providers each', () => {
    expect(set.seed).toBe(DEMO_SEED);
    expect(set.count).toBe(2000);
    expect(set.queries.length).toBeGreaterThanOrEqual(60);
    expect(new Set(set.queries.map((q) => q.id)).size).toBe(set.queries.length);
    expect(new Set(set.queries.map((q) => q.query.toLowerCase())).size).toBe(set.queries.length);
    const kinds = new Map<string, number>();
    for (const q of set.queries) {
      kinds.set(q.kind, (kinds.get(q.kind) ?? 0) + 1);
      expect(q.expectedKeys.length).toBeGreaterThanOrEqual(1);
      expect(q.expectedKeys.length).toBeLessThanOrEqual(3);
      expect(new Set(q.expectedKeys).size).toBe(q.expectedKeys.length);
      for (const key of q.expectedKeys) expect(byKey.has(key), key).toBe(true);
      expect(q.note.length).toBeGreaterThan(10);
    }
    for (const kind of [
      'full-name',
      'surname',
      'name-prefix',
      'clinic-name',
      'place',
      'misspelling',
      'lay-term',
    ]) {
      expect(kinds.get(kind) ?? 0, kind).toBeGreaterThanOrEqual(5);
    }
  });

  it('includes the headline misspellings and lay terms', () => {
    const starts = set.queries.map((q) => q.query);
    for (const head of [
      'dermatolgist ',
      'cardiolgy ',
      'pediatricain ',
      'skin doctor ',
      'kids doctor ',
      'heart ',
    ]) {
      expect(
        starts.some((q) => q.startsWith(head)),
        head,
      ).toBe(true);
    }
    expect(set.specialtyIntent.map((q) => q.query)).toEqual(
      expect.arrayContaining(['dermatolgist', 'skin doctor', 'kids doctor', 'heart']),
    );
  });

  it('is deterministic', () => {
    expect(buildRelevanceSet(providers)).toEqual(set);
  });

  it('expects the provider a name query names', () => {
    for (const q of set.queries.filter((x) =>
      ['full-name', 'surname', 'name-prefix', 'clinic-name'].includes(x.kind),
    )) {
      expect(q.expectedKeys).toHaveLength(1);
      const p = byKey.get(q.expectedKeys[0] as string) as ProviderDraft;
      const nameWords = tokens(p.name);
      for (const w of tokens(q.query)) {
        expect(
          nameWords.some((n) => (q.kind === 'name-prefix' ? n.startsWith(w) : n === w)),
          `${q.query} in ${p.name}`,
        ).toBe(true);
      }
      if (q.kind !== 'clinic-name') expect(p.kind).toBe('practitioner');
      if (q.kind === 'surname') expect(q.query).toBe(splitPersonName(p.name).last);
    }
  });

  it('expects exactly the providers of the meant specialty in the named city', () => {
    const synonyms = layTermSynonyms();
    for (const q of set.queries.filter((x) => ['place', 'misspelling', 'lay-term'].includes(x.kind))) {
      const city = [...new Set(providers.map((p) => p.address.city))].find((c) =>
        q.query.endsWith(` ${c.toLowerCase()}`),
      );
      expect(city, q.query).toBeDefined();
      const phrase = q.query.slice(0, q.query.length - (city as string).length - 1);
      const codes =
        q.kind === 'misspelling'
          ? [misspellings.find(([typo]) => typo === phrase)?.[1]]
          : q.kind === 'lay-term'
            ? synonyms[normaliseTerm(phrase)]
            : [specialtiesByName.get(phrase)];
      expect(codes?.every(Boolean), q.query).toBe(true);
      const expected = providers
        .filter((p) => p.address.city === city && p.specialties.some((c) => (codes as string[]).includes(c)))
        .map((p) => p.key)
        .sort();
      expect([...q.expectedKeys].sort(), q.query).toEqual(expected);
    }
  });

  it('uses misspellings within the typo budget of their specialty and real lay terms', () => {
    const synonyms = layTermSynonyms();
    for (const [typo, code] of misspellings) {
      const s = specialtyByCode(code);
      expect(s, code).toBeDefined();
      const vocab = new Set(tokens([s?.name, s?.practitionerTitle, ...(s?.synonyms ?? [])].join(' ')));
      expect(vocab.has(typo), `${typo} is not a typo`).toBe(false);
      const nearest = Math.min(...[...vocab].map((w) => osaDistance(typo, w)));
      expect(nearest, typo).toBeGreaterThan(0);
      expect(nearest, typo).toBeLessThanOrEqual(editBudget(typo.length));
    }
    for (const term of layTerms) expect(synonyms[normaliseTerm(term)], term).toBeDefined();
    expect(osaDistance('pediatricain', 'pediatrician')).toBe(1);
    expect(osaDistance('kitten', 'sitting')).toBe(3);
  });

  it('can be met: a plain coverage-first ranker finds at least 90% of the expected providers in its top 3', () => {
    const top3 = naiveRanker(providers);
    let found = 0;
    let total = 0;
    for (const q of set.queries) {
      const top = top3(q.query);
      for (const key of q.expectedKeys) {
        total++;
        if (top.includes(key)) found++;
      }
    }
    expect(found / total).toBeGreaterThanOrEqual(0.9);
  });

  it('lists every provider of the meant specialty for the bare intent queries', () => {
    for (const q of set.specialtyIntent) {
      expect(q.specialties.length).toBeGreaterThan(0);
      const expected = providers
        .filter((p) => p.specialties.some((c) => q.specialties.includes(c)))
        .map((p) => p.key);
      expect(q.relevantKeys).toEqual(expected);
      expect(q.relevantKeys.length).toBeGreaterThan(3);
    }
  });
});
