import type { Redis } from 'ioredis';
import { BALANCE, RELEASE } from './redis-streams-scripts';

export interface BusLog {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

/** Key names under the bus's prefix, and the settings every consumer shares. */
export interface StreamsContext {
  instanceId: string;
  partitions: number;
  streamKey(partition: number): string;
  leaseKey(group: string, partition: number): string;
  membersKey(group: string): string;
  blockMs: number;
  batchSize: number;
  concurrency: number;
  leaseMs: number;
  claimIdleMs: number;
  retryMs: number;
  maxRetryMs: number;
  log: BusLog;
}

export interface Owned {
  /** Local monotonic time until which the lease surely holds (Infinity for broadcast groups). */
  validUntil: number;
  /** Nothing pending at another consumer any more: safe to read new entries in order. */
  adopted: boolean;
  /** Above this instance's share: hand back between reads. */
  release: boolean;
  nextAdoptAt: number;
}

/**
 * Which partitions of one consumer group this instance reads. A broadcast group holds them all;
 * a 'once' group holds the partitions it has a lease on (see README.md, "Why leases").
 */
export class PartitionOwnership {
  readonly owned = new Map<number, Owned>();
  private readonly first: number;

  constructor(
    private readonly cmd: Redis,
    private readonly ctx: StreamsContext,
    private readonly group: string,
  ) {
    let h = 0;
    for (const c of ctx.instanceId) h = (h * 31 + c.charCodeAt(0)) >>> 0;
    this.first = h % ctx.partitions;
  }

  private get me() {
    return this.ctx.instanceId;
  }

  /** A broadcast group: every partition, for good. */
  holdAll(): void {
    for (let p = 0; p < this.ctx.partitions; p++)
      this.owned.set(p, {
        validUntil: Number.POSITIVE_INFINITY,
        adopted: true,
        release: false,
        nextAdoptAt: 0,
      });
  }

  /** A 'once' group's heartbeat: renew and take leases up to this instance's share. */
  async balance(): Promise<void> {
    const { ctx } = this;
    const sent = performance.now();
    const leases = Array.from({ length: ctx.partitions }, (_, p) => ctx.leaseKey(this.group, p));
    const reply = (await this.cmd.eval(
      BALANCE,
      1 + leases.length,
      ctx.membersKey(this.group),
      ...leases,
      this.me,
      ctx.leaseMs,
      this.first,
    )) as number[];
    const [share = ctx.partitions, ...held] = reply;
    const heldSet = new Set(held);
    for (const p of [...this.owned.keys()]) if (!heldSet.has(p)) this.owned.delete(p);
    for (const p of held) {
      const o = this.owned.get(p);
      if (o) o.validUntil = sent + ctx.leaseMs;
      else
        this.owned.set(p, { validUntil: sent + ctx.leaseMs, adopted: false, release: false, nextAdoptAt: 0 });
    }
    const rank = (p: number) => (p - this.first + ctx.partitions) % ctx.partitions;
    const byPreference = [...this.owned.keys()].sort((a, b) => rank(a) - rank(b));
    byPreference.forEach((p, i) => {
      (this.owned.get(p) as Owned).release = i >= share;
    });
  }

  /**
   * Takes over what earlier holders of a partition left pending once it has been idle for
   * `claimIdleMs` (XAUTOCLAIM). True when nothing is pending at anyone else: only then are new
   * entries read, so an aggregate's older events are always handled before its newer ones.
   */
  async adopt(partition: number): Promise<boolean> {
    const key = this.ctx.streamKey(partition);
    let cursor = '0-0';
    do {
      const reply = (await this.cmd.call(
        'XAUTOCLAIM',
        key,
        this.group,
        this.me,
        this.ctx.claimIdleMs,
        cursor,
        'COUNT',
        100,
        'JUSTID',
      )) as [string, string[]];
      cursor = reply[0];
    } while (cursor !== '0-0');
    const summary = (await this.cmd.call('XPENDING', key, this.group)) as [
      number,
      unknown,
      unknown,
      [string, string][] | null,
    ];
    return (summary[3] ?? []).every(([consumer, count]) => consumer === this.me || Number(count) === 0);
  }

  /** Gives a partition back; what is still pending here is marked idle so the next holder claims it at once. */
  async release(partition: number): Promise<void> {
    const key = this.ctx.streamKey(partition);
    const pending = (await this.cmd.call('XPENDING', key, this.group, '-', '+', 1000, this.me)) as [string][];
    if (pending.length > 0) {
      const ids = pending.map(([id]) => id);
      await this.cmd.call(
        'XCLAIM',
        key,
        this.group,
        this.me,
        0,
        ...ids,
        'IDLE',
        this.ctx.claimIdleMs,
        'JUSTID',
      );
    }
    await this.cmd.eval(RELEASE, 1, this.ctx.leaseKey(this.group, partition), this.me);
  }
}
