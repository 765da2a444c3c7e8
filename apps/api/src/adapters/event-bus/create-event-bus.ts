import type { EventBus } from '../../ports/event-bus';
import { InProcessEventBus, type InProcessEventBusOptions } from './in-process';
import { KafkaEventBus, type KafkaEventBusOptions } from './kafka';
import { parseKafkaUrl } from './kafka-messages';
import { kafkaClientSettings } from './kafka-settings';
import { RedisStreamsEventBus, type RedisStreamsEventBusOptions } from './redis-streams';
import type { BusLog } from './redis-streams-partitions';

export interface CreateEventBusOptions {
  /** Config `INSTANCE_ID`: names this instance's consumers and broadcast groups. */
  instanceId: string;
  /** Failures of consumers and connections are reported here (pass the app's pino logger). */
  log?: BusLog;
  /** Tuning for the in-process bus (`concurrency`: `handlersPerConsumer` of the database). */
  inProcess?: Omit<InProcessEventBusOptions, 'hub'>;
  /** Tuning for the Redis Streams bus (partitions, maxLen, leaseMs, claimIdleMs, …). */
  redis?: Partial<Omit<RedisStreamsEventBusOptions, 'url' | 'instanceId' | 'log'>>;
  /** Tuning for the Kafka bus (topic, groupPrefix, partitions, ssl/sasl under `kafka`, …). */
  kafka?: Partial<Omit<KafkaEventBusOptions, 'brokers' | 'instanceId' | 'log'>>;
}

/**
 * Picks the adapter from `EVENT_BUS_URL`: `memory` (in-process), `redis://…`/`rediss://…` (Redis
 * Streams) or `kafka://broker1:9092,broker2:9092[/topic]`. Nothing connects until `start()` or
 * the first `publish`.
 */
export function createEventBus(url: string, options: CreateEventBusOptions): EventBus {
  const log = options.log ? { log: options.log } : {};
  if (url === 'memory') return new InProcessEventBus(options.inProcess);
  if (/^rediss?:\/\//.test(url))
    return new RedisStreamsEventBus({ ...options.redis, url, instanceId: options.instanceId, ...log });
  if (url.startsWith('kafka://')) {
    const { brokers, topic } = parseKafkaUrl(url);
    return new KafkaEventBus({
      ...options.kafka,
      // TLS/SASL from KAFKA_SSL_* / KAFKA_SASL_* (kafka-settings.ts) unless given explicitly.
      kafka: options.kafka?.kafka ?? kafkaClientSettings(process.env),
      ...(topic ? { topic } : {}),
      brokers,
      instanceId: options.instanceId,
      ...log,
    });
  }
  throw new Error('EVENT_BUS_URL must be "memory", redis://… or kafka://…');
}
