import { describe, expect, it, vi } from 'vitest';
import { AggregateQueues, type Queued } from './aggregate-queues';
import { pause, testEvent } from './event-bus.contract';

const entry = (aggregate: string, seq: number, partition = 0, id = `${seq}-${aggregate}`): Queued => ({
  id,
  partition,
  event: testEvent(aggregate, seq),
});

describe('AggregateQueues', () => {
  it('runs each aggregate in order, aggregates side by side up to the limit', async () => {
    const log: string[] = [];
    let inFlight = 0;
    let most = 0;
    const queues = new AggregateQueues<Queued>(2, async (e) => {
      most = Math.max(most, ++inFlight);
      await pause(5 - (e.event.payload.seq as number));
      inFlight--;
      log.push(e.event.id);
      return true;
    });
    for (let seq = 0; seq < 4; seq++) for (const a of ['a', 'b', 'c']) queues.push(entry(a, seq, seq % 2));
    expect(queues.size).toBe(12);
    await vi.waitFor(() => expect(queues.size).toBe(0));
    for (const a of ['a', 'b', 'c'])
      expect(log.filter((id) => id.startsWith(a))).toEqual([0, 1, 2, 3].map((s) => `${a}-${s}`));
    expect(most).toBe(2);
  });

  it('keeps the same entry id apart in different partitions, and ignores a repeat', async () => {
    const seen: string[] = [];
    const queues = new AggregateQueues<Queued>(4, async (e) => {
      seen.push(`${e.partition}:${e.event.id}`);
      return true;
    });
    queues.push(entry('a', 0, 0, '17-0'));
    queues.push(entry('b', 0, 1, '17-0'));
    queues.push(entry('a', 0, 0, '17-0'));
    await vi.waitFor(() => expect(seen.sort()).toEqual(['0:a-0', '1:b-0']));
  });

  it('a false result drops the rest of that aggregate only', async () => {
    const seen: string[] = [];
    const queues = new AggregateQueues<Queued>(4, async (e) => {
      seen.push(e.event.id);
      return e.event.id !== 'a-1';
    });
    for (const e of [entry('a', 0), entry('a', 1), entry('a', 2), entry('b', 0, 1), entry('b', 1, 1)])
      queues.push(e);
    await vi.waitFor(() => expect(queues.size).toBe(0));
    expect(seen.sort()).toEqual(['a-0', 'a-1', 'b-0', 'b-1']);
    expect(queues.inPartition(0)).toBe(0);
  });

  it('drain waits for the handler in flight and starts nothing else', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const seen: string[] = [];
    const queues = new AggregateQueues<Queued>(1, async (e) => {
      seen.push(e.event.id);
      await gate;
      return true;
    });
    queues.push(entry('a', 0));
    queues.push(entry('a', 1));
    queues.push(entry('b', 0));
    // Deterministic: drain() must not resolve before the handler in flight is released.
    let released = false;
    let drainedBeforeRelease: boolean | undefined;
    const draining = queues.drain().then(() => {
      drainedBeforeRelease = !released;
    });
    await pause(20);
    released = true;
    release();
    await draining;
    expect(drainedBeforeRelease).toBe(false);
    expect(seen).toEqual(['a-0']);
  });
});
