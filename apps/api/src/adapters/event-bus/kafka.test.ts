import { randomBytes } from 'node:crypto';
import { Kafka, Partitioners } from 'kafkajs';
import { describe, expect, inject, it } from 'vitest';
import type { EventBus } from '../../ports/event-bus';
import { encodeEvent, MalformedEventError } from './codec';
import { eventBusContract, testEvent } from './event-bus.contract';
import { KafkaEventBus } from './kafka';
import { fromKafkaMessage, kafkaGroupId, parseKafkaUrl, toKafkaMessage } from './kafka-messages';

/**
 * The test run's Kafka 3.9 broker (tools/engines, started by test/global-setup.ts), or
 * KAFKA_BROKERS. Skipped (loudly, by the global setup) only without Java/Maven, never in CI.
 */
const brokers = inject('kafkaBrokers').split(',').filter(Boolean);

// Group joins take seconds on a busy machine; the contract's own waits are 20 s.
describe.skipIf(brokers.length === 0)('KafkaEventBus on a real broker', { timeout: 90_000 }, () => {
  eventBusContract('kafka', async () => {
    const run = randomBytes(5).toString('hex');
    const topic = `carebook-test-${run}`;
    const groupPrefix = `carebook-test-${run}.`;
    const buses: EventBus[] = [];
    return {
      instance: () => {
        const bus = new KafkaEventBus({
          brokers,
          instanceId: `i${buses.length + 1}`,
          topic,
          groupPrefix,
          partitions: 4,
          replicationFactor: 1,
          retryMs: 50,
          maxRetryMs: 400,
        });
        buses.push(bus);
        return bus;
      },
      dispose: async () => {
        await Promise.all(buses.map((bus) => bus.close()));
        const admin = new Kafka({ brokers, clientId: 'carebook-test' }).admin();
        await admin.connect();
        try {
          const { groups } = await admin.listGroups();
          const ours = groups.map((g) => g.groupId).filter((id) => id.startsWith(groupPrefix));
          if (ours.length > 0) await admin.deleteGroups(ours);
          await admin.deleteTopics({ topics: [topic] });
        } finally {
          await admin.disconnect();
        }
      },
    };
  });
});

describe('Kafka messages (no broker needed)', () => {
  it('round-trips an event with the aggregate id as the key', () => {
    const event = testEvent('01a2-agg', 3);
    const message = toKafkaMessage(event);
    expect(message.key).toBe('01a2-agg');
    expect(message.headers).toEqual({ 'event-id': event.id, 'event-type': event.type });
    const back = fromKafkaMessage({ key: Buffer.from(message.key), value: Buffer.from(message.value) });
    expect(back).toEqual(event);
  });

  it('refuses messages that are not events', () => {
    const good = encodeEvent(testEvent('a', 0));
    const read = (key: string | null, value: string | null) => () =>
      fromKafkaMessage({
        key: key === null ? null : Buffer.from(key),
        value: value === null ? null : Buffer.from(value),
      });
    expect(read('a', null)).toThrow(MalformedEventError);
    expect(read('a', '{not json')).toThrow(/not JSON/);
    expect(read('a', '[]')).toThrow(/field id/);
    expect(read('a', JSON.stringify({ ...JSON.parse(good), payload: [1] }))).toThrow(/payload/);
    expect(read('b', good)).toThrow(/key b is not the aggregate id a/);
    expect(read(null, good)).toThrow(/key \(none\)/);
  });

  it("puts an aggregate's events on one partition with kafkajs's own partitioner", () => {
    const partitioner = Partitioners.DefaultPartitioner();
    const partitionMetadata = Array.from({ length: 12 }, (_, i) => ({
      partitionId: i,
      leader: 1,
      partitionErrorCode: 0,
      replicas: [1],
      isr: [1],
    }));
    const partitionOf = (aggregateId: string, seq: number) =>
      partitioner({ topic: 't', partitionMetadata, message: toKafkaMessage(testEvent(aggregateId, seq)) });
    for (const aggregate of ['a', 'booking-7', 'ü 東京']) {
      const first = partitionOf(aggregate, 0);
      for (let seq = 1; seq < 20; seq++) expect(partitionOf(aggregate, seq)).toBe(first);
    }
    const spread = new Set(Array.from({ length: 100 }, (_, i) => partitionOf(`agg-${i}`, 0)));
    expect(spread.size).toBeGreaterThan(6);
  });

  it('names a group per consumer for once, per consumer and instance for broadcast', () => {
    expect(kafkaGroupId('carebook.', 'notifications', 'once', 'web-1')).toBe('carebook.notifications');
    expect(kafkaGroupId('carebook.', 'realtime', 'broadcast', 'web-1')).toBe('carebook.realtime.web-1');
  });

  it('parses kafka:// URLs', () => {
    expect(parseKafkaUrl('kafka://k1:9092,k2.example.org:9093')).toEqual({
      brokers: ['k1:9092', 'k2.example.org:9093'],
    });
    expect(parseKafkaUrl('kafka://k1:9092/carebook.events')).toEqual({
      brokers: ['k1:9092'],
      topic: 'carebook.events',
    });
    expect(() => parseKafkaUrl('kafka://k1')).toThrow(/host:port/);
    expect(() => parseKafkaUrl('redis://k1:9092')).toThrow(/not a kafka/);
    expect(() => parseKafkaUrl('kafka://k1:9092/bad topic')).toThrow(/topic/);
  });
});

