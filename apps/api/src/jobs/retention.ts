import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { RetentionConfig } from '../config/privacy';
import type { BookingDatabase, InventoryDatabase } from '../db/schema';
import { type Clock, toDbTime } from '../ports/clock';
import { type LeasedJob, type LeaseStore, runLeased } from './lease';

type Bookings = Kysely<BookingDatabase>;

export interface RetentionDeps {
  /** The inventory's tables are pruned by the first booking database's job only (absent on the others). */
  inventory?: Kysely<InventoryDatabase>;
  /** One booking database: its outbox, payment events and idempotency keys. */
  bookings: Bookings;
  clock: Clock;
  log?: Pick<FastifyBaseLogger, 'info' | 'warn' | 'error'>;
}

/** Rows removed per table in one pass. */
export type RetentionReport = Record<
  | 'inventoryOutbox'
  | 'bookingsOutbox'
  | 'sessions'
  | 'refreshTokens'
  | 'paymentEvents'
  | 'idempotencyKeys'
  | 'notifications'
  | 'devMailbox',
  number
>;

const DAY = 86_400_000;

/**
 * Prunes what would otherwise grow forever, each by its own configurable age (config/privacy.ts,
 * docs/security.md): relayed outbox rows (only those the relay marked `published_at`), sessions
 * that ended (expired or revoked) and their refresh tokens, spent refresh tokens, processed
 * payment-webhook events, old idempotency keys, read in-app notifications and the dev mailbox.
 * Deletes go in batches of `batchSize` rows so no statement holds locks for long; a pass stops
 * early when its lease is lost. Safe to run twice at once (every delete is by condition). One job
 * per booking database (docs/scaling.md, "Booking shards"); the inventory's tables go with the
 * first one's (`inventory` given), the others report 0 for them.
 */
export class RetentionJob {
  constructor(
    private readonly d: RetentionDeps,
    private readonly ages: RetentionConfig,
    private readonly batchSize = 500,
  ) {}

  async runOnce(signal?: AbortSignal): Promise<RetentionReport> {
    const now = this.d.clock.now().getTime();
    const before = (ms: number) => toDbTime(new Date(now - ms));
    const a = this.ages;
    const bk = this.d.bookings;
    // The inventory's tables, on the job that was given the inventory only.
    const onInventory = (prune: (inv: Kysely<InventoryDatabase>) => Promise<number>) =>
      this.d.inventory ? prune(this.d.inventory) : Promise.resolve(0);
    const outboxCutoff = before(a.deliveredOutboxDays * DAY);
    const sessionCutoff = before(a.endedSessionsDays * DAY);
    const tokenCutoff = before(a.spentRefreshTokensDays * DAY);
    const report: RetentionReport = {
      inventoryOutbox: await onInventory((inv) =>
        this.prune(
          signal,
          () =>
            inv
              .selectFrom('inventory_outbox')
              .select('id')
              .where('published_at', 'is not', null)
              .where('published_at', '<', outboxCutoff),
          (ids) =>
            inv.deleteFrom('inventory_outbox').where('id', 'in', ids).where('published_at', 'is not', null),
        ),
      ),
      bookingsOutbox: await this.prune(
        signal,
        () =>
          bk
            .selectFrom('bookings_outbox')
            .select('id')
            .where('published_at', 'is not', null)
            .where('published_at', '<', outboxCutoff),
        (ids) =>
          bk.deleteFrom('bookings_outbox').where('id', 'in', ids).where('published_at', 'is not', null),
      ),
      // Spent tokens first (their sessions may live on), then ended sessions with all their tokens.
      refreshTokens: await onInventory((inv) =>
        this.prune(
          signal,
          () =>
            inv
              .selectFrom('refresh_tokens')
              .select('id')
              .where((eb) => eb.or([eb('used_at', '<', tokenCutoff), eb('expires_at', '<', tokenCutoff)])),
          (ids) => inv.deleteFrom('refresh_tokens').where('id', 'in', ids),
        ),
      ),
      sessions: await onInventory((inv) =>
        this.prune(
          signal,
          () =>
            inv
              .selectFrom('sessions')
              .select('id')
              .where((eb) =>
                eb.or([eb('expires_at', '<', sessionCutoff), eb('revoked_at', '<', sessionCutoff)]),
              ),
          async (ids) => {
            await inv.deleteFrom('refresh_tokens').where('session_id', 'in', ids).execute();
            return inv.deleteFrom('sessions').where('id', 'in', ids);
          },
        ),
      ),
      paymentEvents: await this.prune(
        signal,
        () =>
          bk
            .selectFrom('payment_events')
            .select('event_id as id')
            .where('processed_at', '<', before(a.paymentEventsDays * DAY)),
        (ids) => bk.deleteFrom('payment_events').where('event_id', 'in', ids),
      ),
      idempotencyKeys: await this.pruneIdempotencyKeys(signal, before(a.idempotencyKeysHours * 3_600_000)),
      notifications: await onInventory((inv) =>
        this.prune(
          signal,
          () =>
            inv
              .selectFrom('notifications')
              .select('id')
              .where('read_at', 'is not', null)
              .where('read_at', '<', before(a.readNotificationsDays * DAY)),
          (ids) => inv.deleteFrom('notifications').where('id', 'in', ids).where('read_at', 'is not', null),
        ),
      ),
      devMailbox: await onInventory((inv) =>
        this.prune(
          signal,
          () =>
            inv
              .selectFrom('dev_mailbox')
              .select('id')
              .where('created_at', '<', before(a.devMailboxDays * DAY)),
          (ids) => inv.deleteFrom('dev_mailbox').where('id', 'in', ids),
        ),
      ),
    };
    const total = Object.values(report).reduce((n, v) => n + v, 0);
    if (total > 0) this.d.log?.info({ retention: report }, 'retention: pruned old rows');
    return report;
  }

