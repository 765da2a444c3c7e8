import { describe, expect, it } from 'vitest';
import { batchWriter } from './batch-write';

describe('batchWriter', () => {
  const writer = (maxBatch?: number, fail?: (items: number[]) => unknown) => {
    const calls: number[][] = [];
    const write = batchWriter(async (items: number[]) => {
      calls.push(items);
      const err = fail?.(items);
      if (err) throw err;
      return items.map((n) => n * 10);
    }, maxBatch);
    return { calls, write };
  };

  it('merges the writes of one turn into one call, in order, and answers each caller', async () => {
    const { calls, write } = writer();
    expect(await Promise.all([write(1), write(2), write(3)])).toEqual([10, 20, 30]);
    expect(calls).toEqual([[1, 2, 3]]);
  });

  it('takes writes asked for later in the same turn, after other promises settled', async () => {
    const { calls, write } = writer();
    const later = Promise.resolve().then(() => write(2));
    const got = await Promise.all([write(1), later]);
    expect(got).toEqual([10, 20]);
    expect(calls).toEqual([[1, 2]]);
  });

  it('keeps nothing: the next turn is a new call', async () => {
    const { calls, write } = writer();
    await write(1);
    await write(2);
    expect(calls).toEqual([[1], [2]]);
  });

  it('splits large batches and passes a failure to every caller of its own batch only', async () => {
    const { calls, write } = writer(2, (items) => (items.includes(3) ? new Error('disk full') : null));
    const results = await Promise.allSettled([write(1), write(2), write(3), write(4)]);
    expect(calls).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([
      10,
      20,
      'disk full',
      'disk full',
    ]);
  });

  it('rejects, never throws out of its timer, when the write throws at once or answers short', async () => {
    const sync = batchWriter((): Promise<number[]> => {
      throw new Error('no connection');
    });
    await expect(sync(1)).rejects.toThrow('no connection');
    const short = batchWriter(async (items: number[]) => items.slice(1));
    await expect(Promise.all([short(1), short(2)])).rejects.toThrow('1 results for 2 items');
  });
});
