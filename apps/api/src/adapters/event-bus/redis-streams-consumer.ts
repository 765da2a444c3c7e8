import type { Redis } from 'ioredis';
import type { DeliveryMode, DomainEvent, EventHandler } from '../../ports/event-bus';
import { AggregateQueues } from './aggregate-queues';
import { decodeEvent, sleep } from './codec';
import { PartitionOwnership, type StreamsContext } from './redis-streams-partitions';

interface Entry {
  partition: number;
  id: string;
  event: DomainEvent | null;
  problem?: string;
}

type ReadReply = [string, [string, string[] | null][]][] | null;

/**
 * One subscription on one instance: a consumer group on every partition stream, read by one loop
 * on a dedicated connection. 'broadcast' groups are this instance's own (`name@instance`) and read
 * every partition; a 'once' group (`name`) is shared by the instances, each reading only the
 * partitions it holds a lease on, so an aggregate is handled by one instance at a time, in order.
 */
export class StreamConsumer {
  readonly group: string;
  private readonly partitions: PartitionOwnership;
  lastError: string | null = null;
  private loop: Promise<void> | null = null;
  private stopping = false;
  private readonly abort = new AbortController();
  private reading = false;
  /** Aggregates with a failed event: their later events stay pending until the retry. */
  private readonly blocked = new Set<string>();
  /** During a scan of this consumer's pending entries: the cursor per partition. */
  private scan: Map<number, string> | null = null;
  private scanDue = true;
  private retryAt = 0;
  private retryDelay: number;
  /** Aggregates that failed and have not succeeded since (for the backoff). */
  private readonly failing = new Set<string>();
  private errors = 0;
  private readonly queues: AggregateQueues<Entry & { event: DomainEvent }>;

  constructor(
    readonly name: string,
    readonly delivery: DeliveryMode,
    private readonly handler: EventHandler,
    private readonly cmd: Redis,
    private readonly reader: Redis,
    private readonly ctx: StreamsContext,
  ) {
    this.group = delivery === 'once' ? name : `${name}@${ctx.instanceId}`;
    this.retryDelay = ctx.retryMs;
    this.queues = new AggregateQueues(ctx.concurrency, (entry) => this.deliver(entry));
    this.partitions = new PartitionOwnership(cmd, ctx, this.group);
  }

  private get me() {
    return this.ctx.instanceId;
  }

  /** Creates the groups (a broadcast group afresh at the stream's end) and takes leases. */
  async setup(): Promise<void> {
    // The blocking reader has its own connection and no offline queue: connect it before the first
    // read, or that read fails (and health() reports it) while the connection is still opening.
    if (this.reader.status === 'wait') await this.reader.connect();
    await this.createGroups(this.delivery === 'broadcast', '$');
    if (this.delivery === 'broadcast') this.partitions.holdAll();
    else await this.balance();
  }

  private async createGroups(fresh: boolean, from: '$' | '0'): Promise<void> {
    for (let p = 0; p < this.ctx.partitions; p++) {
      const key = this.ctx.streamKey(p);
      if (fresh) await this.cmd.call('XGROUP', 'DESTROY', key, this.group).catch(() => 0);
      await this.cmd.call('XGROUP', 'CREATE', key, this.group, from, 'MKSTREAM').catch((err: Error) => {
        if (!err.message.includes('BUSYGROUP')) throw err;
      });
    }
  }

  run(): void {
    this.loop = this.runLoop();
  }

  /** A 'once' group's heartbeat: renew and take leases up to this instance's share. */
  balance(): Promise<void> {
    return this.partitions.balance();
  }

  private get owned() {
    return this.partitions.owned;
  }

