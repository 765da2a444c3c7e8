import { describe, expect, it } from 'vitest';
import { markHighlights, SearchEngine } from '../src/index';
import { CORPUS } from './fixtures';

const engine = SearchEngine.build(CORPUS);

describe('highlights', () => {
  it('reports offsets into the original value for exact, typo and prefix matches', () => {
    const hit = engine.search({ q: 'mueller acne', match: 'any' }).hits.find((h) => h.id === 'd1');
    expect(hit).toBeDefined();
    const cond = hit?.highlights.find((h) => h.field === 'conditions');
    expect(cond).toEqual({ field: 'conditions', index: 0, value: 'Acne', offsets: [[0, 4]] });
    const name = hit?.highlights.find((h) => h.field === 'name');
    expect(name?.offsets).toEqual([[9, 15]]); // "Müller" matched "mueller" with one edit
    const pre = engine.search({ q: 'psor' }).hits[0]?.highlights.find((h) => h.field === 'conditions');
    expect(pre?.value.slice(pre.offsets[0]?.[0], pre.offsets[0]?.[1])).toBe('Psoriasis');
  });

  it('highlights a specialty selected through a lay synonym', () => {
    const hit = engine.search({ q: 'kids doctor' }).hits[0];
    expect(hit?.highlights).toEqual([
      { field: 'specialtyNames', index: 0, value: 'Paediatrics', offsets: [[0, 11]] },
    ]);
  });

  it('renders <mark> with HTML escaping', () => {
    expect(markHighlights('A & <B> Müller', [[8, 14]])).toBe('A &amp; &lt;B&gt; <mark>Müller</mark>');
  });

  it('can be switched off', () => {
    expect(engine.search({ q: 'acne', highlight: false }).hits[0]?.highlights).toEqual([]);
  });
});

describe('suggestions', () => {
  it('completes specialty names, conditions and cities with listing counts', () => {
    expect(engine.suggest('derm')).toEqual([{ text: 'Dermatology', kind: 'specialty', count: 4 }]);
    expect(engine.suggest('ham', 5)).toEqual(
      expect.arrayContaining([{ text: 'Hamburg', kind: 'city', count: 1 }]),
    );
    expect(engine.suggest('hyper')).toEqual([{ text: 'Hypertension', kind: 'condition', count: 1 }]);
  });

  it('completes provider names on any word, with earlier words required', () => {
    const anna = engine.suggest('ann');
    expect(anna.map((s) => s.id)).toEqual(['d1', 'g1']);
    expect(engine.suggest('dr anna m').map((s) => s.id)).toEqual(['d1']);
    expect(engine.suggest('annabelle m')).toEqual([]);
  });

  it('tolerates a typo from 4 letters and ranks exact prefixes first', () => {
    expect(engine.suggest('dermt')[0]?.text).toBe('Dermatology');
    const s = engine.suggest('muni');
    expect(s[0]).toEqual({ text: 'Munich', kind: 'city', count: 2 });
  });

  it('respects the limit and forgets deleted values', () => {
    expect(engine.suggest('a', 2)).toHaveLength(2);
    const e = SearchEngine.build(CORPUS);
    e.delete('c2');
    e.delete('c1');
    expect(e.suggest('cardio')).toEqual([]);
    expect(e.suggest('xqzv')).toEqual([]);
  });
});
