import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DomainEvent, EventBus } from '../../ports/event-bus';

export interface EventBusHarness {
  /** A new bus: another app instance on the same stream as every other bus of this harness. */
  instance(): EventBus;
  /** Closes every instance and removes what the harness created on the broker. */
  dispose(): Promise<void>;
}

export const testEvent = (aggregateId: string, seq: number, tag = ''): DomainEvent => ({
  id: `${aggregateId}-${seq}${tag}`,
  type: 'test.happened',
  aggregateId,
  occurredAt: '2026-11-24T12:00:00.000Z',
  payload: { seq, note: 'ü 東京 🦷' },
});

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Publishes the way the outbox relay does: a rejected batch is published again until accepted. */
export async function relayPublish(bus: EventBus, events: readonly DomainEvent[]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await bus.publish(events);
    } catch (err) {
      if (attempt >= 20) throw err;
      await pause(20);
    }
  }
}

const WAIT = { timeout: 20_000, interval: 20 };

/** The one contract every EventBus adapter passes (in-process, Redis Streams, Kafka). */
export function eventBusContract(name: string, factory: () => Promise<EventBusHarness>): void {
  describe(`EventBus contract [${name}]`, () => {
    let harness: EventBusHarness;
    beforeEach(async () => {
      harness = await factory();
    });
    afterEach(() => harness.dispose());

    it('delivers every event to every consumer, whatever its delivery mode', async () => {
      const bus = harness.instance();
      const seen = { hub: [] as string[], mailer: [] as string[], index: [] as string[] };
      bus.subscribe('hub', 'broadcast', async (e) => void seen.hub.push(e.id));
      bus.subscribe('mailer', 'once', async (e) => void seen.mailer.push(e.id));
      bus.subscribe('index', 'broadcast', async (e) => void seen.index.push(e.id));
      await bus.start();
      const events = ['a', 'b', 'c'].flatMap((a) => [0, 1, 2, 3].map((s) => testEvent(a, s)));
      await relayPublish(bus, events.slice(0, 6));
      await relayPublish(bus, events.slice(6));
      const ids = events.map((e) => e.id).sort();
      await vi.waitFor(() => {
        for (const list of Object.values(seen)) expect([...list].sort()).toEqual(ids);
      }, WAIT);
    });

    it('keeps each aggregate in publish order while handling aggregates concurrently', async () => {
      const bus = harness.instance();
      const seen = new Map<string, number[]>();
      bus.subscribe('slow', 'once', async (e) => {
        // Later events are quicker, so any reordering within an aggregate would show.
        await pause(8 - (e.payload.seq as number));
        seen.set(e.aggregateId, [...(seen.get(e.aggregateId) ?? []), e.payload.seq as number]);
      });
      await bus.start();
      const aggregates = ['a', 'b', 'c', 'd', 'e', 'f'];
      for (let seq = 0; seq < 6; seq++)
        await relayPublish(
          bus,
          aggregates.map((a) => testEvent(a, seq)),
        );
      await vi.waitFor(() => {
        for (const a of aggregates) expect(seen.get(a)).toEqual([0, 1, 2, 3, 4, 5]);
      }, WAIT);
    });

    it('gives a failed event to its consumer again, and holds back that aggregate until then', async () => {
      const bus = harness.instance();
      const attempts: string[] = [];
      const done: string[] = [];
      const steady: string[] = [];
      let failures = 0;
      bus.subscribe('flaky', 'once', async (e) => {
        attempts.push(e.id);
        if (e.id === 'a-1' && failures++ < 2) throw new Error('consumer down');
        done.push(e.id);
      });
      bus.subscribe('steady', 'broadcast', async (e) => void steady.push(e.id));
      await bus.start();
      await relayPublish(bus, [testEvent('a', 0), testEvent('b', 0)]);
      await relayPublish(bus, [testEvent('a', 1), testEvent('b', 1)]);
      await relayPublish(bus, [testEvent('a', 2), testEvent('b', 2)]);
      await vi.waitFor(() => expect(done).toContain('a-2'), WAIT);
      await vi.waitFor(() =>
        expect(new Set(done)).toEqual(new Set(['a-0', 'a-1', 'a-2', 'b-0', 'b-1', 'b-2'])),
      );
      // a-1 was tried three times; a-2 was never tried before a-1 succeeded.
      expect(attempts.filter((id) => id === 'a-1').length).toBeGreaterThanOrEqual(3);
      expect(attempts.indexOf('a-2')).toBeGreaterThan(attempts.lastIndexOf('a-1'));
      expect(done.filter((id) => id.startsWith('a-'))).toEqual(['a-0', 'a-1', 'a-2']);
      // The healthy consumer got everything (in-process: twice where the relay republished).
      await vi.waitFor(() => expect(new Set(steady).size).toBe(6), WAIT);
    });

    it("delivers a 'once' consumer's events exactly once across two instances", async () => {
      const a = harness.instance();
      const b = harness.instance();
      const seen: string[] = [];
      a.subscribe('mailer', 'once', async (e) => void seen.push(`a:${e.id}`));
      b.subscribe('mailer', 'once', async (e) => void seen.push(`b:${e.id}`));
      await Promise.all([a.start(), b.start()]);
      const events = Array.from({ length: 40 }, (_, i) => testEvent(`agg${i % 20}`, Math.floor(i / 20)));
      await relayPublish(a, events.slice(0, 20));
      await relayPublish(b, events.slice(20));
      const ids = () => seen.map((s) => s.slice(2));
      await vi.waitFor(() => expect(new Set(ids()).size).toBe(40), WAIT);
      await Promise.all([a.close(), b.close()]);
      expect(ids().sort()).toEqual(events.map((e) => e.id).sort());
    });

    it("delivers every event to a 'broadcast' consumer on each instance", async () => {
      const a = harness.instance();
      const b = harness.instance();
      const seen = { a: [] as string[], b: [] as string[] };
      a.subscribe('hub', 'broadcast', async (e) => void seen.a.push(e.id));
      b.subscribe('hub', 'broadcast', async (e) => void seen.b.push(e.id));
      await Promise.all([a.start(), b.start()]);
      const events = Array.from({ length: 20 }, (_, i) => testEvent(`agg${i % 7}`, i));
      await relayPublish(a, events.slice(0, 10));
      await relayPublish(b, events.slice(10));
      const ids = events.map((e) => e.id).sort();
      await vi.waitFor(() => {
        expect([...seen.a].sort()).toEqual(ids);
        expect([...seen.b].sort()).toEqual(ids);
      }, WAIT);
    });

    it('tolerates the same event published twice: delivered once or twice, never lost', async () => {
      const bus = harness.instance();
      const seen: string[] = [];
      bus.subscribe('idempotent', 'once', async (e) => void seen.push(e.id));
      await bus.start();
      const twice = testEvent('dup', 0);
      await relayPublish(bus, [twice]);
      await relayPublish(bus, [twice]);
      await relayPublish(bus, [testEvent('dup', 1)]);
      await vi.waitFor(() => expect(seen).toContain('dup-1'), WAIT);
      const copies = seen.filter((id) => id === 'dup-0').length;
      expect(copies).toBeGreaterThanOrEqual(1);
      expect(copies).toBeLessThanOrEqual(2);
      expect(seen.at(-1)).toBe('dup-1');
    });

    it('close() waits for handlers in flight, then consumes nothing more', async () => {
      const a = harness.instance();
      const b = harness.instance();
      let release!: () => void;
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      const seen = { a: [] as string[], b: [] as string[] };
      let finished = false;
      a.subscribe('probe', 'broadcast', async (e) => {
        seen.a.push(e.id);
        await gate;
        finished = true;
      });
      b.subscribe('probe', 'broadcast', async (e) => void seen.b.push(e.id));
      await Promise.all([a.start(), b.start()]);
      const publishing = relayPublish(b, [testEvent('p', 0)]);
      await vi.waitFor(() => expect(seen.a).toEqual(['p-0']), WAIT);
      // Deterministic: close() must not resolve before the gate opens, however long that takes.
      let released = false;
      let closedBeforeRelease: boolean | undefined;
      const closing = a.close().then(() => {
        closedBeforeRelease = !released;
      });
      await pause(50);
      released = true;
      release();
      await closing;
      expect(closedBeforeRelease).toBe(false);
      await publishing;
      expect(finished).toBe(true);
      expect(a.health().ok).toBe(false);
      await expect(a.publish([testEvent('p', 9)])).rejects.toThrow();
      await relayPublish(b, [testEvent('p', 1)]);
      await vi.waitFor(() => expect(seen.b).toEqual(['p-0', 'p-1']), WAIT);
      expect(seen.a).toEqual(['p-0']);
      expect(b.health().ok).toBe(true);
    });
  });
}
