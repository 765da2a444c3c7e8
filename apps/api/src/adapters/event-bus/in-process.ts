import type { BusHealth, DeliveryMode, DomainEvent, EventBus, EventHandler } from '../../ports/event-bus';
import { partitionOf } from './codec';

/** A consumer's events of one aggregate, one after another; `blockedBy` is the event that failed. */
interface Lane {
  tail: Promise<void>;
  blockedBy: string | null;
}

interface Member {
  bus: InProcessEventBus;
  handler: EventHandler;
  lanes: Map<string, Lane>;
  /** Handlers of this member running now, and the ones waiting for a turn. */
  running: number;
  waiting: (() => void)[];
}

/**
 * What the in-process buses of one process share: the consumers. Each bus gets its own hub by
 * default (the embedded profile: one instance). Tests pass one hub to several buses to model
 * several app instances on one stream: `broadcast` consumers then run on every bus, a `once`
 * consumer on one of them (chosen by aggregate id, so an aggregate stays with one member).
 */
export class InProcessHub {
  readonly consumers = new Map<string, { delivery: DeliveryMode; members: Member[] }>();
}

/**
 * Handlers side by side per consumer, by the database the consumers work on. The consumers' reads
 * and writes of one turn share statements (`batchLoader`, `batchWriter`), and under load each step
 * of a handler that waits for a batch waits for a turn of the event loop, so a consumer keeps pace
 * by having enough events in flight. On SQLite (statements run on the event loop, and requests
 * there are cheaper) the notifications consumer fell ~2 s behind an 8 s burst at full rate with 64
 * and kept up with 128; on MySQL 64 keep up, and 128 took a larger share from the requests and
 * cost more CPU per booking (`npm run bench -- booking`, docs/benchmarks.md "Tenth round").
 */
export function handlersPerConsumer(dialect: 'sqlite' | 'mysql'): number {
  return dialect === 'sqlite' ? 128 : 64;
}

/** The app's in-process bus for its database (`handlersPerConsumer`), when no other bus is given. */
export function inProcessBusFor(dialect: 'sqlite' | 'mysql'): InProcessEventBus {
  return new InProcessEventBus({ concurrency: handlersPerConsumer(dialect) });
}

export interface InProcessEventBusOptions {
  /**
   * Handlers run side by side per consumer (different aggregates). Default 64; the app passes
   * `handlersPerConsumer` of its database.
   */
  concurrency?: number;
  hub?: InProcessHub;
}

/**
 * The embedded profile's bus: consumers in this process. Order is kept per aggregate and consumer
 * (a booking's events reach every consumer in the order they were published); different
 * aggregates are handled side by side, up to `concurrency` handlers at a time per consumer, and
 * each consumer goes at its own pace: a quick consumer (the WebSocket push, cache invalidation) is
 * not held back by a slow one (notifications with their e-mails) handling earlier events. Handling
 * a batch one event after another made the consumers the bottleneck under load: on MariaDB every
 * consumer write is its own commit, and a serial chain of commits left a backlog of 25 s after 8 s
 * of 500 bookings/s (`npm run bench -- booking`).
 *
 * Publish resolves once every consumer handled every event of the call; it rejects if any failed,
 * so the outbox relay redelivers the batch (consumers are idempotent). A consumer that fails holds
 * back its later events of that aggregate, also those of overlapping publishes, until the failed
 * event is published again.
 */
export class InProcessEventBus implements EventBus {
  private readonly hub: InProcessHub;
  private readonly concurrency: number;
  private readonly own = new Set<string>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private closed = false;

  constructor(options: InProcessEventBusOptions = {}) {
    this.hub = options.hub ?? new InProcessHub();
    this.concurrency = options.concurrency ?? 64;
  }

  /**
   * Publish may be called again before an earlier call settled (the outbox relay keeps a few
   * batches in flight): each consumer still gets an aggregate's events in call order.
   */
  readonly overlappingPublishes = true;

