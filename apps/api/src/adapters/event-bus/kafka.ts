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
  /**
   * After this many failed attempts in place, an event is parked on `<topic>.parked` and retried
   * there (backoff up to `maxRetryMs`, for ever), so it no longer holds back the other aggregates
   * of its partition; later events of its aggregate follow it there, in order. Default 8.
   */
  parkAfterAttempts?: number;
  /** How long start() waits for each consumer to join its group. Default 60 000 ms. */
  joinTimeoutMs?: number;
  /** Group session timeout: how soon a dead instance's partitions move. Default 30 000 ms. */
  sessionTimeoutMs?: number;
  /** Default 3 000 ms (a third of the session timeout at most). */
  heartbeatIntervalMs?: number;
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
  /** Reads `<topic>.parked` (group `<groupId>.parked`), handling this subscription's parked events. */
  parkedConsumer: Consumer;
  /** Aggregate → its events parked by this instance and not yet handled here. */
  parked: Map<string, number>;
  joined: boolean;
  crashed: string | null;
}

const PARKED_FOR = 'parked-for';

/** Retries a metadata-dependent admin call while the broker is still electing leaders. */
async function retryingRetriable<T>(what: () => Promise<T>, signal: AbortSignal): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await what();
    } catch (err) {
      // kafkajs gives up on leader elections with KafkaJSNumberOfRetriesExceeded (cause retriable).
      const e = err as { retriable?: boolean; name?: string; cause?: { retriable?: boolean } };
      const retriable =
        e.retriable === true || e.cause?.retriable === true || e.name === 'KafkaJSNumberOfRetriesExceeded';
      if (!retriable || attempt >= 40 || signal.aborted) throw err;
      await sleep(250, signal);
    }
  }
}

/**
 * The event stream on Kafka (kafkajs). One topic; the message key is the aggregate id, so Kafka's
 * partitioner keeps an aggregate on one partition and in order. 'once' consumers share a group
 * per consumer name; 'broadcast' consumers get a group per instance, deleted on close. A failing
 * handler is retried in place (with heartbeats) up to `parkAfterAttempts`, then parked on
 * `<topic>.parked` so the rest of its partition moves on (README.md, "Kafka design").
 */
export class KafkaEventBus implements EventBus {
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private readonly admin: Admin;
  private readonly topic: string;
  private readonly parkedTopic: string;
  private readonly subs = new Map<string, Subscription>();
  private readonly abort = new AbortController();
  private producerUp = false;
  private state: 'new' | 'starting' | 'started' | 'closed' = 'new';
  private readonly log: BusLog;

