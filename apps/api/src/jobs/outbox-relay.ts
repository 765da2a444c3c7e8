import type { FastifyBaseLogger } from 'fastify';
import type { Selectable } from 'kysely';
import type { OutboxTable } from '../db/schema';
import { crashPoint } from '../lib/crash-point';
import { type OutboxDb, type OutboxHost, type OutboxTableName, outboxDb } from '../lib/outbox';
import { type Clock, toDbTime } from '../ports/clock';
import type { DomainEvent, EventBus } from '../ports/event-bus';

/**
 * What a brokered stream that can lose its data (Redis Streams without persistence) tells the
 * relay: the stream's epoch (new after a loss) and whether every consumer acknowledged everything.
 */
export interface StreamMarks {
  epoch(): Promise<string>;
  allAcknowledged(): Promise<boolean>;
}

const hasMarks = (bus: EventBus): bus is EventBus & StreamMarks =>
  typeof (bus as Partial<StreamMarks>).epoch === 'function' &&
  typeof (bus as Partial<StreamMarks>).allAcknowledged === 'function';

export interface RelayOptions {
  batchSize: number;
  pollMs: number;
  maxBackoffMs: number;
  /**
   * On a bus with `overlappingPublishes`, rows may be out in several batches at once, up to
   * `inFlight × batchSize` rows (else one batch at a time).
   */
  inFlight?: number;
}