  private async runLoop(): Promise<void> {
    const { ctx } = this;
    while (!this.stopping) {
      try {
        await this.maintain();
        const now = performance.now();
        // A lease about to lapse (heartbeats failing) must be adopted again before more reads:
        // that rescans what is pending here first, so nothing newer overtakes it.
        for (const o of this.owned.values()) if (o.validUntil - now <= ctx.blockMs + 100) o.adopted = false;
        const readable = [...this.owned]
          .filter(([, o]) => o.adopted && !o.release)
          .map(([p]) => p)
          .sort((a, b) => a - b);
        if (this.stopping) break;
        if (readable.length === 0) {
          await sleep(Math.min(ctx.leaseMs / 3, 1000), this.abort.signal);
          continue;
        }
        if (this.scanDue || (this.blocked.size > 0 && now >= this.retryAt)) {
          await this.scanPage(readable);
          continue;
        }
        if (this.queues.size >= 2 * ctx.batchSize) {
          await this.queues.progress(ctx.blockMs);
          continue;
        }
        const block = this.blocked.size > 0 ? Math.min(ctx.blockMs, this.retryAt - now) : ctx.blockMs;
        this.reading = true;
        const reply = (await this.reader.call(
          'XREADGROUP',
          'GROUP',
          this.group,
          this.me,
          'COUNT',
          ctx.batchSize,
          'BLOCK',
          Math.max(1, Math.ceil(block)),
          'STREAMS',
          ...readable.map((p) => ctx.streamKey(p)),
          ...readable.map(() => '>'),
        )) as ReadReply;
        this.reading = false;
        await this.enqueue(this.parse(reply));
        this.errors = 0;
        this.lastError = null;
      } catch (err) {
        this.reading = false;
        if (this.stopping) break;
        await this.failed(err as Error);
      }
    }
  }

  /** Reads one page of this consumer's pending entries (oldest first) and handles it. */
  private async scanPage(readable: number[]): Promise<void> {
    if (!this.scan) {
      this.scan = new Map(readable.map((p) => [p, '0']));
      this.blocked.clear();
    }
    const scan = this.scan;
    const parts = [...scan.keys()].filter((p) => readable.includes(p));
    if (parts.length > 0) {
      const reply = (await this.reader.call(
        'XREADGROUP',
        'GROUP',
        this.group,
        this.me,
        'COUNT',
        this.ctx.batchSize,
        'STREAMS',
        ...parts.map((p) => this.ctx.streamKey(p)),
        ...parts.map((p) => scan.get(p) as string),
      )) as ReadReply;
      const entries = this.parse(reply);
      for (const p of parts) {
        const mine = entries.filter((e) => e.partition === p);
        if (mine.length < this.ctx.batchSize) scan.delete(p);
        else scan.set(p, (mine.at(-1) as Entry).id);
      }
      await this.enqueue(entries);
    }
    for (const p of [...scan.keys()]) if (!readable.includes(p)) scan.delete(p);
    if (scan.size === 0) {
      this.scan = null;
      this.scanDue = false;
    }
  }

  /** Held, adopted and with time left on the lease: entries of it may be handled now. */
  private usable(partition: number, now: number): boolean {
    const o = this.owned.get(partition);
    return o?.adopted === true && o.validUntil > now;
  }

  /**
   * Queues what was read, per aggregate. Skipped (left pending for the next scan): entries of a
   * partition whose lease may have lapsed, entries already queued, and entries of an aggregate
   * held back by a failure. An entry that can never be delivered is logged and acknowledged.
   */
  private async enqueue(entries: Entry[]): Promise<void> {
    const now = performance.now();
    for (const e of entries) {
      if (!this.usable(e.partition, now)) continue;
      if (!e.event) {
        this.ctx.log.error(
          { consumer: this.name, entry: e.id, problem: e.problem },
          'event bus: dropping an entry that cannot be delivered',
        );
        await this.cmd.xack(this.ctx.streamKey(e.partition), this.group, e.id);
        continue;
      }
      if (this.blocked.has(e.event.aggregateId)) continue;
      this.queues.push(e as Entry & { event: DomainEvent });
    }
  }

