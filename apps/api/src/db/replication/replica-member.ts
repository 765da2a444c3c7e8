import { type Driver, Kysely } from 'kysely';
import type { Pool } from 'mysql2';
import type { DatabaseConfig } from '../../config/config';
import { redactUrl } from '../../config/redact';
import { dialectFor, withOneDriver } from '../database';
import { type GtidPosition, mergeGtidPositions } from './gtid';

export interface ReplicaState {
  /** Reads may go here: reachable, replicating, and no further behind than the bound. */
  inRotation: boolean;
  /** Estimated replication delay (seconds) at the last check. */
  lagSeconds: number;
  /** Transactions the primary had committed that this replica had not applied, at the last check. */
  behindTransactions: number;
  /** The furthest position this replica is known to have applied. */
  position?: GtidPosition;
  /** Why it is (out of) rotation, for /readyz. */
  detail: string;
}

/** One replica server: its own pool (sized for the replica role) and what the checks found. */
export class ReplicaMember {
  readonly name: string;
  readonly driver: Driver;
  /** For the health checks (SHOW SLAVE STATUS, positions), over the same pool. */
  readonly db: Kysely<unknown>;
  readonly pool: Pool | undefined;
  state: ReplicaState = {
    inRotation: false,
    lagSeconds: 0,
    behindTransactions: 0,
    detail: 'not checked yet',
  };

  constructor(readonly config: DatabaseConfig) {
    const { dialect, pool } = dialectFor(config);
    const shared = withOneDriver(dialect);
    this.driver = shared.createDriver();
    this.db = new Kysely<unknown>({ dialect: shared });
    this.pool = pool;
    const u = new URL(redactUrl(config.url));
    this.name = `${u.hostname}:${u.port || '3306'}`;
  }

  /** The replica has applied at least `pos` (a wait for it returned, or a check saw it). */
  noteReached(pos: GtidPosition): void {
    this.state.position = this.state.position ? mergeGtidPositions(this.state.position, pos) : pos;
  }

  /** Out of rotation until a check finds it healthy again (a failed read, a failed check). */
  markDown(reason: string): void {
    this.state = { ...this.state, inRotation: false, detail: reason };
  }

  close(): Promise<void> {
    return this.db.destroy();
  }
}
