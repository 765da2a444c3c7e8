import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { Kafka, Partitioners } from 'kafkajs';
import { afterEach, describe, expect, inject, it, vi } from 'vitest';
import { KafkaBroker } from '../../../../../tools/engines/engines';
import type { DomainEvent } from '../../ports/event-bus';
import { relayPublish, testEvent } from './event-bus.contract';
import { KafkaEventBus, type KafkaEventBusOptions } from './kafka';
import { toKafkaMessage } from './kafka-messages';

/**
 * Faults on the real broker (tools/engines): a consumer killed mid-batch, a broker restart under
 * load, a handler that keeps failing. The checks are about delivery: nothing lost, order per
 * aggregate kept, other aggregates not held back.
 */
const brokers = inject('kafkaBrokers').split(',').filter(Boolean);
const WAIT = { timeout: 60_000, interval: 50 };

/** Handled sequence numbers of one aggregate never jump ahead: replays go back, never skip. */
function expectInOrder(seqs: number[], count: number) {
  for (let i = 1; i < seqs.length; i++)
    expect(seqs[i] as number).toBeLessThanOrEqual((seqs[i - 1] as number) + 1);
  expect(seqs[0]).toBe(0);
  expect(new Set(seqs).size).toBe(count);
}

/** `mine` in handling order: every step forward skips only events `others` handled. */
function expectNoSkip(mine: number[], others: number[]) {
  const done = new Set(others);
  let previous = -1;
  for (const seq of mine) {
    for (let s = previous + 1; s < seq; s++)
      expect(done.has(s), `event ${s} skipped before ${seq}`).toBe(true);
    previous = Math.max(previous, seq);
  }
}

const bySeq = (handled: DomainEvent[], aggregate: string) =>
  handled.filter((e) => e.aggregateId === aggregate).map((e) => e.payload.seq as number);

