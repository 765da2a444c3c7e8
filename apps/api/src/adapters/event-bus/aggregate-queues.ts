import type { DomainEvent } from '../../ports/event-bus';

export interface Queued {
  id: string;
  partition: number;
  event: DomainEvent;
}

/**
 * Work queues per aggregate: an aggregate's entries run one after another in the order pushed,
 * different aggregates side by side (at most `concurrency` at a time). The reader keeps pushing
 * while handlers run, so one slow aggregate does not hold back the others. `process` returns
 * false to stop an aggregate: its queued entries are dropped (they stay pending on the broker).
 */
export class AggregateQueues<T extends Queued> {
  private readonly queues = new Map<string, T[]>();
  private readonly waiting: string[] = [];
  private readonly running = new Set<Promise<void>>();
  private readonly ids = new Set<string>();
  private readonly perPartition = new Map<number, number>();
  private stopped = false;
  private wake: (() => void) | null = null;

  constructor(
    private readonly concurrency: number,
    private readonly process: (entry: T) => Promise<boolean>,
  ) {}

  /** Entries queued or being handled. */
  get size(): number {
    return this.ids.size;
  }

  /** Stream entry ids repeat across partitions; the pair is unique. */
  private static key(entry: Queued): string {
    return `${entry.partition}/${entry.id}`;
  }

  inPartition(partition: number): number {
    return this.perPartition.get(partition) ?? 0;
  }

  push(entry: T): void {
    const key = AggregateQueues.key(entry);
    if (this.stopped || this.ids.has(key)) return;
    this.ids.add(key);
    this.perPartition.set(entry.partition, this.inPartition(entry.partition) + 1);
    const aggregate = entry.event.aggregateId;
    const queue = this.queues.get(aggregate);
    if (queue) queue.push(entry);
    else {
      this.queues.set(aggregate, [entry]);
      this.waiting.push(aggregate);
    }
    this.pump();
  }

  /** Resolves when an entry finished, or after `ms`. */
  progress(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const previous = this.wake;
      this.wake = done;
      function done() {
        clearTimeout(timer);
        previous?.();
        resolve();
      }
    });
  }

  /** Starts nothing new; waits for the handlers in flight. What was queued stays pending. */
  async drain(): Promise<void> {
    this.stopped = true;
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  private pump(): void {
    while (!this.stopped && this.running.size < this.concurrency && this.waiting.length > 0) {
      const aggregate = this.waiting.shift() as string;
      const run = this.work(aggregate).finally(() => {
        this.running.delete(run);
        const wake = this.wake;
        this.wake = null;
        wake?.();
        this.pump();
      });
      this.running.add(run);
    }
  }

  private async work(aggregate: string): Promise<void> {
    const queue = this.queues.get(aggregate) as T[];
    while (queue.length > 0 && !this.stopped) {
      const entry = queue[0] as T;
      let ok = false;
      try {
        ok = await this.process(entry);
      } catch {
        ok = false;
      }
      if (!ok) break;
      queue.shift();
      this.forget(entry);
    }
    for (const entry of queue) this.forget(entry);
    this.queues.delete(aggregate);
  }

  private forget(entry: T): void {
    this.ids.delete(AggregateQueues.key(entry));
    this.perPartition.set(entry.partition, this.inPartition(entry.partition) - 1);
  }
}