describe('KafkaEventBus without a broker', () => {
  const unreachable = () =>
    new KafkaEventBus({
      brokers: ['127.0.0.1:1'],
      instanceId: 'solo',
      kafka: { connectionTimeout: 300, retry: { retries: 1, initialRetryTime: 50, maxRetryTime: 100 } },
    });

  it('start() fails when no broker answers, and health says why', async () => {
    const bus = unreachable();
    bus.subscribe('mailer', 'once', async () => {});
    expect(bus.health()).toEqual({ ok: false, detail: 'not started' });
    await expect(bus.start()).rejects.toThrow();
    await bus.close();
    expect(bus.health()).toEqual({ ok: false, detail: 'closed' });
    await expect(bus.publish([testEvent('a', 0)])).rejects.toThrow(/closed/);
  });

  it('refuses a consumer subscribed twice', () => {
    const bus = unreachable();
    bus.subscribe('x', 'broadcast', async () => {});
    expect(() => bus.subscribe('x', 'broadcast', async () => {})).toThrow(/already subscribed/);
  });
});

describe('Kafka TLS/SASL settings from the environment', () => {
  it('maps SASL and TLS variables to kafkajs settings, and refuses inconsistent ones', async () => {
    const { kafkaClientSettings } = await import('./kafka-settings');
    expect(kafkaClientSettings({})).toEqual({});
    expect(
      kafkaClientSettings({
        KAFKA_SSL: 'true',
        KAFKA_SASL_MECHANISM: 'scram-sha-512',
        KAFKA_SASL_USERNAME: 'u',
        KAFKA_SASL_PASSWORD: 'p',
      }),
    ).toEqual({ ssl: true, sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' } });
    expect(kafkaClientSettings({ KAFKA_SSL: 'true', KAFKA_SSL_REJECT_UNAUTHORIZED: 'false' })).toEqual({
      ssl: { rejectUnauthorized: false },
    });
    expect(() => kafkaClientSettings({ KAFKA_SSL: 'yes' })).toThrow(/true or false/);
    expect(() => kafkaClientSettings({ KAFKA_SSL_REJECT_UNAUTHORIZED: 'false' })).toThrow(/KAFKA_SSL=true/);
    expect(() => kafkaClientSettings({ KAFKA_SASL_MECHANISM: 'plain', KAFKA_SASL_USERNAME: 'u' })).toThrow(
      /PASSWORD/,
    );
    expect(() =>
      kafkaClientSettings({
        KAFKA_SASL_MECHANISM: 'gssapi',
        KAFKA_SASL_USERNAME: 'u',
        KAFKA_SASL_PASSWORD: 'p',
      }),
    ).toThrow(/plain, scram/);
    expect(() => kafkaClientSettings({ KAFKA_SASL_USERNAME: 'u' })).toThrow(/MECHANISM/);
  });
});