  constructor(private readonly options: KafkaEventBusOptions) {
    if (options.brokers.length === 0) throw new Error('KafkaEventBus needs at least one broker');
    this.topic = options.topic ?? 'carebook.events';
    this.parkedTopic = `${this.topic}.parked`;
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
    const consumerConfig = (id: string) => ({
      groupId: id,
      allowAutoTopicCreation: false,
      ...(this.options.sessionTimeoutMs ? { sessionTimeout: this.options.sessionTimeoutMs } : {}),
      ...(this.options.heartbeatIntervalMs ? { heartbeatInterval: this.options.heartbeatIntervalMs } : {}),
    });
    const sub: Subscription = {
      name: consumer,
      delivery,
      handler,
      groupId,
      consumer: this.kafka.consumer(consumerConfig(groupId)),
      parkedConsumer: this.kafka.consumer(consumerConfig(`${groupId}.parked`)),
      parked: new Map(),
      joined: false,
      crashed: null,
    };
    sub.consumer.on(sub.consumer.events.GROUP_JOIN, () => {
      sub.joined = true;
      sub.crashed = null;
    });
    for (const c of [sub.consumer, sub.parkedConsumer])
      c.on(c.events.CRASH, (e) => {
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
    const topic = (name: string) => ({
      topic: name,
      numPartitions: this.options.partitions ?? 12,
      replicationFactor: this.options.replicationFactor ?? -1,
    });
    // A busy controller can take longer to elect leaders than kafkajs waits: create again (a
    // no-op once the topics exist), then wait until both topics' partitions have leaders.
    const signal = this.abort.signal;
    await retryingRetriable(
      () =>
        this.admin.createTopics({
          waitForLeaders: true,
          topics: [topic(this.topic), topic(this.parkedTopic)],
        }),
      signal,
    );
    for (const name of [this.topic, this.parkedTopic])
      await retryingRetriable(() => this.admin.fetchTopicOffsets(name), signal);
    await this.connectProducer();
    // Every group joins at once: each join waits for the coordinator, which adds up when serial.
    await Promise.all(
      [...this.subs.values()].flatMap((sub) => [
        this.startConsumer(sub, sub.consumer, sub.groupId, this.topic, (p) => this.handle(sub, p)),
        this.startConsumer(sub, sub.parkedConsumer, `${sub.groupId}.parked`, this.parkedTopic, (p) =>
          this.handleParked(sub, p),
        ),
      ]),
    );
    this.state = 'started';
  }

  /** A group without committed offsets starts at the end of the topic, fixed before it joins. */
  private async startConsumer(
    sub: Subscription,
    consumer: Consumer,
    groupId: string,
    topic: string,
    eachMessage: (payload: EachMessagePayload) => Promise<void>,
  ): Promise<void> {
    const signal = this.abort.signal;
    const ends = await retryingRetriable(() => this.admin.fetchTopicOffsets(topic), signal);
    const [committed] = await retryingRetriable(
      () => this.admin.fetchOffsets({ groupId, topics: [topic] }),
      signal,
    );
    const unset = new Set(
      (committed?.partitions ?? []).filter((p) => Number(p.offset) < 0).map((p) => p.partition),
    );
    const partitions = ends
      .filter((e) => sub.delivery === 'broadcast' || unset.has(e.partition) || !committed)
      .map((e) => ({ partition: e.partition, offset: e.high }));
    if (partitions.length > 0) {
      // Fails while another instance is in the group; it has then resolved its offsets already.
      await this.admin.setOffsets({ groupId, topic, partitions }).catch(() => undefined);
    }
    let onJoin = () => {};
    const joined = new Promise<void>((resolve) => {
      onJoin = resolve;
    });
    const off = consumer.on(consumer.events.GROUP_JOIN, () => {
      off();
      onJoin();
    });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: false });
    await consumer.run({ partitionsConsumedConcurrently: this.options.concurrency ?? 8, eachMessage });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`event bus: ${sub.name} did not join its Kafka group ${groupId} in time`)),
        this.options.joinTimeoutMs ?? 60_000,
      );
    });
    try {
      await Promise.race([joined, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Retries in place (heartbeating) up to `parkAfterAttempts`, then parks the event; an event of
   * an aggregate with parked events is parked behind them. A rebalance or close during the
   * retries leaves the message uncommitted for the next holder.
   */
  private async handle(sub: Subscription, { message, heartbeat }: EachMessagePayload): Promise<void> {
    const event = this.decode(sub, message);
    if (!event) return;
    if (sub.parked.has(event.aggregateId)) return this.park(sub, event, 0);
    const parkAfter = this.options.parkAfterAttempts ?? 8;
    let delay = this.options.retryMs ?? 500;
    for (let attempt = 1; ; attempt++) {
      try {
        await sub.handler(event);
        return;
      } catch (err) {
        if (this.abort.signal.aborted) throw err;
        if (attempt >= parkAfter) {
          this.log.error(
            { err, consumer: sub.name, event: event.id, type: event.type, attempts: attempt },
            'event bus: consumer keeps failing; parking the event so its partition moves on',
          );
          return this.park(sub, event, attempt);
        }
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

  /** Appends the event to the parked topic (same key, so its aggregate keeps its order there). */
  private async park(sub: Subscription, event: DomainEvent, attempts: number): Promise<void> {
    const message = toKafkaMessage(event);
    await this.producer.send({
      topic: this.parkedTopic,
      acks: -1,
      messages: [
        {
          ...message,
          headers: { ...message.headers, [PARKED_FOR]: sub.groupId, attempts: String(attempts) },
        },
      ],
    });
    sub.parked.set(event.aggregateId, (sub.parked.get(event.aggregateId) ?? 0) + 1);
  }

  /** Parked events of this subscription: retried in place for ever, backing off to `maxRetryMs`. */
  private async handleParked(sub: Subscription, { message, heartbeat }: EachMessagePayload): Promise<void> {
    if (message.headers?.[PARKED_FOR]?.toString() !== sub.groupId) return;
    const event = this.decode(sub, message);
    if (!event) return;
    let delay = this.options.maxRetryMs ?? 30_000;
    for (;;) {
      try {
        await sub.handler(event);
        break;
      } catch (err) {
        if (this.abort.signal.aborted) throw err;
        this.log.error(
          { err, consumer: sub.name, event: event.id, type: event.type },
          'event bus: a parked event failed again; retrying',
        );
        await sleep(delay, this.abort.signal);
        if (this.abort.signal.aborted) throw err;
        delay = Math.min(delay * 2, this.options.maxRetryMs ?? 30_000);
        await heartbeat();
      }
    }
    const left = (sub.parked.get(event.aggregateId) ?? 0) - 1;
    if (left > 0) sub.parked.set(event.aggregateId, left);
    else sub.parked.delete(event.aggregateId);
  }

  private decode(sub: Subscription, message: EachMessagePayload['message']): DomainEvent | null {
    try {
      return fromKafkaMessage(message);
    } catch (err) {
      this.log.error(
        { err, consumer: sub.name, offset: message.offset },
        'event bus: dropping a malformed message',
      );
      return null;
    }
  }

  private async stopSubscription(sub: Subscription): Promise<void> {
    await Promise.all([sub.consumer.disconnect(), sub.parkedConsumer.disconnect()]).catch(() => undefined);
    sub.joined = false;
    if (sub.delivery === 'broadcast')
      await this.admin.deleteGroups([sub.groupId, `${sub.groupId}.parked`]).catch(() => undefined);
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
    const parked = [...this.subs.values()].reduce((n, sub) => n + sub.parked.size, 0);
    if (problems.length === 0 && parked > 0)
      return { ok: true, detail: `${parked} aggregate(s) with parked events` };
    return problems.length === 0 ? { ok: true } : { ok: false, detail: problems.join('; ') };
  }
}
