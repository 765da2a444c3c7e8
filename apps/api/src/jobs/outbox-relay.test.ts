import { expect, it, vi } from 'vitest';
import { TestClock } from '../../test/support/app';
import { describeEachDialect } from '../../test/support/databases';
import { InProcessEventBus } from '../adapters/event-bus/in-process';
import { appendToOutbox } from '../lib/outbox';
import type { DomainEvent } from '../ports/event-bus';
import { OutboxRelay } from './outbox-relay';

const silentLog = { warn: vi.fn(), error: vi.fn() };

describeEachDialect('outbox relay', (ctx) => {
  const append = async (aggregateId: string, n: number) => {
    const db = ctx().dbs.inventory.db;
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < n; i++) {
        await appendToOutbox(trx, {
          type: 'provider.availability.changed',
          aggregateType: 'provider',
          aggregateId,
          occurredAt: new Date().toISOString(),
          payload: { providerId: aggregateId, version: i }, // version = sequence number
        });
      }
    });
  };

  it('delivers at least once, in order, and retries after a consumer fails', async () => {
    const aggregate = '01a20000-0000-7000-8000-00000000000a';
    await append(aggregate, 5);
    const bus = new InProcessEventBus();
    const seen: number[] = [];
    let failOnce = true;
    bus.subscribe('flaky', 'once', async (e: DomainEvent) => {
      if (e.aggregateId !== aggregate) return;
      if (e.payload.version === 2 && failOnce) {
        failOnce = false;
        throw new Error('consumer down');
      }
      seen.push(e.payload.version as number);
    });
    const relay = new OutboxRelay(
      ctx().dbs.inventory.db,
      'inventory_outbox',
      bus,
      new TestClock(),
      silentLog,
      {
        batchSize: 2,
        pollMs: 60_000,
        maxBackoffMs: 10,
      },
    );
    expect(await relay.drain()).toBe(2); // first batch went out, second failed
    const pending = await ctx()
      .dbs.inventory.db.selectFrom('inventory_outbox')
      .select(['attempts', 'last_error'])
      .where('aggregate_id', '=', aggregate)
      .where('published_at', 'is', null)
      .orderBy('id')
      .execute();
    expect(pending).toHaveLength(3);
    expect(pending[0]).toMatchObject({ attempts: 1, last_error: expect.stringContaining('consumer down') });
    expect(await relay.drain()).toBe(3);
    // The failure stopped its batch at seq 2, so nothing after it overtook it: order is kept.
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    await relay.stop();
  });

  it('keeps a few batches in flight on an in-process bus: a quick consumer is not held back by a slow one', async () => {
    // Three bookings, two events each: one batch each (an aggregate's later events wait for its
    // batch in flight, so batches out at once are of different aggregates).
    const aggregates = [
      '01a20000-0000-7000-8000-00000000000b',
      '01a20000-0000-7000-8000-00000000001b',
      '01a20000-0000-7000-8000-00000000002b',
    ];
    for (const a of aggregates) await append(a, 2);
    const ours = (e: DomainEvent) => aggregates.includes(e.aggregateId);
    const label = (e: DomainEvent) => `${aggregates.indexOf(e.aggregateId)}:${e.payload.version}`;
    const all = ['0:0', '0:1', '1:0', '1:1', '2:0', '2:1'];
    const bus = new InProcessEventBus();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow: string[] = [];
    const quick: string[] = [];
    bus.subscribe('slow', 'once', async (e: DomainEvent) => {
      if (!ours(e)) return;
      await gate;
      slow.push(label(e));
    });
    bus.subscribe('quick', 'broadcast', async (e: DomainEvent) => {
      if (ours(e)) quick.push(label(e));
    });
    const relay = new OutboxRelay(
      ctx().dbs.inventory.db,
      'inventory_outbox',
      bus,
      new TestClock(),
      silentLog,
      {
        batchSize: 2,
        pollMs: 60_000,
        maxBackoffMs: 10,
        inFlight: 3,
      },
    );
    const drained = relay.drain();
    // Three batches are out while the slow consumer still holds the first one.
    await vi.waitFor(() => expect([...quick].sort()).toEqual(all), { timeout: 10_000 });
    expect(slow).toEqual([]);
    release();
    expect(await drained).toBeGreaterThanOrEqual(6);
    expect([...slow].sort()).toEqual(all);
    // Per booking, in order.
    for (const i of [0, 1, 2])
      expect(slow.filter((l) => l.startsWith(`${i}:`))).toEqual([`${i}:0`, `${i}:1`]);
    const left = await ctx()
      .dbs.inventory.db.selectFrom('inventory_outbox')
      .select('id')
      .where('aggregate_id', 'in', aggregates)
      .where('published_at', 'is', null)
      .execute();
    expect(left).toEqual([]);
    await relay.stop();
  });

  it('with batches in flight, a failure holds back the rest of its aggregate until the retry, in order', async () => {
    const aggregate = '01a20000-0000-7000-8000-00000000000c';
    await append(aggregate, 6);
    const bus = new InProcessEventBus();
    const seen: number[] = [];
    let failOnce = true;
    bus.subscribe('flaky', 'once', async (e: DomainEvent) => {
      if (e.aggregateId !== aggregate) return;
      if (e.payload.version === 2 && failOnce) {
        failOnce = false;
        throw new Error('consumer down');
      }
      seen.push(e.payload.version as number);
    });
    const relay = new OutboxRelay(
      ctx().dbs.inventory.db,
      'inventory_outbox',
      bus,
      new TestClock(),
      silentLog,
      {
        batchSize: 2,
        pollMs: 60_000,
        maxBackoffMs: 10,
        inFlight: 3,
      },
    );
    await relay.drain();
    expect(seen).toEqual([0, 1]);
    await relay.drain();
    expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
    const left = await ctx()
      .dbs.inventory.db.selectFrom('inventory_outbox')
      .select('id')
      .where('aggregate_id', '=', aggregate)
      .where('published_at', 'is', null)
      .execute();
    expect(left).toEqual([]);
    await relay.stop();
  });

  it('with batches in flight, another consumer never gets an aggregate’s older event again after a newer one', async () => {
    const aggregate = '01a20000-0000-7000-8000-00000000000d';
    await append(aggregate, 4);
    const bus = new InProcessEventBus();
    const quick: number[] = [];
    let failOnce = true;
    // The quick consumer handles everything; the flaky one fails version 1 once, so its batch is
    // redelivered: the quick one then gets version 1 again, and must get it before 2 and 3.
    bus.subscribe('quick', 'once', async (e: DomainEvent) => {
      if (e.aggregateId === aggregate) quick.push(e.payload.version as number);
    });
    bus.subscribe('flaky', 'once', async (e: DomainEvent) => {
      if (e.aggregateId !== aggregate || e.payload.version !== 1 || !failOnce) return;
      failOnce = false;
      await new Promise((r) => setTimeout(r, 20));
      throw new Error('consumer down');
    });
    const relay = new OutboxRelay(
      ctx().dbs.inventory.db,
      'inventory_outbox',
      bus,
      new TestClock(),
      silentLog,
      {
        batchSize: 1,
        pollMs: 60_000,
        maxBackoffMs: 10,
        inFlight: 4,
      },
    );
    await relay.drain();
    await relay.drain();
    // Each version's first delivery comes after every earlier version's last one.
    const lastOf = (v: number) => quick.lastIndexOf(v);
    expect(quick.indexOf(2)).toBeGreaterThan(lastOf(1));
    expect(quick.indexOf(3)).toBeGreaterThan(lastOf(2));
    expect([...new Set(quick)]).toEqual([0, 1, 2, 3]);
    await relay.stop();
  });

  it('reads once for a short batch, and again at once only for a commit made while it read', async () => {
    const first = '01a20000-0000-7000-8000-00000000000e';
    const second = '01a20000-0000-7000-8000-00000000001e';
    await append(first, 3);
    const bus = new InProcessEventBus();
    const seen: string[] = [];
    bus.subscribe('c', 'once', async (e: DomainEvent) => {
      if (e.aggregateId === first || e.aggregateId === second)
        seen.push(`${e.aggregateId === first ? 'first' : 'second'}:${e.payload.version}`);
    });
    // Counts the relay's reads of the outbox; `hide` (once) takes an aggregate's rows out of a
    // read's answer and nudges the relay, as a commit made after the read began would.
    let reads = 0;
    let hide: string | null = null;
    const counted = ctx().dbs.inventory.db.withPlugin({
      transformQuery: (args) => {
        if (args.node.kind === 'SelectQueryNode') reads++;
        return args.node;
      },
      transformResult: async (args) => {
        const hidden = hide;
        if (!hidden) return args.result;
        hide = null;
        relay.nudge();
        return { ...args.result, rows: args.result.rows.filter((r) => r.aggregate_id !== hidden) };
      },
    });
    const relay: OutboxRelay = new OutboxRelay(counted, 'inventory_outbox', bus, new TestClock(), silentLog, {
      batchSize: 100,
      pollMs: 60_000,
      maxBackoffMs: 10,
      inFlight: 4,
    });
    // Fewer rows than the limit: everything committed before the read is in it, so no second read.
    expect(await relay.drain()).toBe(3);
    expect(reads).toBe(1);
    expect(seen).toEqual(['first:0', 'first:1', 'first:2']);

    // A commit (and its nudge) while a read is under way: read again at once, not at the next poll
    // (a minute away here).
    reads = 0;
    await append(second, 1);
    hide = second;
    relay.nudge();
    await vi.waitFor(() => expect(seen).toContain('second:0'), { timeout: 10_000 });
    expect(reads).toBe(2);
    await relay.stop();
  });

  it('survives an unreachable outbox without an unhandled rejection', async () => {
    const broken = {
      selectFrom: () => {
        throw new Error('database is down');
      },
    } as unknown as ConstructorParameters<typeof OutboxRelay>[0];
    const log = { warn: vi.fn(), error: vi.fn() };
    const relay = new OutboxRelay(broken, 'inventory_outbox', new InProcessEventBus(), new TestClock(), log, {
      batchSize: 10,
      pollMs: 60_000,
      maxBackoffMs: 60_000,
    });
    relay.nudge();
    await vi.waitFor(() => expect(log.error).toHaveBeenCalled(), { timeout: 10_000 });
    await relay.stop();
  });
});
