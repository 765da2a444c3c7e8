import { describe, expect, it } from 'vitest';
import { coalescePerKey } from './coalesce';

const deferred = () => {
  let resolve!: () => void;
  let reject!: (err: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

describe('coalescePerKey', () => {
  it('runs a burst of calls for one key as the run in flight plus one run after it', async () => {
    const runs: { key: string; done: ReturnType<typeof deferred> }[] = [];
    const refresh = coalescePerKey((key) => {
      const done = deferred();
      runs.push({ key, done });
      return done.promise;
    });
    const first = refresh('a');
    const burst = [refresh('a'), refresh('a'), refresh('a')];
    const other = refresh('b');
    expect(runs.map((r) => r.key)).toEqual(['a', 'b']);
    runs[0]?.done.resolve();
    await first;
    // The queued run starts only after the first one ended, so it sees every earlier change.
    await Promise.resolve();
    await Promise.resolve();
    expect(runs.map((r) => r.key)).toEqual(['a', 'b', 'a']);
    const settled = Promise.all(burst);
    runs[2]?.done.resolve();
    await settled;
    runs[1]?.done.resolve();
    await other;
    expect(runs).toHaveLength(3);
    // Idle again: the next call runs afresh.
    const again = refresh('a');
    expect(runs).toHaveLength(4);
    runs[3]?.done.resolve();
    await again;
  });

  it('gives every caller of a failed run its failure, and runs again after it', async () => {
    const runs: ReturnType<typeof deferred>[] = [];
    const refresh = coalescePerKey(() => {
      const done = deferred();
      runs.push(done);
      return done.promise;
    });
    const first = refresh('a');
    const joined = [refresh('a'), refresh('a')];
    runs[0]?.reject(new Error('index down'));
    await expect(first).rejects.toThrow('index down');
    await Promise.resolve();
    await Promise.resolve();
    expect(runs).toHaveLength(2);
    runs[1]?.reject(new Error('still down'));
    for (const j of joined) await expect(j).rejects.toThrow('still down');
  });
});
