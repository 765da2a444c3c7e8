import { describe, expect, it } from 'vitest';
import { testEvent as event, eventBusContract, pause } from './event-bus.contract';
import { InProcessEventBus, InProcessHub } from './in-process';

eventBusContract('in-process', async () => {
  const hub = new InProcessHub();
  const buses: InProcessEventBus[] = [];
  return {
    instance: () => {
      const bus = new InProcessEventBus({ hub });
      buses.push(bus);
      return bus;
    },
    dispose: async () => {
      await Promise.all(buses.map((b) => b.close()));
    },
  };
});

describe('in-process event bus', () => {
  it('keeps order per aggregate while handling aggregates side by side', async () => {
    const bus = new InProcessEventBus({ concurrency: 4 });
    const seen = new Map<string, number[]>();
    let inFlight = 0;
    let maxInFlight = 0;
    bus.subscribe('slow', 'broadcast', async (e) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      // Later events are quicker, so any reordering within an aggregate would show.
      await pause(10 - (e.payload.seq as number));
      inFlight--;
      const list = seen.get(e.aggregateId) ?? [];
      list.push(e.payload.seq as number);
      seen.set(e.aggregateId, list);
    });
    const events = [];
    for (let seq = 0; seq < 5; seq++)
      for (const a of ['a', 'b', 'c', 'd', 'e', 'f']) events.push(event(a, seq));
    await bus.publish(events);
    for (const a of ['a', 'b', 'c', 'd', 'e', 'f']) expect(seen.get(a)).toEqual([0, 1, 2, 3, 4]);
    expect(maxInFlight).toBe(4);
  });

  it('runs every consumer of an event, and a failure stops only that consumer’s aggregate', async () => {
    const bus = new InProcessEventBus();
    const other: string[] = [];
    const flaky: string[] = [];
    bus.subscribe('other', 'broadcast', async (e) => {
      other.push(e.id);
    });
    bus.subscribe('flaky', 'once', async (e) => {
      if (e.id === 'a-1') throw new Error('consumer down');
      flaky.push(e.id);
    });
    await expect(
      bus.publish([event('a', 0), event('b', 0), event('a', 1), event('b', 1), event('a', 2)]),
    ).rejects.toThrow(/a-1 failed in flaky: consumer down/);
    // a-2 must wait for a-1's redelivery; b is unaffected; the healthy consumer saw everything.
    expect(flaky.sort()).toEqual(['a-0', 'b-0', 'b-1']);
    expect(other.sort()).toEqual(['a-0', 'a-1', 'a-2', 'b-0', 'b-1']);
  });

  it('a quick consumer goes through a batch without waiting for a slow one', async () => {
    const bus = new InProcessEventBus({ concurrency: 1 });
    let release: () => void = () => {};
    const slowGate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const quick: string[] = [];
    bus.subscribe('slow', 'broadcast', () => slowGate);
    bus.subscribe('quick', 'broadcast', async (e) => void quick.push(e.id));
    const published = bus.publish([event('a', 0), event('b', 0), event('c', 0), event('a', 1)]);
    // The slow consumer is stuck on its first event; the quick one has seen the whole batch.
    await expect.poll(() => quick.length).toBe(4);
    expect([...quick].sort()).toEqual(['a-0', 'a-1', 'b-0', 'c-0']);
    expect(quick.filter((id) => id.startsWith('a-'))).toEqual(['a-0', 'a-1']);
    let done = false;
    void published.then(() => {
      done = true;
    });
    await pause(5);
    expect(done).toBe(false);
    release();
    await published;
  });

  it('refuses a second consumer under the same name, and one name with two delivery modes', () => {
    const hub = new InProcessHub();
    const bus = new InProcessEventBus({ hub });
    bus.subscribe('x', 'once', async () => {});
    expect(() => bus.subscribe('x', 'once', async () => {})).toThrow(/already subscribed/);
    expect(() => new InProcessEventBus({ hub }).subscribe('x', 'broadcast', async () => {})).toThrow(
      /subscribed as once elsewhere/,
    );
  });

  it('an unsubscribed consumer gets nothing more', async () => {
    const bus = new InProcessEventBus();
    const seen: string[] = [];
    const stop = bus.subscribe('x', 'broadcast', async (e) => void seen.push(e.id));
    await bus.publish([event('a', 0)]);
    stop();
    await bus.publish([event('a', 1)]);
    expect(seen).toEqual(['a-0']);
  });

  it('publishes may overlap: an aggregate stays in call order per consumer, and a failure holds it back until redelivered', async () => {
    const bus = new InProcessEventBus({ concurrency: 4 });
    const seen: string[] = [];
    let failOnce = true;
    bus.subscribe('c', 'once', async (e) => {
      // Later events are quicker, so any reordering within an aggregate would show.
      await pause(6 - (e.payload.seq as number));
      if (e.id === 'a-1' && failOnce) {
        failOnce = false;
        throw new Error('consumer down');
      }
      seen.push(e.id);
    });
    const first = bus.publish([event('a', 0), event('b', 0), event('a', 1)]);
    const second = bus.publish([event('a', 2), event('b', 1)]);
    await expect(first).rejects.toThrow(/a-1 failed in c: consumer down/);
    await expect(second).rejects.toThrow(/a-2 failed in c: held back until event a-1/);
    expect([...seen].sort()).toEqual(['a-0', 'b-0', 'b-1']);
    // The relay's retry, oldest first: a-1 then a-2.
    await bus.publish([event('a', 1)]);
    await bus.publish([event('a', 2), event('b', 1)]);
    expect(seen.filter((id) => id.startsWith('a-'))).toEqual(['a-0', 'a-1', 'a-2']);
  });
});