/**
 * Moves committed outbox rows to the event bus, oldest first, at least once. It stops at the
 * first batch that fails (so order is kept) and retries with exponential backoff. `nudge()` runs
 * it right after a commit; a slow poll catches anything a nudge missed (e.g. another instance).
 *
 * Relayed rows stay in the outbox. On a stream that can lose data (StreamMarks) the relay keeps a
 * high-water mark in `<outbox>_marks`: the newest row every consumer had acknowledged, and the
 * stream's epoch. When the epoch changes (Redis came back empty), every relayed row after the mark
 * is marked unpublished again and re-published; consumers are idempotent, so what was already
 * handled is absorbed, and nothing acknowledged to the user is lost.
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
    private readonly options: RelayOptions = {
      batchSize: 100,
      pollMs: 1000,
      maxBackoffMs: 30_000,
      inFlight: 4,
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
      this.wake?.();
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

  private lastMarkCheck = 0;
  private get marksTable() {
    return `${this.table}_marks` as const;
  }

  /** Compares the stream's epoch with the last seen; re-publishes after a loss, else moves the mark. */
  async checkStream(): Promise<'unchanged' | 'republished' | 'first'> {
    const bus = this.bus;
    if (!hasMarks(bus)) return 'unchanged';
    const db = this.db;
    const table = this.marksTable;
    const epoch = await bus.epoch();
    const now = toDbTime(this.clock.now());
    const state = await db.selectFrom(table).selectAll().where('id', '=', 'relay').executeTakeFirst();
    if (!state) {
      await db
        .insertInto(table)
        .values({ id: 'relay', epoch, acked_through: null, updated_at: now })
        .execute()
        .catch(() => undefined); // another instance wrote it first
      return 'first';
    }
    if (state.epoch !== epoch) {
      // The stream lost its data. One instance wins the switch and re-opens the rows after the mark.
      const won = await db
        .updateTable(table)
        .set({ epoch, updated_at: now })
        .where('id', '=', 'relay')
        .where('epoch', state.epoch === null ? 'is' : '=', state.epoch)
        .executeTakeFirst();
      if (Number(won.numUpdatedRows) !== 1) return 'unchanged';
      let reopen = db
        .updateTable(this.table)
        .set({ published_at: null })
        .where('published_at', 'is not', null);
      if (state.acked_through) reopen = reopen.where('id', '>', state.acked_through);
      const result = await reopen.executeTakeFirst();
      this.log.warn(
        { outbox: this.table, republished: Number(result.numUpdatedRows), previousEpoch: state.epoch, epoch },
        'outbox relay: the event stream lost its data; re-publishing what consumers had not acknowledged',
      );
      return 'republished';
    }
    // Same stream: everything relayed before the oldest unrelayed row is acknowledged once every
    // consumer has caught up.
    const oldestPending = await db
      .selectFrom(this.table)
      .select((eb) => eb.fn.min('id').as('id'))
      .where('published_at', 'is', null)
      .executeTakeFirst();
    let newest = db
      .selectFrom(this.table)
      .select((eb) => eb.fn.max('id').as('id'))
      .where('published_at', 'is not', null);
    if (oldestPending?.id) newest = newest.where('id', '<', oldestPending.id);
    const candidate = (await newest.executeTakeFirst())?.id ?? null;
    if (candidate && candidate !== state.acked_through && (await bus.allAcknowledged())) {
      await db
        .updateTable(table)
        .set({ acked_through: candidate, updated_at: now })
        .where('id', '=', 'relay')
        .where('epoch', '=', epoch)
        .execute();
    }
    return 'unchanged';
  }

  /** Resolves the wait of a drain that has batches in flight and nothing more to read. */
  private wake: (() => void) | null = null;

  /**
   * Reads batch after batch and publishes them. On a bus whose publishes may overlap, up to
   * `inFlight × batchSize` rows are out at once, in as many batches as they were read in: a slow consumer then does not keep newer rows from the
   * quick ones (the WebSocket push) until it finished the batch before. Each batch is marked
   * published when every consumer has it; the first failure stops the reading, and the rows not
   * marked are published again, oldest first, after the backoff.
   */
  private async drainOnce(): Promise<number> {
    let published = 0;
    if (hasMarks(this.bus) && Date.now() - this.lastMarkCheck >= Math.min(this.options.pollMs, 1000)) {
      this.lastMarkCheck = Date.now();
      await this.checkStream();
    }
    // Rows out at once; 0: one batch at a time (a bus whose publishes must not overlap).
    const room = this.bus.overlappingPublishes
      ? Math.max(1, this.options.inFlight ?? 1) * this.options.batchSize
      : 0;
    const out: Promise<number>[] = [];
    let failed = false;
    const settleOldest = async () => {
      const n = await (out.shift() as Promise<number>);
      if (n < 0) failed = true;
      else published += n;
    };
    try {
      await this.readAndPublish(room, out, settleOldest, () => failed);
    } finally {
      // Whatever happens, no batch is left running behind this drain.
      await Promise.allSettled(out);
    }
    while (out.length > 0) await settleOldest();
    if (failed) this.schedule(this.backoffMs());
    return published;
  }

  private async readAndPublish(
    room: number,
    out: Promise<number>[],
    settleOldest: () => Promise<void>,
    failed: () => boolean,
  ): Promise<void> {
    // Rows of batches in flight: left out of the next reads (a row committed late, with an older
    // id than some already read, is still found by the next read).
    const reading = new Set<string>();
    // Aggregates with an event in flight: their later events wait for that batch to settle, so a
    // failed batch is redelivered before any later event of the same aggregate is published (a
    // consumer never gets an aggregate's older event after a newer one).
    const busy = new Map<string, number>();
    let refused = false;
    const release = (rows: Selectable<OutboxTable>[]) => {
      for (const r of rows) {
        const left = (busy.get(r.aggregate_id) ?? 1) - 1;
        if (left > 0) busy.set(r.aggregate_id, left);
        else busy.delete(r.aggregate_id);
      }
    };
    // Whether the loop reads next. After a short read, only a commit since (its nudge sets
    // `again`) or a batch settling that rows of that read waited behind (`heldBack`) can have
    // left anything to find: reading again at once would mostly find nothing, a statement per
    // batch for no row.
    let read = true;
    let heldBack = false;
    while (!failed() && !refused) {
      if (read) {
        const limit =
          room === 0 ? this.options.batchSize : Math.min(this.options.batchSize, room - reading.size);
        let query = this.db
          .selectFrom(this.table)
          .selectAll()
          .where('published_at', 'is', null)
          .orderBy('id')
          .limit(limit);
        if (reading.size > 0) query = query.where('id', 'not in', [...reading]);
        heldBack = busy.size > 0;
        if (heldBack) query = query.where('aggregate_id', 'not in', [...busy.keys()]);
        // Every row committed before this read starts is in its answer, in flight already, or held
        // back behind its aggregate's batch in flight; a commit from now on sets `again`.
        this.again = false;
        const rows = await query.execute();
        if (rows.length > 0) {
          for (const r of rows) {
            reading.add(r.id);
            busy.set(r.aggregate_id, (busy.get(r.aggregate_id) ?? 0) + 1);
          }
          const batch = this.publishBatch(rows);
          // Awaited in order by settleOldest; this handler also keeps it from being an unhandled rejection.
          batch.then(
            (n) => {
              // A refused batch stops the reading at once (its rows wait for the retry after backoff).
              if (n < 0) refused = true;
              for (const r of rows) reading.delete(r.id);
              release(rows);
            },
            () => release(rows),
          );
          out.push(batch);
          // The limit is in rows: at a steady rate batches are small, and many may be out at once.
          while ((room === 0 || reading.size >= room) && out.length > 0) await settleOldest();
          // A full read: there may be more already.
          if (rows.length === limit) continue;
        }
      }
      read = this.again;
      if (read) continue;
      if (out.length === 0) break;
      // Wait for a commit's nudge or for the oldest batch to settle.
      const woken = new Promise<void>((resolve) => {
        this.wake = resolve;
      });
      const oldest = out[0] as Promise<number>;
      const settled = await Promise.race([oldest.then(() => true), woken.then(() => false)]);
      this.wake = null;
      if (settled) await settleOldest();
      read = this.again || (settled && heldBack);
    }
  }

  /** Publishes one batch and marks it; the number of rows, or -1 when the bus refused it. */
  private async publishBatch(rows: Selectable<OutboxTable>[]): Promise<number> {
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
      return -1;
    }
    crashPoint('relay.after-publish');
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
    return rows.length;
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
