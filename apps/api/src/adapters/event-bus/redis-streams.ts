import { Redis, type RedisOptions } from 'ioredis';
import type { BusHealth, DeliveryMode, DomainEvent, EventBus, EventHandler } from '../../ports/event-bus';
import { encodeEvent, partitionOf } from './codec';
import { StreamConsumer } from './redis-streams-consumer';
import type { BusLog, StreamsContext } from './redis-streams-partitions';
import { HEARTBEAT } from './redis-streams-scripts';

export interface RedisStreamsEventBusOptions {
  url: string;
  /** Unique per running instance (config `INSTANCE_ID`): consumer name, broadcast group suffix. */
  instanceId: string;
  /** Every key starts with it. Default `carebook:events:`. */
  keyPrefix?: string;
  /** Streams an aggregate id is hashed over; fixed for the life of the prefix. Default 8. */
  partitions?: number;
  /** Approximate length each partition stream is trimmed to (XADD MAXLEN ~). Default 25 000. */
  maxLen?: number;
  /** How long one XREADGROUP waits for new entries. Default 2000 ms. */
  blockMs?: number;
  /** Entries per read. Default 100. */
  batchSize?: number;
  /** Aggregates handled side by side per consumer. Default 16. */
  concurrency?: number;
  /** Lease on a partition of a 'once' group (renewed every third). Default 10 000 ms. */
  leaseMs?: number;
  /** A crashed holder's pending entries are claimed once idle this long. Default 30 000 ms. */
  claimIdleMs?: number;
  /** First retry of a failed event; doubles up to `maxRetryMs`. Defaults 500 and 30 000 ms. */
  retryMs?: number;
  maxRetryMs?: number;
  /** A command without an answer this long fails (a hung Redis); reads get blockMs on top. Default 5000 ms. */
  commandTimeoutMs?: number;
  /** Broadcast groups of an instance silent this long are removed by the others. Default 60 000 ms. */
  instanceTtlMs?: number;
  log?: BusLog;
  /** Merged over the defaults (fail fast, reconnect forever). */
  redis?: RedisOptions;
}

const NAME = /^[A-Za-z0-9._:-]{1,100}$/;

/**
 * The production event stream on Redis Streams; design in README.md. Publishing is one MULTI of
 * XADDs to the partitions of the events' aggregates; each subscription reads its consumer group
 * with XREADGROUP BLOCK on its own connection and acknowledges after its handler succeeded.
 */
export class RedisStreamsEventBus implements EventBus {
  readonly keyPrefix: string;
  readonly instanceId: string;
  private readonly cmd: Redis;
  private readonly ctx: StreamsContext;
  private readonly maxLen: number;
  private readonly instanceTtlMs: number;
  private readonly consumers = new Map<string, StreamConsumer>();
  private readonly stopping = new Set<Promise<void>>();
  private timer: NodeJS.Timeout | null = null;
  private beating: Promise<void> | null = null;
  private heartbeatError: string | null = null;
  private state: 'new' | 'starting' | 'started' | 'closed' = 'new';

