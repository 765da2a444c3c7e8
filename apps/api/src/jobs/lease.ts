import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import { type Kysely, sql } from 'kysely';
import type { BookingDatabase } from '../db/schema';
import { type Clock, toDbTime } from '../ports/clock';

/** A lease as stored: `holder` may run job `name` until `expiresAt`. */
export interface Lease {
  name: string;
  holder: string;
  expiresAt: string;
  /** Grows each time the lease changes holder. */
  generation: number;
}

/**
 * Leases in the booking database (`job_leases`). Every operation is one conditional statement,
 * so two instances can never both believe they hold a lease at the same database instant, on
 * SQLite or MariaDB. Expiry is measured on the injected clock (all instances' clocks are assumed
 * to agree within a small fraction of the lease length; NTP does that).
 */
export class LeaseStore {
  constructor(
    private readonly db: Kysely<BookingDatabase>,
    private readonly clock: Clock,
  ) {}

  /**
   * Takes the lease if it is free, expired or already ours (then it is a renewal), for `ttlMs`
   * from now. Says whether `holder` holds it afterwards.
   */
  async acquire(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const now = this.clock.now();
    const at = toDbTime(now);
    const expiresAt = toDbTime(new Date(now.getTime() + ttlMs));
    const taken = await this.db
      .updateTable('job_leases')
      .set({
        expires_at: expiresAt,
        acquired_at: sql`case when holder = ${holder} then acquired_at else ${at} end`,
        generation: sql`case when holder = ${holder} then generation else generation + 1 end`,
        renewals: sql`renewals + 1`,
        holder,
      })
      .where('name', '=', name)
      .where((eb) => eb.or([eb('holder', '=', holder), eb('expires_at', '<=', at)]))
      .executeTakeFirst();
    if (Number(taken.numUpdatedRows) === 1) return true;
    // No row yet (or someone else's live lease): the primary key lets only one insert win.
    const inserted = await this.db
      .insertInto('job_leases')
      .values({ name, holder, expires_at: expiresAt, acquired_at: at, generation: 1, renewals: 1 })
      .orIgnore()
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1;
  }

  /** Extends our lease; false if it expired and someone else took it (or it is gone). */
  async renew(name: string, holder: string, ttlMs: number): Promise<boolean> {
    const now = this.clock.now();
    const result = await this.db
      .updateTable('job_leases')
      .set({ expires_at: toDbTime(new Date(now.getTime() + ttlMs)), renewals: sql`renewals + 1` })
      .where('name', '=', name)
      .where('holder', '=', holder)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Gives the lease up at once, so another instance need not wait for it to expire. */
  async release(name: string, holder: string): Promise<void> {
    await this.db.deleteFrom('job_leases').where('name', '=', name).where('holder', '=', holder).execute();
  }

  async current(name: string): Promise<Lease | undefined> {
    const row = await this.db
      .selectFrom('job_leases')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    if (!row) return undefined;
    return { name: row.name, holder: row.holder, expiresAt: row.expires_at, generation: row.generation };
  }
}

/** A holder id for this process: host, pid and a random part (a restarted process is a new holder). */
export function instanceHolderId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

export type TickOutcome = 'ran' | 'not-holder' | 'busy' | 'stopped' | 'failed';

export interface LeasedJobOptions {
  store: LeaseStore;
  holder: string;
  name: string;
  /** How often the job runs (while this instance holds the lease). */
  intervalMs: number;
  /** Lease length; the holder renews it every third of it while working. Default 3 × interval, at least 15 s. */
  leaseMs?: number;
  log?: Pick<FastifyBaseLogger, 'error' | 'warn'>;
  /**
   * Told every tick's outcome (metrics); a failed tick comes with its error, and then `observe`
   * reports it (the observability module logs it once, fingerprinted) instead of `log`.
   */
  observe?: (job: string, outcome: TickOutcome, err?: unknown) => void;
}

/**
 * Runs `work` every `intervalMs`, but only on the instance that holds the job's lease. The holder
 * keeps the lease from tick to tick (it renews on each tick, and every `leaseMs / 3` while work
 * runs), so the job stays on one instance; if that instance dies, its lease expires and the next
 * tick of another instance takes over. `work` gets a signal that aborts if the lease is lost
 * while it runs (it should stop at the next safe point).
 */
export class LeasedJob {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<TickOutcome> | null = null;
  private stopped = false;
  readonly leaseMs: number;
  runs = 0;

  /** The lease's name (`booking-lifecycle:1`, …). */
  get name(): string {
    return this.options.name;
  }

  constructor(
    private readonly options: LeasedJobOptions,
    private readonly work: (signal: AbortSignal) => Promise<unknown>,
  ) {
    this.leaseMs = options.leaseMs ?? Math.max(3 * options.intervalMs, 15_000);
    if (this.leaseMs <= 0 || options.intervalMs <= 0) throw new RangeError('intervals must be positive');
  }

  start(): this {
    this.stopped = false;
    this.timer = setInterval(() => void this.tick(), this.options.intervalMs);
    this.timer.unref();
    return this;
  }

  /** One scheduled attempt: acquire or renew the lease, then run the work once if we hold it. */
  tick(): Promise<TickOutcome> {
    if (this.stopped) return Promise.resolve('stopped');
    if (this.running) return Promise.resolve('busy');
    const running = this.attempt()
      .then((outcome) => {
        if (outcome !== 'failed') this.options.observe?.(this.options.name, outcome);
        return outcome;
      })
      .finally(() => {
        this.running = null;
      });
    this.running = running;
    return running;
  }

  /** Stops scheduling, waits for a run in progress and releases the lease for the next instance. */
  async stop(): Promise<void> {
    this.halt();
    await this.running;
    const { store, name, holder } = this.options;
    await store
      .release(name, holder)
      .catch((err) => this.options.log?.warn({ err, job: name }, 'lease release failed'));
  }

  /** Stops without releasing: what a crashed instance leaves behind (tests). */
  halt(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private failed(err: unknown, message: string): void {
    const { name, log, observe } = this.options;
    if (observe) observe(name, 'failed', err);
    else log?.error({ err, job: name }, message);
  }

  private async attempt(): Promise<TickOutcome> {
    const { store, name, holder, log } = this.options;
    let held: boolean;
    try {
      held = await store.acquire(name, holder, this.leaseMs);
    } catch (err) {
      this.failed(err, 'lease acquire failed; will retry');
      return 'failed';
    }
    if (!held) return 'not-holder';
    const lost = new AbortController();
    const heartbeat = setInterval(() => {
      store
        .renew(name, holder, this.leaseMs)
        .then((ok) => {
          if (!ok) lost.abort(new Error(`lease ${name} was lost`));
        })
        .catch((err) => log?.warn({ err, job: name }, 'lease renew failed'));
    }, this.leaseMs / 3);
    heartbeat.unref();
    try {
      this.runs++;
      await this.work(lost.signal);
      return 'ran';
    } catch (err) {
      this.failed(err, 'leased job failed; will retry');
      return 'failed';
    } finally {
      clearInterval(heartbeat);
    }
  }
}

/** Starts `work` under a lease named `name` (see `LeasedJob`); stop it with `stop()` on shutdown. */
export function runLeased(
  d: Pick<LeasedJobOptions, 'store' | 'holder' | 'log' | 'observe'>,
  name: string,
  intervalMs: number,
  work: (signal: AbortSignal) => Promise<unknown>,
  leaseMs?: number,
): LeasedJob {
  return new LeasedJob(
    { ...d, name, intervalMs, ...(leaseMs === undefined ? {} : { leaseMs }) },
    work,
  ).start();
}
