import {
  type Admin,
  type Consumer,
  type EachMessagePayload,
  Kafka,
  type KafkaConfig,
  logLevel,
  Partitioners,
  type Producer,
} from 'kafkajs';
import type { BusHealth, DeliveryMode, DomainEvent, EventBus, EventHandler } from '../../ports/event-bus';
import { sleep } from './codec';
import { fromKafkaMessage, kafkaGroupId, toKafkaMessage } from './kafka-messages';
import type { BusLog } from './redis-streams-partitions';

export interface KafkaEventBusOptions {
  brokers: string[];
  /** Unique per running instance (config `INSTANCE_ID`): names broadcast groups. */
  instanceId: string;
  /** Default `carebook.events`. */
  topic?: string;
  /** Consumer group ids start with it. Default `carebook.`. */
  groupPrefix?: string;
  /** Partitions of the topic when this bus creates it. Default 12. */
  partitions?: number;
  /** Replication factor when this bus creates the topic; -1 = the broker's default. */
  replicationFactor?: number;
  /** Partitions handled side by side per consumer. Default 8. */
  concurrency?: number;
  /** First retry of a failed event; doubles up to `maxRetryMs`. Defaults 500 and 30 000 ms. */
  retryMs?: number;
  maxRetryMs?: number;
  /** How long start() waits for each consumer to join its group. Default 60 000 ms. */
  joinTimeoutMs?: number;
  /** Extra client settings (ssl, sasl, timeouts). */
  kafka?: Partial<KafkaConfig>;
  log?: BusLog;
}

interface Subscription {
  name: string;
  delivery: DeliveryMode;
  handler: EventHandler;
  groupId: string;
  consumer: Consumer;
  joined: boolean;
  crashed: string | null;
}

/**
 * The event stream on Kafka (kafkajs). One topic; the message key is the aggregate id, so Kafka's
 * partitioner keeps an aggregate on one partition and in order. 'once' consumers share a group
 * per consumer name; 'broadcast' consumers get a group per instance, deleted on close. A failing
 * handler is retried in place (with heartbeats), which holds back its whole partition.
 */
export class KafkaEventBus implements EventBus {
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private readonly admin: Admin;
  private readonly topic: string;
  private readonly subs = new Map<string, Subscription>();
  private readonly abort = new AbortController();
  private producerUp = false;
  private state: 'new' | 'starting' | 'started' | 'closed' = 'new';
  private readonly log: BusLog;