describe.skipIf(brokers.length === 0)('KafkaEventBus under faults', { timeout: 180_000 }, () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
  });

  const run = () => {
    const id = randomBytes(5).toString('hex');
    return { topic: `carebook-fault-${id}`, groupPrefix: `carebook-fault-${id}.` };
  };
  const bus = (options: Partial<KafkaEventBusOptions> & { brokers: string[]; topic: string }) => {
    const b = new KafkaEventBus({
      instanceId: `i-${randomBytes(3).toString('hex')}`,
      partitions: 4,
      replicationFactor: 1,
      retryMs: 20,
      maxRetryMs: 200,
      sessionTimeoutMs: 3000,
      heartbeatIntervalMs: 500,
      ...options,
    });
    cleanups.push(() => b.close());
    return b;
  };

  it('parks an event whose handler keeps failing: its partition moves on, its aggregate stays in order', async () => {
    const names = run();
    const partitioner = Partitioners.DefaultPartitioner();
    const partitionMetadata = [0, 1, 2, 3].map((i) => ({
      partitionId: i,
      leader: 1,
      replicas: [1],
      isr: [1],
    }));
    const partitionOf = (aggregate: string) =>
      partitioner({
        topic: names.topic,
        partitionMetadata: partitionMetadata.map((p) => ({ ...p, partitionErrorCode: 0 })),
        message: toKafkaMessage(testEvent(aggregate, 0)),
      });
    // Aggregates sharing the poisoned one's partition: exactly what in-place retries held back.
    const neighbours = Array.from({ length: 40 }, (_, i) => `n${i}`)
      .filter((a) => partitionOf(a) === partitionOf('poison'))
      .slice(0, 3);
    expect(neighbours.length).toBe(3);
    const b = bus({ brokers, ...names, parkAfterAttempts: 3 });
    let healed = false;
    const handled: DomainEvent[] = [];
    b.subscribe('indexer', 'once', async (e) => {
      if (e.aggregateId === 'poison' && !healed) throw new Error('cannot handle this one yet');
      handled.push(e);
    });
    await b.start();
    for (let seq = 0; seq < 3; seq++)
      await relayPublish(b, [testEvent('poison', seq), ...neighbours.map((a) => testEvent(a, seq))]);
    // The neighbours are all handled while the poisoned aggregate still fails.
    await vi.waitFor(() => {
      for (const a of neighbours) expect(bySeq(handled, a)).toEqual([0, 1, 2]);
    }, WAIT);
    expect(bySeq(handled, 'poison')).toEqual([]);
    expect(b.health()).toMatchObject({ ok: true, detail: expect.stringContaining('parked') });
    // A later event of the parked aggregate waits behind it; once it heals, all in order.
    await relayPublish(b, [testEvent('poison', 3), testEvent(neighbours[0] as string, 3)]);
    await vi.waitFor(() => expect(bySeq(handled, neighbours[0] as string)).toEqual([0, 1, 2, 3]), WAIT);
    expect(bySeq(handled, 'poison')).toEqual([]);
    healed = true;
    await vi.waitFor(() => expect(bySeq(handled, 'poison')).toEqual([0, 1, 2, 3]), WAIT);
    await vi.waitFor(() => expect(b.health()).toEqual({ ok: true }), WAIT);
  });

  it('a consumer killed mid-batch: its partitions move, nothing is lost, each aggregate stays in order', async () => {
    const names = run();
    const live = bus({ brokers, ...names });
    const handled: { by: string; event: DomainEvent }[] = [];
    live.subscribe('worker', 'once', async (e) => {
      await new Promise((resolve) => setTimeout(resolve, 15));
      handled.push({ by: 'live', event: e });
    });
    await live.start();
    let child: ChildProcess | undefined = spawn(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('../../../test/support/kafka-consumer.ts', import.meta.url))],
      {
        env: {
          ...process.env,
          BUS_BROKERS: brokers.join(','),
          BUS_TOPIC: names.topic,
          BUS_GROUP_PREFIX: names.groupPrefix,
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    cleanups.push(async () => {
      child?.kill('SIGKILL');
    });
    const childDone: string[] = [];
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      for (const line of out.split('\n').slice(0, -1))
        if (line.startsWith('done ')) childDone.push(line.slice(5));
      out = out.slice(out.lastIndexOf('\n') + 1);
    });
    let ready = false;
    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) ready = true;
    });
    await vi.waitFor(() => expect(ready).toBe(true), WAIT);
    const aggregates = Array.from({ length: 12 }, (_, i) => `agg${i}`);
    const perAggregate = 25;
    for (let seq = 0; seq < perAggregate; seq++)
      await relayPublish(
        live,
        aggregates.map((a) => testEvent(a, seq)),
      );
    await vi.waitFor(() => expect(childDone.length).toBeGreaterThan(30), WAIT);
    child.kill('SIGKILL');
    await once(child, 'exit');
    const killedAfter = childDone.length;
    child = undefined;
    // The live instance takes the dead one's partitions after its session times out.
    await vi.waitFor(() => {
      for (const a of aggregates) {
        const ids = [
          ...childDone.filter((id) => id.startsWith(`${a}-`)),
          ...handled.filter((h) => h.event.aggregateId === a).map((h) => h.event.id),
        ];
        expect(new Set(ids).size).toBe(perAggregate);
      }
    }, WAIT);
    expect(killedAfter).toBeLessThan(aggregates.length * perAggregate);
    for (const a of aggregates) {
      const childSeqs = childDone
        .filter((id) => id.startsWith(`${a}-`))
        .map((id) => Number(id.slice(a.length + 1)));
      const liveSeqs = bySeq(
        handled.map((h) => h.event),
        a,
      );
      // Neither process ever ran an event before an earlier one of its aggregate had been
      // handled (by itself or the other): a jump only skips what the other one did.
      expectNoSkip(childSeqs, liveSeqs);
      expectNoSkip(liveSeqs, childSeqs);
    }
  });

  it('survives a broker restart under load: every acknowledged event is delivered, in order', async () => {
    const broker = await KafkaBroker.start();
    cleanups.push(() => broker.destroy());
    const names = run();
    const b = bus({
      brokers: broker.brokers,
      ...names,
      kafka: { retry: { retries: 30, initialRetryTime: 100, maxRetryTime: 1000 } },
    });
    const handled: DomainEvent[] = [];
    b.subscribe('worker', 'once', async (e) => void handled.push(e));
    await b.start();
    const aggregates = Array.from({ length: 8 }, (_, i) => `agg${i}`);
    const rounds = 40;
    let restarted = false;
    const publishing = (async () => {
      for (let seq = 0; seq < rounds; seq++) {
        // The outbox relay's way: a batch the broker did not acknowledge is published again.
        for (;;) {
          try {
            await b.publish(aggregates.map((a) => testEvent(a, seq)));
            break;
          } catch {
            await new Promise((resolve) => setTimeout(resolve, 200));
          }
        }
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    })();
    await vi.waitFor(() => expect(handled.length).toBeGreaterThan(40), WAIT);
    await broker.kill();
    await broker.resume();
    restarted = true;
    await publishing;
    expect(restarted).toBe(true);
    await vi.waitFor(
      () => {
        for (const a of aggregates) expect(new Set(bySeq(handled, a)).size).toBe(rounds);
      },
      { timeout: 120_000, interval: 100 },
    );
    for (const a of aggregates) expectInOrder(bySeq(handled, a), rounds);
  });

  const sasl = inject('kafkaSaslBrokers');
  it.skipIf(!sasl)('connects with SASL/PLAIN settings from the environment', async () => {
    const { kafkaClientSettings } = await import('./kafka-settings');
    const settings = kafkaClientSettings({
      KAFKA_SASL_MECHANISM: 'plain',
      KAFKA_SASL_USERNAME: 'carebook',
      KAFKA_SASL_PASSWORD: 'carebook-secret',
    });
    const names = run();
    const b = bus({ brokers: sasl.split(','), ...names, kafka: settings });
    const seen: string[] = [];
    b.subscribe('hub', 'broadcast', async (e) => void seen.push(e.id));
    await b.start();
    await relayPublish(b, [testEvent('s', 0)]);
    await vi.waitFor(() => expect(seen).toEqual(['s-0']), WAIT);
    const wrong = new Kafka({
      brokers: sasl.split(','),
      ...kafkaClientSettings({
        KAFKA_SASL_MECHANISM: 'plain',
        KAFKA_SASL_USERNAME: 'carebook',
        KAFKA_SASL_PASSWORD: 'nope',
      }),
      retry: { retries: 0 },
    }).admin();
    await expect(wrong.connect()).rejects.toThrow(/SASL|[Aa]uthentication/);
  });
});
