import {
  CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import type { LogicalDatabase } from './consistency-token';
import { ReplicaTimeoutError, withDeadline } from './deadline';
import { formatGtidPosition, type GtidPosition, reached } from './gtid';
import { readContext } from './read-context';
import type { ReplicaMember } from './replica-member';

/** Where a routed read went, and why when it was not a replica. */
export type ReadTarget = 'replica' | 'primary';
export type ReadReason =
  | 'replica'
  | 'no_replica'
  | 'wait_timeout'
  | 'replica_error'
  | 'replica_timeout'
  | 'pinned';

export interface RouterOptions {
  /** How long a read with a token waits for a replica to reach it before using the primary. */
  waitMs: number;
  /** A replica silent this long (connection, wait or read) counts as hung: out of rotation, the primary answers. */
  readTimeoutMs: number;
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
      const { readTimeoutMs } = this.options;
      try {
        // A connection that arrives after the deadline goes straight back to the pool.
        connection = await withDeadline(member.driver.acquireConnection(), readTimeoutMs, (late) =>
          member.driver.releaseConnection(late),
        );
      } catch (err) {
        member.markDown(`unreachable: ${(err as Error).message}`);
        if (err instanceof ReplicaTimeoutError) return this.fromPrimary('replica_timeout');
        continue;
      }
      try {
        if (
          token &&
          !reached(token, member.state.position) &&
          !(await this.waitFor(connection, token, member))
        ) {
          await member.driver.releaseConnection(connection);
          store?.primaryOnly.add(this.database);
          return this.fromPrimary('wait_timeout');
        }
      } catch (err) {
        member.markDown(`failed: ${(err as Error).message}`);
        if (err instanceof ReplicaTimeoutError) return this.fromPrimary('replica_timeout');
        await member.driver.releaseConnection(connection).catch(() => undefined);
        continue;
      }
      if (token) member.noteReached(token);
      this.count('replica', 'replica');
      const routed = new FailoverConnection(connection, member, this, readTimeoutMs);
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

  private async waitFor(
    connection: DatabaseConnection,
    token: GtidPosition,
    member: ReplicaMember,
  ): Promise<boolean> {
    const wait = connection.executeQuery<{ r: number | string | null }>(
      CompiledQuery.raw('SELECT MASTER_GTID_WAIT(?, ?) AS r', [
        formatGtidPosition(token),
        this.options.waitMs / 1000,
      ]),
    );
    // A hung replica keeps the connection busy: it returns to the pool only once the wait ends.
    const settled = () => member.driver.releaseConnection(connection);
    const result = await withDeadline(wait, this.options.waitMs + this.options.readTimeoutMs).catch(
      (err: unknown) => {
        if (err instanceof ReplicaTimeoutError) void wait.then(settled, settled).catch(() => undefined);
        throw err;
      },
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
    this.count('primary', err instanceof ReplicaTimeoutError ? 'replica_timeout' : 'replica_error');
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
    // A connection still busy with a read its replica never answered goes back to the pool only
    // once that read ends (the server wakes up or drops it); the request does not wait for it.
    if (connection instanceof FailoverConnection && connection.busy) {
      const inner = this.inner(connection);
      void connection.busy.then(() => driver.releaseConnection(inner)).catch(() => undefined);
      return;
    }
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
  /** Set while a read that timed out is still running on the replica: settles when it ends. */
  busy: Promise<void> | undefined;

  constructor(
    readonly inner: DatabaseConnection,
    private readonly member: ReplicaMember,
    private readonly router: ReplicaRouter,
    private readonly readTimeoutMs: number,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    // A transaction cannot move to the primary halfway: it waits like any primary transaction.
    if (this.inTransaction) return this.inner.executeQuery<R>(query);
    if (this.busy)
      return this.router.retryOnPrimary<R>(query, this.member, new ReplicaTimeoutError(this.readTimeoutMs));
    const read = this.inner.executeQuery<R>(query);
    try {
      return await withDeadline(read, this.readTimeoutMs);
    } catch (err) {
      if (err instanceof ReplicaTimeoutError)
        this.busy = read.then(
          () => undefined,
          () => undefined,
        );
      else if (!serverGone(err)) throw err;
      return this.router.retryOnPrimary<R>(query, this.member, err);
    }
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}
