import type { FastifyBaseLogger } from 'fastify';
import { type OutboxDb, type OutboxHost, type OutboxTableName, outboxDb } from '../lib/outbox';
import { type Clock, toDbTime } from '../ports/clock';
import type { DomainEvent, EventBus } from '../ports/event-bus';

/**
 * Moves committed outbox rows to the event bus, oldest first, at least once. It stops at the
 * first batch that fails (so order is kept) and retries with exponential backoff. `nudge()` runs
 * it right after a commit; a slow poll catches anything a nudge missed (e.g. another instance).
 */
export class OutboxRelay {
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private failures = 0;
  private stopped = false;

  private readonly db: OutboxDb;

  constructor(
    host: OutboxHost,
    private readonly table: OutboxTableName,
    private readonly bus: EventBus,
    private readonly clock: Clock,
    private readonly log: Pick<FastifyBaseLogger, 'warn' | 'error'>,
    private readonly options: { batchSize: number; pollMs: number; maxBackoffMs: number } = {
      batchSize: 100,
      pollMs: 1000,
      maxBackoffMs: 30_000,
    },
  ) {
    this.db = outboxDb(host);
  }

  start(): void {
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Ask for a run as soon as possible (coalesced with one in progress). */
  nudge(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .then(() => undefined)
      .catch((err: unknown) => {
        // The outbox itself is unreachable (database down): nothing is lost, try again later.
        this.failures++;
        this.log.error({ err, failures: this.failures }, 'outbox relay: cannot read the outbox; will retry');
        this.schedule(this.backoffMs());
      })
      .finally(() => {
        this.running = null;
        if (this.again && !this.stopped) {
          this.again = false;
          this.nudge();
        }
      });
  }

  /**
   * Publishes everything pending now; resolves when the outbox is empty or a batch failed. Calls
   * are serialised, so one process never delivers the same rows twice by racing itself.
   */
  drain(): Promise<number> {
    const run = this.serial.then(() => this.drainOnce());
    this.serial = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private serial: Promise<void> = Promise.resolve();

  private async drainOnce(): Promise<number> {
    let published = 0;
    for (;;) {
      const rows = await this.db
        .selectFrom(this.table)
        .selectAll()
        .where('published_at', 'is', null)
        .orderBy('id')
        .limit(this.options.batchSize)
        .execute();
      if (rows.length === 0) break;
      const events: DomainEvent[] = rows.map((r) => ({
        id: r.id,
        type: r.event_type,
        aggregateId: r.aggregate_id,
        occurredAt: r.occurred_at,
        payload: JSON.parse(r.payload) as Record<string, unknown>,
        ...(r.traceparent ? { traceparent: r.traceparent } : {}),
      }));
      try {
        await this.bus.publish(events);
      } catch (err) {
        this.failures++;
        const message = (err as Error).message.slice(0, 500);
        await this.db
          .updateTable(this.table)
          .set((eb) => ({ attempts: eb('attempts', '+', 1), last_error: message }))
          .where('id', '=', rows[0]?.id ?? '')
          .execute();
        this.log.warn({ err, failures: this.failures }, 'outbox relay: publish failed; will retry');
        this.schedule(this.backoffMs());
        return published;
      }
      this.failures = 0;
      await this.db
        .updateTable(this.table)
        .set({ published_at: toDbTime(this.clock.now()) })
        .where(
          'id',
          'in',
          rows.map((r) => r.id),
        )
        .execute();
      published += rows.length;
    }
    return published;
  }

  private backoffMs(): number {
    return Math.min(this.options.maxBackoffMs, 100 * 2 ** Math.min(this.failures, 10));
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.nudge();
      this.schedule(this.options.pollMs);
    }, ms);
    this.timer.unref();
  }
}
