import type { Kysely } from 'kysely';
import type { InventoryDatabase, ProvidersTable } from '../../db/schema';
import { paginate } from '../../lib/paginate';
import type { ProviderRow, ServiceRow } from './listing-mapper';

type Db = Kysely<InventoryDatabase>;

export class ProvidersRepository {
  constructor(private readonly db: Db) {}

  byId(id: string, db: Db = this.db): Promise<ProviderRow | undefined> {
    return db.selectFrom('providers').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** The listings with these ids that exist, in no particular order (one statement). */
  byIds(ids: readonly string[], db: Db = this.db): Promise<ProviderRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return db.selectFrom('providers').selectAll().where('id', 'in', ids).execute();
  }

  services(providerId: string, db: Db = this.db): Promise<ServiceRow[]> {
    return db
      .selectFrom('provider_services')
      .selectAll()
      .where('provider_id', '=', providerId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  }

  async insert(row: ProviderRow, db: Db = this.db): Promise<void> {
    await db.insertInto('providers').values(row).execute();
  }

  async insertService(row: ServiceRow, db: Db = this.db): Promise<void> {
    await db.insertInto('provider_services').values(row).execute();
  }

  async updateService(id: string, providerId: string, changes: Partial<ServiceRow>, db: Db = this.db) {
    const result = await db
      .updateTable('provider_services')
      .set(changes)
      .where('id', '=', id)
      .where('provider_id', '=', providerId)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /**
   * The optimistic lock: applies `changes` and bumps the version only if it is still `expected`.
   * Returns false when someone else got there first (or the row is gone).
   */
  async updateIfVersion(
    id: string,
    expected: number,
    changes: Partial<Omit<ProvidersTable, 'id' | 'version'>>,
    db: Db = this.db,
  ): Promise<boolean> {
    const result = await db
      .updateTable('providers')
      .set((eb) => ({ ...changes, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .where('version', '=', expected)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async page(
    filter: { ownerId?: string; status?: ProviderRow['status'] },
    page: number,
    pageSize: number,
  ): Promise<{ rows: ProviderRow[]; total: number }> {
    let query = this.db.selectFrom('providers');
    if (filter.ownerId) query = query.where('owner_id', '=', filter.ownerId);
    if (filter.status) query = query.where('status', '=', filter.status);
    return paginate(
      query,
      (q) => q.selectAll().orderBy('updated_at', 'desc').orderBy('id', 'desc'),
      page,
      pageSize,
    );
  }
}