  /**
   * Handles one entry and acknowledges it. False stops its aggregate (its queued entries stay
   * pending): after a handler failure or a lost acknowledgement the aggregate is held back until
   * the retry scan, which delivers its pending entries again in order.
   */
  private async deliver(entry: Entry & { event: DomainEvent }): Promise<boolean> {
    if (!this.usable(entry.partition, performance.now())) {
      const o = this.owned.get(entry.partition);
      if (o) o.adopted = false;
      return false;
    }
    const aggregate = entry.event.aggregateId;
    let stage = 'handler';
    try {
      await this.handler(entry.event);
      stage = 'ack';
      await this.cmd.xack(this.ctx.streamKey(entry.partition), this.group, entry.id);
    } catch (err) {
      this.blocked.add(aggregate);
      this.failing.add(aggregate);
      const now = performance.now();
      if (now >= this.retryAt) {
        this.retryAt = now + this.retryDelay;
        this.retryDelay = Math.min(this.retryDelay * 2, this.ctx.maxRetryMs);
      }
      if (stage === 'ack') this.lastError = (err as Error).message;
      this.ctx.log.warn(
        { err, consumer: this.name, event: entry.event.id, type: entry.event.type },
        stage === 'handler'
          ? 'event bus: consumer failed; the event will be delivered again'
          : 'event bus: cannot acknowledge; the event will be delivered again',
      );
      return false;
    }
    if (this.failing.delete(aggregate) && this.failing.size === 0) this.retryDelay = this.ctx.retryMs;
    return true;
  }

  private parse(reply: ReadReply): Entry[] {
    const out: Entry[] = [];
    for (const [key, items] of reply ?? []) {
      const partition = Number(key.slice(key.lastIndexOf(':') + 1));
      for (const [id, fields] of items) {
        if (!fields) {
          out.push({ partition, id, event: null, problem: 'trimmed from the stream before it was handled' });
          continue;
        }
        const at = fields.indexOf('e');
        try {
          out.push({ partition, id, event: decodeEvent(at >= 0 ? (fields[at + 1] ?? '') : '') });
        } catch (err) {
          out.push({ partition, id, event: null, problem: (err as Error).message });
        }
      }
    }
    return out;
  }

  /** Between reads: hand back partitions above the share, adopt newly leased ones. */
  private async maintain(): Promise<void> {
    const now = performance.now();
    for (const [p, o] of [...this.owned]) {
      if (o.release) {
        if (this.queues.inPartition(p) > 0) continue;
        await this.partitions.release(p);
        this.scan?.delete(p);
        this.owned.delete(p);
      } else if (!o.adopted && now >= o.nextAdoptAt) {
        o.adopted = await this.partitions.adopt(p);
        if (o.adopted) {
          // A fresh scan that includes this partition, before any new entry of it is read.
          this.scanDue = true;
          this.scan = null;
        } else o.nextAdoptAt = now + Math.min(this.ctx.claimIdleMs, this.ctx.leaseMs) / 4;
      }
    }
  }

  private async failed(err: Error): Promise<void> {
    this.scanDue = true;
    this.scan = null;
    if (err.message.includes('NOGROUP')) {
      // The stream or group vanished (Redis restarted without its data). Everything now in the
      // stream was published after that loss and this group has seen none of it, so read it all
      // from the start: starting at the end would drop what the outbox relays re-published while
      // the group was missing. (Consumers are idempotent; a replay costs work, a gap loses events.)
      this.ctx.log.error({ consumer: this.name }, 'event bus: consumer group missing; recreating it');
      await this.createGroups(false, '0').catch(() => undefined);
      return;
    }
    this.errors++;
    this.lastError = err.message;
    if (this.errors === 1 || this.errors % 20 === 0)
      this.ctx.log.warn(
        { err, consumer: this.name, errors: this.errors },
        'event bus: cannot read; retrying',
      );
    await sleep(
      Math.min(this.ctx.maxRetryMs, this.ctx.retryMs * 2 ** Math.min(this.errors, 6)),
      this.abort.signal,
    );
  }

  /** Stops the loop after the batch in flight, then gives back leases or removes the broadcast group. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.abort.abort();
    if (this.reading) this.reader.disconnect();
    await this.loop;
    await this.queues.drain();
    this.reader.disconnect();
    try {
      if (this.delivery === 'once') {
        for (const p of [...this.owned.keys()]) await this.partitions.release(p);
        await this.cmd.zrem(this.ctx.membersKey(this.group), this.me);
      } else {
        for (let p = 0; p < this.ctx.partitions; p++)
          await this.cmd.call('XGROUP', 'DESTROY', this.ctx.streamKey(p), this.group);
      }
    } catch (err) {
      this.ctx.log.warn({ err, consumer: this.name }, 'event bus: could not clean up on close; it expires');
    }
    this.owned.clear();
  }
}