  /** Selects a batch of ids, deletes them, repeats until a batch comes back short. */
  private async prune(
    signal: AbortSignal | undefined,
    select: () => { limit(n: number): { execute(): Promise<{ id: string }[]> } },
    remove: (ids: string[]) => { execute(): Promise<unknown> } | Promise<{ execute(): Promise<unknown> }>,
  ): Promise<number> {
    let removed = 0;
    for (;;) {
      if (signal?.aborted) return removed;
      const ids = (await select().limit(this.batchSize).execute()).map((r) => r.id);
      if (ids.length === 0) return removed;
      await (await remove(ids)).execute();
      removed += ids.length;
      if (ids.length < this.batchSize) return removed;
    }
  }

  /** Idempotency keys have a composite key (user, key). */
  private async pruneIdempotencyKeys(signal: AbortSignal | undefined, cutoff: string): Promise<number> {
    let removed = 0;
    const bk = this.d.bookings;
    for (;;) {
      if (signal?.aborted) return removed;
      const rows = await bk
        .selectFrom('idempotency_keys')
        .select(['user_id', 'idem_key'])
        .where('created_at', '<', cutoff)
        .limit(this.batchSize)
        .execute();
      if (rows.length === 0) return removed;
      await bk
        .deleteFrom('idempotency_keys')
        .where('created_at', '<', cutoff)
        .where((eb) =>
          eb.or(rows.map((r) => eb.and([eb('user_id', '=', r.user_id), eb('idem_key', '=', r.idem_key)]))),
        )
        .execute();
      removed += rows.length;
      if (rows.length < this.batchSize) return removed;
    }
  }
}

/**
 * Starts the retention job of one booking database under its lease; none when `intervalMinutes`
 * is 0. The first database's job (given the inventory) keeps the name `retention`; the others are
 * `retention:1`, … (jobs.plugin.ts), so databases are pruned in parallel, one instance each.
 */
export function startRetention(
  leases: { store: LeaseStore; holder: string; log?: Pick<FastifyBaseLogger, 'error' | 'warn'> },
  d: RetentionDeps,
  ages: RetentionConfig,
  name = 'retention',
): LeasedJob[] {
  if (ages.intervalMinutes <= 0) return [];
  const job = new RetentionJob(d, ages);
  return [runLeased(leases, name, ages.intervalMinutes * 60_000, (signal) => job.runOnce(signal))];
}