  constructor(private readonly options: KafkaEventBusOptions) {
    if (options.brokers.length === 0) throw new Error('KafkaEventBus needs at least one broker');
    this.topic = options.topic ?? 'carebook.events';
    this.log = options.log ?? { warn: () => {}, error: () => {} };
    this.kafka = new Kafka({
      clientId: `carebook-${options.instanceId}`,
      brokers: options.brokers,
      logLevel: logLevel.WARN,
      logCreator: () => (entry) => {
        const { message, ...rest } = entry.log;
        this.log.warn({ kafka: rest, level: entry.level }, `kafkajs: ${message}`);
      },
      ...options.kafka,
    });
    this.producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
      allowAutoTopicCreation: false,
    });
    this.producer.on(this.producer.events.CONNECT, () => {
      this.producerUp = true;
    });
    this.producer.on(this.producer.events.DISCONNECT, () => {
      this.producerUp = false;
    });
    this.admin = this.kafka.admin();
  }

  async publish(events: readonly DomainEvent[]): Promise<void> {
    if (this.state === 'closed') throw new Error('the event bus is closed');
    if (events.length === 0) return;
    await this.connectProducer();
    await this.producer.send({ topic: this.topic, acks: -1, messages: events.map(toKafkaMessage) });
  }

  private connecting: Promise<void> | null = null;

  /** One connect at a time; kafkajs reconnects by itself once connected. */
  private async connectProducer(): Promise<void> {
    if (this.producerUp) return;
    this.connecting ??= this.producer.connect().finally(() => {
      this.connecting = null;
    });
    await this.connecting;
  }

  subscribe(consumer: string, delivery: DeliveryMode, handler: EventHandler): () => void {
    if (this.state !== 'new') throw new Error('subscribe every consumer before start()');
    if (this.subs.has(consumer)) throw new Error(`consumer ${consumer} is already subscribed`);
    const groupId = kafkaGroupId(
      this.options.groupPrefix ?? 'carebook.',
      consumer,
      delivery,
      this.options.instanceId,
    );
    const sub: Subscription = {
      name: consumer,
      delivery,
      handler,
      groupId,
      consumer: this.kafka.consumer({ groupId, allowAutoTopicCreation: false }),
      joined: false,
      crashed: null,
    };
    sub.consumer.on(sub.consumer.events.GROUP_JOIN, () => {
      sub.joined = true;
      sub.crashed = null;
    });
    sub.consumer.on(sub.consumer.events.CRASH, (e) => {
      sub.crashed = e.payload.error.message;
      this.log.error({ err: e.payload.error, consumer: consumer }, 'event bus: kafka consumer crashed');
    });
    this.subs.set(consumer, sub);
    return () => {
      if (this.subs.get(consumer) !== sub) return;
      this.subs.delete(consumer);
      void this.stopSubscription(sub);
    };
  }

  async start(): Promise<void> {
    if (this.state !== 'new') return;
    this.state = 'starting';
    await this.admin.connect();
    await this.admin.createTopics({
      waitForLeaders: true,
      topics: [
        {
          topic: this.topic,
          numPartitions: this.options.partitions ?? 12,
          replicationFactor: this.options.replicationFactor ?? -1,
        },
      ],
    });
    await this.connectProducer();
    for (const sub of this.subs.values()) await this.startSubscription(sub);
    this.state = 'started';
  }

  /** A group without committed offsets starts at the end of the topic, fixed before it joins. */
  private async startSubscription(sub: Subscription): Promise<void> {
    const ends = await this.admin.fetchTopicOffsets(this.topic);
    const [committed] = await this.admin.fetchOffsets({ groupId: sub.groupId, topics: [this.topic] });
    const unset = new Set(
      (committed?.partitions ?? []).filter((p) => Number(p.offset) < 0).map((p) => p.partition),
    );
    const partitions = ends
      .filter((e) => sub.delivery === 'broadcast' || unset.has(e.partition) || !committed)
      .map((e) => ({ partition: e.partition, offset: e.high }));
    if (partitions.length > 0) {
      // Fails while another instance is in the group; it has then resolved its offsets already.
      await this.admin
        .setOffsets({ groupId: sub.groupId, topic: this.topic, partitions })
        .catch(() => undefined);
    }
    let onJoin = () => {};
    const joined = new Promise<void>((resolve) => {
      onJoin = resolve;
    });
    const off = sub.consumer.on(sub.consumer.events.GROUP_JOIN, () => {
      off();
      onJoin();
    });
    await sub.consumer.connect();
    await sub.consumer.subscribe({ topic: this.topic, fromBeginning: false });
    await sub.consumer.run({
      partitionsConsumedConcurrently: this.options.concurrency ?? 8,
      eachMessage: (payload) => this.handle(sub, payload),
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`event bus: ${sub.name} did not join its Kafka group in time`)),
        this.options.joinTimeoutMs ?? 60_000,
      );
    });
    try {
      await Promise.race([joined, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Retries in place until the handler succeeds; a rebalance or close leaves it uncommitted. */
  private async handle(sub: Subscription, { message, heartbeat }: EachMessagePayload): Promise<void> {
    let event: DomainEvent;
    try {
      event = fromKafkaMessage(message);
    } catch (err) {
      this.log.error(
        { err, consumer: sub.name, offset: message.offset },
        'event bus: dropping a malformed message',
      );
      return;
    }
    let delay = this.options.retryMs ?? 500;
    for (;;) {
      try {
        await sub.handler(event);
        return;
      } catch (err) {
        if (this.abort.signal.aborted) throw err;
        this.log.warn(
          { err, consumer: sub.name, event: event.id, type: event.type },
          'event bus: consumer failed; the event will be delivered again',
        );
        await sleep(delay, this.abort.signal);
        if (this.abort.signal.aborted) throw err;
        delay = Math.min(delay * 2, this.options.maxRetryMs ?? 30_000);
        await heartbeat();
      }
    }
  }

  private async stopSubscription(sub: Subscription): Promise<void> {
    await sub.consumer.disconnect().catch(() => undefined);
    sub.joined = false;
    if (sub.delivery === 'broadcast') await this.admin.deleteGroups([sub.groupId]).catch(() => undefined);
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.abort.abort();
    await Promise.all([...this.subs.values()].map((sub) => this.stopSubscription(sub)));
    this.subs.clear();
    await this.producer.disconnect().catch(() => undefined);
    await this.admin.disconnect().catch(() => undefined);
  }

  health(): BusHealth {
    if (this.state === 'closed') return { ok: false, detail: 'closed' };
    if (this.state !== 'started') return { ok: false, detail: 'not started' };
    const problems: string[] = [];
    if (!this.producerUp) problems.push('producer disconnected');
    for (const sub of this.subs.values()) {
      if (sub.crashed) problems.push(`consumer ${sub.name} crashed: ${sub.crashed}`);
      else if (!sub.joined) problems.push(`consumer ${sub.name} not in its group`);
    }
    return problems.length === 0 ? { ok: true } : { ok: false, detail: problems.join('; ') };
  }
}
