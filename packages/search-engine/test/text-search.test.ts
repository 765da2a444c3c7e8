import { describe, expect, it } from 'vitest';
import { SearchEngine } from '../src/index';
import { CORPUS, doc } from './fixtures';

const ids = (e: SearchEngine, q: string, extra = {}) =>
  e
    .search({ q, size: 50, ...extra })
    .hits.map((h) => h.id)
    .sort();

describe('text relevance', () => {
  const engine = SearchEngine.build(CORPUS, { synonyms: {} });

  it('finds exact specialty words and ranks single-specialty listings above mixed ones', () => {
    const r = engine.search({ q: 'dermatology' });
    expect(r.hits.map((h) => h.id).sort()).toEqual(['d1', 'd2', 'd3', 'g1']);
    expect(r.hits.at(-1)?.id).toBe('g1');
  });

  it('boosts name matches above condition matches', () => {
    const e = SearchEngine.build([
      doc('a', { name: 'Clinic Acne', conditions: [] }),
      doc('b', { name: 'Other', conditions: ['Acne'] }),
    ]);
    expect(e.search({ q: 'acne' }).hits.map((h) => h.id)).toEqual(['a', 'b']);
  });

  it('requires every word by default and any word with match=any', () => {
    expect(ids(engine, 'acne hamburg')).toEqual(['d3']);
    expect(ids(engine, 'acne hamburg', { match: 'any' })).toEqual(['d1', 'd3', 'g1']);
    const any = engine.search({ q: 'acne hamburg', match: 'any' });
    expect(any.hits[0]?.id).toBe('d3');
  });

  it('ignores words that match nothing, and a query of only such words finds nothing', () => {
    const r = engine.search({ q: 'zzzqx acne' });
    expect(r.ignoredTerms).toEqual(['zzzqx']);
    expect(r.total).toBe(3);
    expect(engine.search({ q: 'zzzqx' }).total).toBe(0);
  });

  it('folds case and diacritics', () => {
    expect(ids(engine, 'MULLER')).toEqual(['d1']);
    expect(ids(engine, 'münchen')).toEqual(['c2']);
  });
});

describe('typo tolerance', () => {
  const engine = SearchEngine.build(CORPUS, { synonyms: {} });

  it('"dermatolgist" finds a listing that says "dermatologist"', () => {
    const e = SearchEngine.build(
      [doc('x', { name: 'Dermatologist Dr. Ito' }), doc('y', { name: 'Dr. Ot' })],
      {
        synonyms: {},
      },
    );
    expect(ids(e, 'dermatolgist')).toEqual(['x']);
  });

  it('allows one edit from 4 letters (substitution, deletion, insertion, transposition)', () => {
    for (const q of ['acme', 'acnee', 'cane']) {
      expect(ids(engine, q, { prefix: false }), q).toEqual(expect.arrayContaining(['d1', 'd3', 'g1']));
    }
    expect(ids(engine, 'ecema', { prefix: false })).toEqual(['d1']);
    expect(ids(engine, 'acne', { prefix: false })).toEqual(['d1', 'd3', 'g1']);
  });

  it('allows no edit below 4 letters and two edits from 8 letters', () => {
    expect(engine.search({ q: 'ecg', prefix: false }).total).toBe(1);
    expect(engine.search({ q: 'ecx', prefix: false }).total).toBe(0);
    expect(ids(engine, 'psorasiss', { prefix: false })).toEqual(['d2']); // 2 edits, 9 letters
    expect(engine.search({ q: 'psxrasiss', prefix: false }).total).toBe(0); // 3 edits
    expect(engine.search({ q: 'psoiasi', prefix: false }).total).toBe(0); // 7 letters, 2 edits
  });

  it('ranks exact matches above typo matches', () => {
    const e = SearchEngine.build([doc('x', { name: 'Weber' }), doc('y', { name: 'Weer' })]);
    expect(e.search({ q: 'weber', prefix: false }).hits.map((h) => h.id)).toEqual(['x', 'y']);
  });

  it('can be switched off', () => {
    expect(engine.search({ q: 'dermatolgy', typo: false, prefix: false }).total).toBe(0);
  });
});