  async publish(events: readonly DomainEvent[]): Promise<void> {
    if (this.closed) throw new Error('the event bus is closed');
    const runs: { name: string; event: DomainEvent; run: Promise<void> }[] = [];
    for (const event of events) {
      for (const [name, { delivery, members }] of this.hub.consumers) {
        if (members.length === 0) continue;
        const targets =
          delivery === 'broadcast'
            ? members
            : [members[partitionOf(event.aggregateId, members.length)] as Member];
        for (const member of targets) runs.push({ name, event, run: this.enqueue(member, event) });
      }
    }
    const results = await Promise.allSettled(runs.map((r) => r.run));
    const failures = results.flatMap((r, i) => {
      const { name, event } = runs[i] as (typeof runs)[number];
      return r.status === 'rejected'
        ? [`event ${event.type} ${event.id} failed in ${name}: ${(r.reason as Error).message}`]
        : [];
    });
    if (failures.length > 0) throw new Error(failures.join(' | '));
  }

  /**
   * Queues one event for one consumer behind that consumer's earlier events of the aggregate. After
   * a failure the aggregate is held back for that consumer (its later events fail unhandled) until
   * the failed event itself is published again, as the relay's retry does, oldest first.
   */
  private enqueue(member: Member, event: DomainEvent): Promise<void> {
    const key = event.aggregateId;
    let lane = member.lanes.get(key);
    if (!lane) {
      lane = { tail: Promise.resolve(), blockedBy: null };
      member.lanes.set(key, lane);
    }
    const l = lane;
    const run = l.tail.then(async () => {
      if (l.blockedBy !== null && l.blockedBy !== event.id)
        throw new Error(`held back until event ${l.blockedBy} of this aggregate is handled`);
      l.blockedBy = null;
      await this.turn(member);
      try {
        await member.bus.track(member.handler(event));
      } catch (err) {
        l.blockedBy = event.id;
        throw err;
      } finally {
        member.running--;
        member.waiting.shift()?.();
      }
    });
    const tail = run.catch(() => undefined);
    l.tail = tail;
    void tail.then(() => {
      if (l.tail === tail && l.blockedBy === null && member.lanes.get(key) === l) member.lanes.delete(key);
    });
    return run;
  }

  /** Waits until fewer than `concurrency` of the member's handlers run, and takes a place. */
  private async turn(member: Member): Promise<void> {
    const limit = member.bus.concurrency;
    while (member.running >= limit) await new Promise<void>((resolve) => member.waiting.push(resolve));
    member.running++;
  }

  private track<T>(run: Promise<T>): Promise<T> {
    this.inFlight.add(run);
    const done = () => this.inFlight.delete(run);
    run.then(done, done);
    return run;
  }

  subscribe(consumer: string, delivery: DeliveryMode, handler: EventHandler): () => void {
    if (this.closed) throw new Error('the event bus is closed');
    if (this.own.has(consumer)) throw new Error(`consumer ${consumer} is already subscribed`);
    const entry = this.hub.consumers.get(consumer) ?? { delivery, members: [] };
    if (entry.delivery !== delivery)
      throw new Error(`consumer ${consumer} is subscribed as ${entry.delivery} elsewhere, not ${delivery}`);
    const member: Member = { bus: this, handler, lanes: new Map(), running: 0, waiting: [] };
    entry.members.push(member);
    this.hub.consumers.set(consumer, entry);
    this.own.add(consumer);
    return () => {
      if (!this.own.delete(consumer)) return;
      entry.members = entry.members.filter((m) => m !== member);
      if (entry.members.length === 0) this.hub.consumers.delete(consumer);
    };
  }

  /** Nothing to set up: publish delivers directly. */
  async start(): Promise<void> {}

  async close(): Promise<void> {
    this.closed = true;
    for (const [name, entry] of this.hub.consumers) {
      entry.members = entry.members.filter((m) => m.bus !== this);
      if (entry.members.length === 0) this.hub.consumers.delete(name);
    }
    this.own.clear();
    await Promise.allSettled([...this.inFlight]);
  }

  health(): BusHealth {
    return this.closed ? { ok: false, detail: 'closed' } : { ok: true };
  }
}
