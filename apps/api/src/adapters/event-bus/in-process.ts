import type { BusHealth, DeliveryMode, DomainEvent, EventBus, EventHandler } from '../../ports/event-bus';
import { partitionOf } from './codec';

interface Member {
  bus: InProcessEventBus;
  handler: EventHandler;
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

export interface InProcessEventBusOptions {
  /** Aggregates handled side by side. Default 16. */
  concurrency?: number;
  hub?: InProcessHub;
}

/**
 * The embedded profile's bus: consumers in this process. Order is kept per aggregate and consumer
 * (a booking's events reach every consumer in the order they were written); different aggregates
 * are handled side by side, up to `concurrency` at a time per consumer, and each consumer goes
 * through a batch on its own: a quick consumer (the WebSocket push, cache invalidation) is not
 * held back by a slow one (notifications with their e-mails) handling earlier events of the batch.
 * Handling a batch one event after another made the consumers the bottleneck under load: on
 * MariaDB every consumer write is its own commit, and a serial chain of commits left a backlog of
 * 25 s after 8 s of 500 bookings/s (`npm run bench -- booking`).
 *
 * A consumer that fails stops its own remaining events of that aggregate in this batch and makes
 * publish reject once every consumer is done, so the outbox relay redelivers the batch (consumers
 * are idempotent).
 */
export class InProcessEventBus implements EventBus {
  private readonly hub: InProcessHub;
  private readonly concurrency: number;
  private readonly own = new Set<string>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private closed = false;

  constructor(options: InProcessEventBusOptions = {}) {
    this.hub = options.hub ?? new InProcessHub();
    this.concurrency = options.concurrency ?? 16;
  }

  async publish(events: readonly DomainEvent[]): Promise<void> {
    if (this.closed) throw new Error('the event bus is closed');
    const byAggregate = new Map<string, DomainEvent[]>();
    for (const event of events) {
      const queue = byAggregate.get(event.aggregateId);
      if (queue) queue.push(event);
      else byAggregate.set(event.aggregateId, [event]);
    }
    const failures: string[] = [];
    const runs: Promise<void>[] = [];
    for (const [name, { delivery, members }] of this.hub.consumers) {
      if (members.length === 0) continue;
      // Per member, the aggregates it handles (a `once` consumer: one member per aggregate).
      const work = new Map<Member, DomainEvent[][]>();
      for (const [aggregateId, queue] of byAggregate) {
        const targets =
          delivery === 'broadcast' ? members : [members[partitionOf(aggregateId, members.length)] as Member];
        for (const member of targets) {
          const list = work.get(member);
          if (list) list.push(queue);
          else work.set(member, [queue]);
        }
      }
      for (const [member, queues] of work) runs.push(this.consume(name, member, queues, failures));
    }
    await Promise.all(runs);
    if (failures.length > 0) throw new Error(failures.join(' | '));
  }

  /** One consumer (member) through its aggregates' queues, `concurrency` aggregates at a time. */
  private async consume(
    name: string,
    member: Member,
    queues: DomainEvent[][],
    failures: string[],
  ): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < queues.length) {
        const queue = queues[next++] as DomainEvent[];
        for (const event of queue) {
          try {
            await member.bus.track(member.handler(event));
          } catch (err) {
            failures.push(`event ${event.type} ${event.id} failed in ${name}: ${(err as Error).message}`);
            break;
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, queues.length) }, worker));
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
    const member: Member = { bus: this, handler };
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
