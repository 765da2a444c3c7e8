import { Kysely, MysqlAdapter, MysqlIntrospector, MysqlQueryCompiler, sql } from 'kysely';
import type { Pool } from 'mysql2';
import type { DatabaseConfig } from '../../config/config';
import type { Clock } from '../../ports/clock';
import type { Db } from '../database';
import type { ConsistencyToken, LogicalDatabase } from './consistency-token';
import { withDeadline } from './deadline';
import { type GtidPosition, parseGtidPosition, reached, transactionsBehind } from './gtid';
import { ReplicaMember } from './replica-member';
import { type ReadReason, type ReadTarget, ReplicaRouter } from './replica-router';

export interface ReplicationSettings {
  /** A replica further behind than this (seconds) leaves the rotation until it catches up. */
  maxLagSeconds: number;
  /** How often replicas are checked (lag, replication threads); 0 = only when `check()` is called. */
  checkIntervalMs: number;
  /** How long a read with a consistency token waits for a replica before using the primary. */
  waitMs: number;
  /** A replica (or primary, for its position) silent this long counts as hung (REPLICA_READ_TIMEOUT_MS). */
  readTimeoutMs: number;
}

export interface ReplicaStatus {
  database: LogicalDatabase;
  replica: string;
  inRotation: boolean;
  lagSeconds: number;
  behindTransactions: number;
  detail: string;
}

/** The replicas of one primary: their members and the primary's positions over time (for lag). */
class ReplicaGroup {
  /** Primary positions as first seen by a check, oldest first; a replica's lag is the age of the oldest it lacks. */
  history: { at: number; pos: GtidPosition }[] = [];

  constructor(
    readonly primary: Kysely<unknown>,
    readonly members: ReplicaMember[],
  ) {}
}

interface Routed {
  router: ReplicaRouter;
  group: ReplicaGroup;
}

/**
 * Read replicas of the logical databases (MariaDB GTID replication): builds the routed read
 * handles (replica-router.ts), checks every replica periodically — replication threads running,
 * lag by GTID comparison with the primary and `Seconds_Behind_Master` — and keeps a replica in
 * rotation only while it replicates within `maxLagSeconds`; one taken out comes back by itself
 * at the first check that finds it healthy. Also gives the primary positions that make a
 * consistency token, the status for metrics and /readyz, and the replica pools.
 */
export class Replication {
  private readonly routed = new Map<LogicalDatabase, Routed>();
  private readonly groups = new Map<string, ReplicaGroup>();
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> | undefined;

  constructor(
    private readonly clock: Clock,
    readonly settings: ReplicationSettings,
  ) {}

  /** The routed read handle of `database` over `replicas` (its primary is `primary`). */
  route<T>(database: LogicalDatabase, primary: Db<T>, replicas: DatabaseConfig[]): Kysely<T> | undefined {
    if (replicas.length === 0 || primary.dialect !== 'mysql' || !primary.sharedDriver) return undefined;
    const key = `${primary.url} ${replicas.map((r) => r.url).join(' ')}`;
    let group = this.groups.get(key);
    if (!group) {
      group = new ReplicaGroup(
        primary.db as Kysely<unknown>,
        replicas.map((r) => new ReplicaMember(r)),
      );
      this.groups.set(key, group);
    }
    const router = new ReplicaRouter(database, primary.sharedDriver(), group.members, {
      waitMs: this.settings.waitMs,
      readTimeoutMs: this.settings.readTimeoutMs,
    });
    this.routed.set(database, { router, group });
    return routedKysely<T>(router);
  }

  get databases(): LogicalDatabase[] {
    return [...this.routed.keys()];
  }

  /** Starts the periodic checks (the first one at once). */
  start(): void {
    if (this.timer || this.settings.checkIntervalMs <= 0) return;
    void this.check();
    this.timer = setInterval(() => void this.check(), this.settings.checkIntervalMs);
    this.timer.unref();
  }

  /** Checks every replica now (one check at a time; a caller during a check waits for it). */
  check(): Promise<void> {
    this.checking ??= Promise.all([...this.groups.values()].map((g) => this.checkGroup(g)))
      .then(() => undefined)
      .finally(() => {
        this.checking = undefined;
      });
    return this.checking;
  }

  private async checkGroup(group: ReplicaGroup): Promise<void> {
    const now = this.clock.now().getTime();
    let primaryPos: GtidPosition | null;
    try {
      primaryPos = parseGtidPosition(
        await withDeadline(position(group.primary, 'gtid_binlog_pos'), this.settings.readTimeoutMs),
      );
    } catch (err) {
      for (const m of group.members)
        m.markDown(`primary position unknown (GTID replication needs MariaDB): ${(err as Error).message}`);
      return;
    }
    if (!primaryPos) return;
    const last = group.history.at(-1);
    if (!last || !reached(primaryPos, last.pos)) group.history.push({ at: now, pos: primaryPos });
    await Promise.all(group.members.map((m) => this.checkMember(group, m, primaryPos, now)));
    // Positions every replica has applied are no longer needed to measure anyone's lag.
    while (
      group.history.length > 1 &&
      group.members.every((m) => reached((group.history[0] as { pos: GtidPosition }).pos, m.state.position))
    )
      group.history.shift();
  }

