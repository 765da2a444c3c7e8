import type { Listing, ProviderEventType } from '@carebook/contracts';
import type { Kysely } from 'kysely';
import type { InventoryDatabase, ProvidersTable } from '../../db/schema';
import { DomainError, forbidden, notFound } from '../../domain/errors';
import { appendToOutbox } from '../../lib/outbox';
import type { Principal } from '../../lib/request-meta';
import { type Clock, toDbTime } from '../../ports/clock';
import { assertCan } from '../auth/permissions';
import { canManage, canSee } from './listing-access';
import { type ProviderRow, type ServiceRow, toListing } from './listing-mapper';
import type { ProvidersRepository } from './providers.repository';

type Db = Kysely<InventoryDatabase>;

/** Told after every committed listing change (cache invalidation, relay nudge). */
export interface ListingChangeListener {
  listingChanged(providerId: string): Promise<void>;
}

/** What a change sets on the listing row, given the row and its services, inside the transaction. */
export type ListingChange = (
  row: ProviderRow,
  services: ServiceRow[],
  trx: Db,
) => Partial<ProvidersTable> | Promise<Partial<ProvidersTable>>;

export interface ListingChangesDeps {
  db: Db;
  repo: ProvidersRepository;
  clock: Clock;
  listener: ListingChangeListener;
  /** Replaceable only to prove atomicity in tests. */
  appendEvent?: typeof appendToOutbox;
}

/**
 * The one write path for listings: access check, the optimistic lock, the outbox event — all in
 * one transaction — then the listener. The listing, services and media services all write here.
 */
export class ListingChanges {
  private readonly appendEvent: typeof appendToOutbox;

  constructor(private readonly d: ListingChangesDeps) {
    this.appendEvent = d.appendEvent ?? appendToOutbox;
  }

  /** Inserts a new listing with its `created` event. */
  async create(row: ProviderRow): Promise<Listing> {
    await this.d.db.transaction().execute(async (trx) => {
      await this.d.repo.insert(row, trx);
      await this.event(trx, 'provider.listing.created', row);
    });
    await this.d.listener.listingChanged(row.id);
    return toListing(row, [], true);
  }

  /** Throws 404/403 unless the principal manages the listing; returns its row. */
  async managed(principal: Principal, id: string, db: Db = this.d.db): Promise<ProviderRow> {
    assertCan(principal.role, 'listing.manage');
    const row = await this.d.repo.byId(id, db);
    if (!row || !canManage(principal, row)) {
      if (row && canSee(principal, row)) throw forbidden('You do not manage this listing.');
      throw notFound('The listing');
    }
    return row;
  }

  /** Applies `change` to listing `id` at version `expected`; `extra` runs in the same transaction. */
  async apply(
    principal: Principal,
    id: string,
    expected: number,
    eventType: ProviderEventType,
    change: ListingChange,
    extra?: (trx: Db) => Promise<void>,
  ): Promise<Listing> {
    const updated = await this.d.db.transaction().execute(async (trx) => {
      const row = await this.managed(principal, id, trx);
      if (row.version !== expected) throw conflict(row.version);
      const services = await this.d.repo.services(id, trx);
      const changes = { ...(await change(row, services, trx)), updated_at: toDbTime(this.d.clock.now()) };
      if (!(await this.d.repo.updateIfVersion(id, expected, changes, trx))) {
        const current = await this.d.repo.byId(id, trx);
        throw conflict(current?.version ?? expected + 1);
      }
      const next: ProviderRow = { ...row, ...changes, version: expected + 1 };
      await this.event(trx, eventType, next);
      if (extra) await extra(trx);
      return toListing(next, await this.d.repo.services(id, trx), true);
    });
    await this.d.listener.listingChanged(id);
    return updated;
  }

  private async event(trx: Db, type: ProviderEventType, row: ProviderRow): Promise<void> {
    const envelope = { aggregateType: 'provider' as const, aggregateId: row.id, occurredAt: row.updated_at };
    await this.appendEvent(
      trx,
      type === 'provider.availability.changed'
        ? { ...envelope, type, payload: { providerId: row.id, version: row.version } }
        : {
            ...envelope,
            type,
            payload: { providerId: row.id, ownerId: row.owner_id, status: row.status, version: row.version },
          },
    );
  }
}

function conflict(currentVersion: number): DomainError {
  return new DomainError(
    'VERSION_CONFLICT',
    `The listing was changed elsewhere; it is now at version ${currentVersion}. Reload, review and try again.`,
    { currentVersion },
  );
}
