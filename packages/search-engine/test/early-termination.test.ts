import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Impacts } from '../src/impact';
import { matchAll } from '../src/match';
import { planQuery } from '../src/plan';
import { essentialTopK, scoreDocs } from '../src/rank';
import { Scratch } from '../src/score';
import { IndexState } from '../src/state';
import { buildTier } from '../src/tiers';
import { topK } from '../src/topk';
import type { ProviderDoc } from '../src/types';
import { doc } from './fixtures';

/**
 * The early-terminating top-k (champions + envelope bounds) against an exhaustive evaluation: every
 * match scored by the same scorer and fully sorted. Corpora are random, with skewed word
 * frequencies and field lengths so that impacts differ; tiers are forced on every list of 8+
 * postings (production builds them from 2,048 postings with at least 64 champions), and then the index is mutated so that champions
 * are admitted and dropped incrementally.
 */

const VOCAB = ['anna', 'weber', 'acne', 'heart', 'clinic', 'skin', 'berlin', 'care', 'child', 'pain'];
// Skewed: the first words are frequent, the last ones rare.
const wordArb = fc
  .integer({ min: 0, max: 54 })
  .map((x) => VOCAB[Math.min(VOCAB.length - 1, Math.floor(Math.sqrt(x * 2)))] ?? 'anna');
const fieldArb = fc.array(wordArb, { minLength: 0, maxLength: 6 }).map((ws) => ws.join(' '));

const docArb = (i: number) =>
  fc.record({ name: fieldArb, cond: fc.array(fieldArb, { maxLength: 3 }), svc: fieldArb }).map(
    (r): ProviderDoc =>
      doc(`doc${i}`, {
        name: r.name || 'x',
        conditions: r.cond,
        services: r.svc ? [r.svc] : [],
        lat: 50 + (i % 7) * 0.01,
        lon: 10,
      }),
  );
const corpusArb = (min: number, max: number) =>
  fc.integer({ min, max }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => docArb(i))));

function forceTiers(state: IndexState): void {
  const impacts = new Impacts(state);
  for (const pl of state.terms.postings) pl.tier = pl.len >= 8 ? buildTier(pl, impacts, 4) : null;
}

/** Exhaustive top-k and the early-terminating one (null when it declines) for one query. */
function both(state: IndexState, q: string, k: number) {
  const scratch = new Scratch();
  scratch.ensure(state.slots);
  const plan = planQuery(state, q, { typo: true, prefix: true });
  if (plan.groups.length === 0) return null;
  const n = matchAll(state, plan.groups, scratch);
  const docs = scratch.cand.slice(0, n);
  const impacts = new Impacts(state);
  const score = scratch.score;
  const before = (a: number, b: number) =>
    (score[a] ?? 0) !== (score[b] ?? 0) ? (score[a] ?? 0) > (score[b] ?? 0) : a < b;
  const fast = essentialTopK(state, impacts, plan.groups, docs, n, k, before, scratch);
  const fastScores = fast?.map((d) => score[d] ?? 0) ?? null;
  scoreDocs(state, impacts, plan.groups, docs, n, scratch);
  const all = Array.from(docs).sort((a, b) => (before(a, b) ? -1 : 1));
  return {
    fast,
    fastScores,
    exhaustive: all.slice(0, k),
    exhaustiveScores: all.slice(0, k).map((d) => score[d] ?? 0),
    heap: topK(docs, n, k, before),
  };
}

const queryArb = fc.oneof(
  wordArb,
  fc.tuple(wordArb, wordArb).map(([a, b]) => `${a} ${b}`),
  wordArb.map((w) => w.slice(0, 3)), // a prefix
  wordArb.map((w) => (w.length >= 4 ? `${w.slice(0, 2)}x${w.slice(3)}` : w)), // a typo
);

describe('early termination', () => {
  let applied = 0;
  let cases = 0;

  const check = (state: IndexState, q: string, k: number) => {
    const r = both(state, q, k);
    if (!r) return;
    cases++;
    expect(r.heap).toEqual(r.exhaustive);
    if (r.fast === null) return;
    applied++;
    expect(r.fast).toEqual(r.exhaustive);
    expect(r.fastScores).toEqual(r.exhaustiveScores);
  };

  it('returns the exhaustive top k whenever it stops early, after a build and after mutations', () => {
    fc.assert(
      fc.property(
        corpusArb(150, 400),
        corpusArb(0, 60),
        fc.array(fc.nat(), { maxLength: 40 }),
        fc.array(fc.tuple(queryArb, fc.integer({ min: 1, max: 30 })), { minLength: 1, maxLength: 6 }),
        (base, changes, deletes, queries) => {
          const state = new IndexState({ synonyms: {} });
          for (const d of base) state.upsert(d);
          forceTiers(state);
          for (const [q, k] of queries) check(state, q, k);
          // Upserts (replacing some docs, adding others) and deletes maintain the tiers in place.
          for (const d of changes) state.upsert({ ...d, id: `doc${(Number(d.id.slice(3)) * 7) % 450}` });
          for (const x of deletes) state.remove(`doc${x % 450}`);
          for (const [q, k] of queries) check(state, q, k);
        },
      ),
      { numRuns: 60 },
    );
    // The property must exercise the early path, not only its fallback.
    expect(cases).toBeGreaterThan(100);
    expect(applied / cases).toBeGreaterThan(0.2);
  });
});