  private async checkMember(
    group: ReplicaGroup,
    member: ReplicaMember,
    primaryPos: GtidPosition,
    now: number,
  ): Promise<void> {
    try {
      // A hung replica must not hold up this check, nor (through `checking`) every later one.
      const [threads, appliedPos] = await withDeadline(
        Promise.all([replicationThreads(member.db), position(member.db, 'gtid_slave_pos')]),
        this.settings.readTimeoutMs,
      );
      const applied = parseGtidPosition(appliedPos) ?? new Map();
      member.state.position = applied;
      const behind = transactionsBehind(primaryPos, applied);
      const oldestMissing = group.history.find((h) => !reached(h.pos, applied));
      const gtidLag = behind === 0 || !oldestMissing ? 0 : Math.max(0, (now - oldestMissing.at) / 1000);
      const lagSeconds = Math.max(gtidLag, threads.secondsBehind ?? 0);
      const replicating = threads.io && threads.sql;
      const inRotation = replicating && lagSeconds <= this.settings.maxLagSeconds;
      member.state = {
        inRotation,
        lagSeconds,
        behindTransactions: behind,
        position: applied,
        detail: !replicating
          ? `replication stopped (io ${threads.io ? 'running' : 'stopped'}, sql ${threads.sql ? 'running' : 'stopped'})`
          : inRotation
            ? `in rotation, lag ${lagSeconds.toFixed(1)} s`
            : `lag ${lagSeconds.toFixed(1)} s above ${this.settings.maxLagSeconds} s`,
      };
    } catch (err) {
      member.markDown(`unreachable: ${(err as Error).message}`);
    }
  }

  /** The primaries' positions now, for the databases a request wrote to: its consistency token. */
  async primaryPositions(databases: Iterable<LogicalDatabase>): Promise<ConsistencyToken> {
    const out = new Map<LogicalDatabase, GtidPosition>();
    await Promise.all(
      [...databases].map(async (name) => {
        const routed = this.routed.get(name);
        if (!routed) return;
        const pos = parseGtidPosition(await position(routed.group.primary, 'gtid_binlog_pos'));
        if (pos && pos.size > 0) out.set(name, pos);
      }),
    );
    return out;
  }

  status(): ReplicaStatus[] {
    return [...this.routed].flatMap(([database, { group }]) =>
      group.members.map((m) => ({
        database,
        replica: m.name,
        inRotation: m.state.inRotation,
        lagSeconds: m.state.lagSeconds,
        behindTransactions: m.state.behindTransactions,
        detail: m.state.detail,
      })),
    );
  }

  /** Routed reads so far by database, target and reason. */
  reads(): { database: LogicalDatabase; target: ReadTarget; reason: ReadReason; count: number }[] {
    return [...this.routed].flatMap(([database, { router }]) =>
      [...router.reads].map(([key, count]) => {
        const [target, reason] = key.split(':') as [ReadTarget, ReadReason];
        return { database, target, reason, count };
      }),
    );
  }

  /** The replica pools (one per replica server), named `<database>_replica:<host:port>`. */
  pools(): { name: string; pool: Pool }[] {
    const seen = new Map<Pool, string[]>();
    for (const [database, { group }] of this.routed)
      for (const m of group.members)
        if (m.pool) seen.set(m.pool, [...(seen.get(m.pool) ?? []), `${database}_replica:${m.name}`]);
    return [...seen].map(([pool, names]) => ({ name: names.join('+'), pool }));
  }

  /** For /readyz: per database, degraded while no replica is in rotation (reads use the primary). */
  readiness(): { name: string; check(): Promise<{ ok: boolean; detail?: string }> }[] {
    return this.databases.map((database) => ({
      name: `database:${database}-replicas`,
      check: async () => {
        const mine = this.status().filter((s) => s.database === database);
        const pools = new Map(
          this.pools().flatMap((p) => p.name.split('+').map((n) => [n, p.pool] as const)),
        );
        const detail = mine
          .map((s) => {
            const size = (
              pools.get(`${database}_replica:${s.replica}`) as { config?: { connectionLimit?: number } }
            )?.config?.connectionLimit;
            return `${s.replica}: ${s.detail}${size ? `, pool ${size}` : ''}`;
          })
          .join('; ');
        return { ok: mine.some((s) => s.inRotation), detail };
      },
    }));
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.checking?.catch(() => undefined);
    await Promise.all([...this.groups.values()].flatMap((g) => g.members.map((m) => m.close())));
  }
}

async function position(
  db: Kysely<unknown>,
  variable: 'gtid_binlog_pos' | 'gtid_slave_pos',
): Promise<string> {
  const { rows } = await sql<{ pos: string | null }>`select ${sql.raw(`@@${variable}`)} as pos`.execute(db);
  return rows[0]?.pos ?? '';
}

/** The replica's replication threads; a login without the privilege to look is taken as running. */
async function replicationThreads(
  db: Kysely<unknown>,
): Promise<{ io: boolean; sql: boolean; secondsBehind: number | null }> {
  let rows: Record<string, unknown>[];
  try {
    rows = (await sql<Record<string, unknown>>`show slave status`.execute(db)).rows;
  } catch (err) {
    if ((err as { code?: string }).code === 'ER_SPECIFIC_ACCESS_DENIED_ERROR')
      return { io: true, sql: true, secondsBehind: null };
    throw err;
  }
  const row = rows[0];
  if (!row) return { io: false, sql: false, secondsBehind: null };
  const behind = row.Seconds_Behind_Master;
  return {
    io: row.Slave_IO_Running === 'Yes',
    sql: row.Slave_SQL_Running === 'Yes',
    secondsBehind: behind === null || behind === undefined ? null : Number(behind),
  };
}

/** A MySQL-dialect Kysely over the routing driver. */
function routedKysely<T>(router: ReplicaRouter): Kysely<T> {
  return new Kysely<T>({
    dialect: {
      createDriver: () => router,
      createAdapter: () => new MysqlAdapter(),
      createIntrospector: (db) => new MysqlIntrospector(db),
      createQueryCompiler: () => new MysqlQueryCompiler(),
    },
  });
}