describe('prefix (as-you-type)', () => {
  const engine = SearchEngine.build(CORPUS, { synonyms: {} });

  it('completes the last word only', () => {
    expect(ids(engine, 'ann')).toEqual(['d1', 'g1']);
    const r = engine.search({ q: 'ann weber' });
    expect(r.ignoredTerms).toEqual(['ann']);
    expect(r.hits.map((h) => h.id)).toEqual(['g1']);
    expect(ids(engine, 'anna web')).toEqual([]);
    expect(ids(engine, 'annabelle web')).toEqual(['g1']);
    expect(engine.search({ q: 'ann', prefix: false }).total).toBe(0);
  });

  it('ranks a full word above a longer completion', () => {
    expect(engine.search({ q: 'anna' }).hits.map((h) => h.id)).toEqual(['d1', 'g1']);
  });

  it('tolerates a typo inside a long prefix', () => {
    expect(ids(engine, 'dermatlo')).toEqual(['d1', 'd2', 'd3', 'g1']);
  });
});

describe('lay synonyms', () => {
  it('maps lay phrases to specialty codes', () => {
    const engine = SearchEngine.build(CORPUS);
    const acne = engine.search({ q: 'acne', prefix: false });
    expect(
      acne.hits
        .map((h) => h.id)
        .slice(0, 2)
        .sort(),
    ).toEqual(['d1', 'd3']); // literal + synonym
    expect(acne.total).toBe(4);
    expect(ids(engine, 'skin doctor')).toEqual(['d1', 'd2', 'd3', 'g1']);
    expect(ids(engine, 'kids doctor')).toEqual(['p1']);
    // lay single words are typo-tolerant like any other word
    expect(ids(engine, 'dermatolgist')).toEqual(['d1', 'd2', 'd3', 'g1']);
    expect(ids(engine, 'heart')).toEqual(['c1', 'c2']);
    expect(ids(engine, 'skin doctor hamburg')).toEqual(['d3']);
  });

  it('uses the vocabulary passed in, not the default', () => {
    const engine = SearchEngine.build(CORPUS, { synonyms: { 'herz arzt': ['cardiology'] } });
    expect(ids(engine, 'herz arzt')).toEqual(['c1', 'c2']);
    expect(engine.search({ q: 'kids doctor' }).total).toBe(0);
  });
});

describe('word expansions kept between searches', () => {
  it('follow every change of the index: new words, typo variants and completions appear and go', () => {
    const e = SearchEngine.build([doc('a', { name: 'Clinic One', specialtyNames: ['Dermatology'] })], {
      synonyms: {},
    });
    const found = (q: string) => {
      const r = e.search({ q, size: 50 });
      return { ids: r.hits.map((h) => h.id).sort(), ignored: r.ignoredTerms };
    };
    expect(found('ortho')).toEqual({ ids: [], ignored: ['ortho'] });
    expect(found('cardiolgy')).toEqual({ ids: [], ignored: ['cardiolgy'] });
    e.upsert(doc('b', { name: 'Clinic Two', specialtyNames: ['Orthopedics', 'Cardiology'] }));
    expect(found('ortho')).toEqual({ ids: ['b'], ignored: [] });
    expect(found('cardiolgy')).toEqual({ ids: ['b'], ignored: [] });
    expect(found('clinic')).toEqual({ ids: ['a', 'b'], ignored: [] });
    e.delete('b');
    expect(found('ortho')).toEqual({ ids: [], ignored: ['ortho'] });
    expect(found('cardiolgy')).toEqual({ ids: [], ignored: ['cardiolgy'] });
    expect(found('clinic')).toEqual({ ids: ['a'], ignored: [] });
  });
});
