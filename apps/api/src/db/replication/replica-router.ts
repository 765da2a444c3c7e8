import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import type { LogicalDatabase } from './consistency-token';
import { formatGtidPosition, type GtidPosition, reached } from './gtid';
import { readContext } from './read-context';
import type { ReplicaMember } from './replica-member';

/** Where a routed read went, and why when it was not a replica. */
export type ReadTarget = 'replica' | 'primary';
export type ReadReason = 'replica' | 'no_replica' | 'wait_timeout' | 'replica_error' | 'pinned';

export interface RouterOptions {
  /** How long a read with a token waits for a replica to reach it before using the primary. */
  waitMs: number;
}

/** Connection errors that mean the server is gone (the read is retried on the primary). */
const SERVER_GONE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'PROTOCOL_CONNECTION_LOST',
  'ER_SERVER_SHUTDOWN',
  'ER_CON_COUNT_ERROR',
  'ENOTFOUND',
  'EHOSTUNREACH',
]);
const serverGone = (err: unknown) => {
  const e = err as { code?: string; fatal?: boolean; message?: string };
  // mysql2 marks connection-level failures fatal; a pooled connection the server already closed
  // fails with a plain "closed state" error before the pool has dropped it.
  return SERVER_GONE.has(e.code ?? '') || e.fatal === true || /closed state/i.test(e.message ?? '');
};

/**
 * A Kysely driver for reads that may go to a replica of one logical database. Each connection is
 * taken from a replica in rotation (round robin) unless the request's read context says
 * otherwise: with a consistency token the replica must first reach the token's position
 * (`MASTER_GTID_WAIT`, at most `waitMs`), else the read — and the rest of the request's reads of
 * this database — go to the primary. A replica that fails is taken out of rotation and the read
 * is retried on the primary, so no request fails because a replica did.
 */
export class ReplicaRouter implements Driver {
  private next = 0;
  private readonly owners = new Map<DatabaseConnection, Driver>();
  /** Reads by target and reason since start (exported as a counter). */
  readonly reads = new Map<`${ReadTarget}:${ReadReason}`, number>();

  constructor(
    readonly database: LogicalDatabase,
    private readonly primary: Driver,
    readonly members: readonly ReplicaMember[],
    private readonly options: RouterOptions,
  ) {}

  async init(): Promise<void> {
    await Promise.all([this.primary.init(), ...this.members.map((m) => m.driver.init())]);
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const store = readContext.getStore();
    if (store?.primaryOnly.has(this.database)) return this.fromPrimary('pinned');
    const token = store?.token.get(this.database);
    const candidates = this.inRotation();
    if (candidates.length === 0) return this.fromPrimary('no_replica');
    for (const member of candidates) {
      let connection: DatabaseConnection;
      try {
        connection = await member.driver.acquireConnection();
      } catch (err) {
        member.markDown(`unreachable: ${(err as Error).message}`);
        continue;
      }
      try {
        if (token && !reached(token, member.state.position) && !(await this.waitFor(connection, token))) {
          await member.driver.releaseConnection(connection);
          store?.primaryOnly.add(this.database);
          return this.fromPrimary('wait_timeout');
        }
      } catch (err) {
        await member.driver.releaseConnection(connection).catch(() => undefined);
        member.markDown(`failed: ${(err as Error).message}`);
        continue;
      }
      if (token) member.noteReached(token);
      this.count('replica', 'replica');
      const routed = new FailoverConnection(connection, member, this);
      this.owners.set(routed, member.driver);
      return routed;
    }
    return this.fromPrimary('replica_error');
  }

  /** Replicas in rotation, starting with the next one in turn. */
  private inRotation(): ReplicaMember[] {
    const healthy = this.members.filter((m) => m.state.inRotation);
    if (healthy.length === 0) return healthy;
    const start = this.next++ % healthy.length;
    return [...healthy.slice(start), ...healthy.slice(0, start)];
  }

  private async waitFor(connection: DatabaseConnection, token: GtidPosition): Promise<boolean> {
    const result = await connection.executeQuery<{ r: number | string | null }>(
      CompiledQuery.raw('SELECT MASTER_GTID_WAIT(?, ?) AS r', [
        formatGtidPosition(token),
        this.options.waitMs / 1000,
      ]),
    );
    return Number(result.rows[0]?.r) === 0;
  }

  private async fromPrimary(reason: Exclude<ReadReason, 'replica'>): Promise<DatabaseConnection> {
    this.count('primary', reason);
    const connection = await this.primary.acquireConnection();
    this.owners.set(connection, this.primary);
    return connection;
  }

  /** A read on a replica connection failed because the server went away: the primary answers. */
  async retryOnPrimary<R>(
    query: CompiledQuery,
    member: ReplicaMember,
    err: unknown,
  ): Promise<QueryResult<R>> {
    member.markDown(`failed: ${(err as Error).message}`);
    this.count('primary', 'replica_error');
    const connection = await this.primary.acquireConnection();
    try {
      return await connection.executeQuery<R>(query);
    } finally {
      await this.primary.releaseConnection(connection);
    }
  }

  count(target: ReadTarget, reason: ReadReason): void {
    const key = `${target}:${reason}` as const;
    this.reads.set(key, (this.reads.get(key) ?? 0) + 1);
  }

  private owner(connection: DatabaseConnection): Driver {
    const driver = this.owners.get(connection);
    if (!driver) throw new Error('connection not acquired from this router');
    return driver;
  }

  private inner(connection: DatabaseConnection): DatabaseConnection {
    return connection instanceof FailoverConnection ? connection.inner : connection;
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    if (connection instanceof FailoverConnection) connection.inTransaction = true;
    return this.owner(connection).beginTransaction(this.inner(connection), settings);
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return this.owner(connection).commitTransaction(this.inner(connection));
  }

  rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    return this.owner(connection).rollbackTransaction(this.inner(connection));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    const driver = this.owner(connection);
    this.owners.delete(connection);
    await driver.releaseConnection(this.inner(connection));
  }

  async destroy(): Promise<void> {
    await Promise.all([this.primary.destroy(), ...this.members.map((m) => m.driver.destroy())]);
  }
}

/**
 * A replica connection whose reads fall back to the primary when the replica goes away between
 * taking the connection and using it (never inside a transaction: that cannot move).
 */
class FailoverConnection implements DatabaseConnection {
  inTransaction = false;

  constructor(
    readonly inner: DatabaseConnection,
    private readonly member: ReplicaMember,
    private readonly router: ReplicaRouter,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    try {
      return await this.inner.executeQuery<R>(query);
    } catch (err) {
      if (this.inTransaction || !serverGone(err)) throw err;
      return this.router.retryOnPrimary<R>(query, this.member, err);
    }
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}
