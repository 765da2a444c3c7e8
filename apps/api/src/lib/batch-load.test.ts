import { describe, expect, it } from 'vitest';
import { batchLoader } from './batch-load';

describe('batchLoader', () => {
  const rows = new Map([
    ['a', { id: 'a', n: 1 }],
    ['b', { id: 'b', n: 2 }],
    ['c', { id: 'c', n: 3 }],
  ]);
  const loader = (maxBatch?: number) => {
    const calls: string[][] = [];
    const load = batchLoader(
      async (keys: string[]) => {
        calls.push(keys);
        return keys.flatMap((k) => (rows.has(k) ? [rows.get(k) as { id: string; n: number }] : []));
      },
      (r) => r.id,
      maxBatch,
    );
    return { calls, load };
  };

  it('merges look-ups of one turn into one call, each key once, and answers each caller', async () => {
    const { calls, load } = loader();
    const got = await Promise.all([load('a'), load('b'), load('a'), load('missing')]);
    expect(got).toEqual([rows.get('a'), rows.get('b'), rows.get('a'), undefined]);
    expect(calls).toEqual([['a', 'b', 'missing']]);
  });

  it('keeps nothing: a later look-up reads again', async () => {
    const { calls, load } = loader();
    await load('a');
    await load('a');
    expect(calls).toEqual([['a'], ['a']]);
  });

  it('splits large batches and passes a failure to every caller of its batch', async () => {
    const { calls, load } = loader(2);
    expect(await Promise.all([load('a'), load('b'), load('c')])).toEqual([
      rows.get('a'),
      rows.get('b'),
      rows.get('c'),
    ]);
    expect(calls).toEqual([['a', 'b'], ['c']]);
    const failing = batchLoader<{ id: string }>(
      async () => {
        throw new Error('database down');
      },
      (r) => r.id,
    );
    const results = await Promise.allSettled([failing('x'), failing('y')]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