  constructor(options: RedisStreamsEventBusOptions) {
    if (!NAME.test(options.instanceId)) throw new Error(`instanceId must match ${NAME}`);
    this.instanceId = options.instanceId;
    this.keyPrefix = options.keyPrefix ?? 'carebook:events:';
    const partitions = options.partitions ?? 8;
    const blockMs = options.blockMs ?? 2000;
    const leaseMs = options.leaseMs ?? 10_000;
    if (!Number.isInteger(partitions) || partitions < 1 || partitions > 1024)
      throw new RangeError('partitions must be an integer from 1 to 1024');
    if (leaseMs < 4 * blockMs) throw new RangeError('leaseMs must be at least 4 × blockMs');
    this.maxLen = options.maxLen ?? 25_000;
    this.instanceTtlMs = options.instanceTtlMs ?? 60_000;
    const log = options.log ?? { warn: () => {}, error: () => {} };
    const p = this.keyPrefix;
    this.ctx = {
      instanceId: options.instanceId,
      partitions,
      streamKey: (i) => `${p}p:${i}`,
      leaseKey: (group, i) => `${p}lease:${group}:${i}`,
      membersKey: (group) => `${p}members:${group}`,
      blockMs,
      batchSize: options.batchSize ?? 100,
      concurrency: options.concurrency ?? 16,
      leaseMs,
      claimIdleMs: options.claimIdleMs ?? 30_000,
      retryMs: options.retryMs ?? 500,
      maxRetryMs: options.maxRetryMs ?? 30_000,
      log,
    };
    this.cmd = new Redis(options.url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 2000,
      commandTimeout: options.commandTimeoutMs ?? 5000,
      retryStrategy: (times) => Math.min(100 * times, 2000),
      connectionName: `carebook-bus:${options.instanceId}`,
      ...options.redis,
    });
    // Errors surface through the commands that fail and health(); ioredis reconnects by itself.
    this.cmd.on('error', () => {});
  }

  async publish(events: readonly DomainEvent[]): Promise<void> {
    if (this.state === 'closed') throw new Error('the event bus is closed');
    if (events.length === 0) return;
    if (this.cmd.status === 'wait') await this.cmd.connect();
    const multi = this.cmd.multi();
    for (const event of events) {
      const key = this.ctx.streamKey(partitionOf(event.aggregateId, this.ctx.partitions));
      multi.xadd(key, 'MAXLEN', '~', this.maxLen, '*', 'e', encodeEvent(event));
    }
    const results = await multi.exec();
    if (!results) throw new Error('event bus: the publish transaction was aborted');
    for (const [err] of results) if (err) throw err;
  }

  /**
   * An id for the stream's current life: created once in the meta hash and kept for as long as
   * Redis keeps its data. After a restart without persistence (or a FLUSHALL) it is a new one, which
   * tells the outbox relays to publish again what the consumers had not acknowledged (StreamMarks).
   */
  async epoch(): Promise<string> {
    if (this.cmd.status === 'wait') await this.cmd.connect();
    const key = `${this.keyPrefix}meta`;
    await this.cmd.hsetnx(
      key,
      'epoch',
      `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`,
    );
    return String(await this.cmd.hget(key, 'epoch'));
  }

  /**
   * Whether every consumer group on every partition has read and acknowledged everything in the
   * stream (no lag, nothing pending). False when a partition has no group or its lag is unknown.
   */
  async allAcknowledged(): Promise<boolean> {
    if (this.cmd.status === 'wait') await this.cmd.connect();
    for (let p = 0; p < this.ctx.partitions; p++) {
      const key = this.ctx.streamKey(p);
      const length = Number(await this.cmd.xlen(key));
      const groups = (await this.cmd.call('XINFO', 'GROUPS', key).catch(() => [])) as unknown[][];
      if (groups.length === 0) {
        if (length > 0) return false;
        continue;
      }
      for (const info of groups) {
        const field = (name: string) => info[info.indexOf(name) + 1];
        if (Number(field('pending')) !== 0) return false;
        const lag = field('lag');
        if (lag === null || lag === undefined || Number(lag) !== 0) return false;
      }
    }
    return true;
  }

  subscribe(consumer: string, delivery: DeliveryMode, handler: EventHandler): () => void {
    if (this.state !== 'new') throw new Error('subscribe every consumer before start()');
    if (!NAME.test(consumer)) throw new Error(`consumer names must match ${NAME}`);
    if (this.consumers.has(consumer)) throw new Error(`consumer ${consumer} is already subscribed`);
    const reader = this.cmd.duplicate({
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectionName: `carebook-bus:${this.instanceId}:${consumer}`,
      // A dead peer must not leave a blocking read hanging for ever.
      commandTimeout: this.ctx.blockMs + (this.cmd.options.commandTimeout ?? 5000),
    });
    reader.on('error', () => {});
    const sub = new StreamConsumer(consumer, delivery, handler, this.cmd, reader, this.ctx);
    this.consumers.set(consumer, sub);
    return () => {
      if (this.consumers.get(consumer) !== sub) return;
      this.consumers.delete(consumer);
      this.track(sub.stop());
    };
  }

  async start(): Promise<void> {
    if (this.state !== 'new') return;
    this.state = 'starting';
    if (this.cmd.status === 'wait') await this.cmd.connect();
    const metaKey = `${this.keyPrefix}meta`;
    await this.cmd.hsetnx(metaKey, 'partitions', this.ctx.partitions);
    const stored = Number(await this.cmd.hget(metaKey, 'partitions'));
    if (stored !== this.ctx.partitions)
      throw new Error(
        `event bus: ${this.keyPrefix} has ${stored} partitions but this instance is configured with ${this.ctx.partitions}`,
      );
    await this.heartbeat();
    for (const sub of this.consumers.values()) await sub.setup();
    for (const sub of this.consumers.values()) sub.run();
    this.timer = setInterval(() => {
      this.beating ??= this.heartbeat().finally(() => {
        this.beating = null;
      });
    }, this.ctx.leaseMs / 3);
    this.timer.unref();
    this.state = 'started';
  }

  /** Liveness of this instance, clean-up after dead ones, and the 'once' groups' leases. */
  private async heartbeat(): Promise<void> {
    try {
      const instances = `${this.keyPrefix}instances`;
      const dead = (await this.cmd.eval(
        HEARTBEAT,
        1,
        instances,
        this.instanceId,
        this.instanceTtlMs,
      )) as string[];
      for (const instance of dead) {
        await this.destroyBroadcastGroups(instance);
        await this.cmd.zrem(instances, instance);
      }
      for (const sub of this.consumers.values()) if (sub.delivery === 'once') await sub.balance();
      this.heartbeatError = null;
    } catch (err) {
      this.heartbeatError = (err as Error).message;
      if (this.state === 'starting') throw err;
    }
  }

  private async destroyBroadcastGroups(instance: string): Promise<void> {
    for (let p = 0; p < this.ctx.partitions; p++) {
      const key = this.ctx.streamKey(p);
      const groups = (await this.cmd.call('XINFO', 'GROUPS', key).catch(() => [])) as unknown[][];
      for (const info of groups) {
        const name = String(info[info.indexOf('name') + 1]);
        if (name.endsWith(`@${instance}`)) await this.cmd.call('XGROUP', 'DESTROY', key, name);
      }
    }
  }

  private track(stopping: Promise<void>): void {
    this.stopping.add(stopping);
    stopping.finally(() => this.stopping.delete(stopping));
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    const wasStarted = this.state !== 'new';
    this.state = 'closed';
    if (this.timer) clearInterval(this.timer);
    await this.beating;
    for (const sub of this.consumers.values()) this.track(wasStarted ? sub.stop() : Promise.resolve());
    this.consumers.clear();
    await Promise.allSettled([...this.stopping]);
    if (wasStarted) await this.cmd.zrem(`${this.keyPrefix}instances`, this.instanceId).catch(() => 0);
    await this.cmd.quit().catch(() => this.cmd.disconnect());
  }

  health(): BusHealth {
    if (this.state === 'closed') return { ok: false, detail: 'closed' };
    if (this.state !== 'started') return { ok: false, detail: 'not started' };
    const problems: string[] = [];
    if (this.cmd.status !== 'ready') problems.push(`redis connection ${this.cmd.status}`);
    if (this.heartbeatError) problems.push(`heartbeat: ${this.heartbeatError}`);
    for (const sub of this.consumers.values())
      if (sub.lastError) problems.push(`consumer ${sub.name}: ${sub.lastError}`);
    return problems.length === 0 ? { ok: true } : { ok: false, detail: problems.join('; ') };
  }
}
