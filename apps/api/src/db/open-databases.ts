import type { Config } from '../config/config';
import type { Databases } from '../container';
import { openDatabase, openSharedDatabase, sameDatabase } from './database';
import { migrateToLatest } from './migrate';
import { type QueryObserver, QueryObserverPlugin } from './query-observer-plugin';
import type { BookingDatabase, InventoryDatabase } from './schema';

/**
 * Opens both logical databases. When they share a URL (the default) they share one handle too,
 * so SQLite has a single writer connection and MySQL a single pool.
 */
export function openDatabases(config: Config): Databases {
  const replicaUrl = config.cluster?.readDatabaseUrl;
  const inventoryRead = replicaUrl
    ? { inventoryRead: openDatabase<InventoryDatabase>({ ...config.databases.inventory, url: replicaUrl }) }
    : {};
  if (sameDatabase(config.databases.inventory, config.databases.bookings)) {
    const [inventory, bookings] = openSharedDatabase<InventoryDatabase, BookingDatabase>(
      config.databases.inventory,
    );
    return { inventory, bookings, ...inventoryRead };
  }
  return {
    inventory: openDatabase<InventoryDatabase>(config.databases.inventory),
    bookings: openDatabase<BookingDatabase>(config.databases.bookings),
    ...inventoryRead,
  };
}

export async function closeDatabases(dbs: Databases): Promise<void> {
  await Promise.all([dbs.inventory.close(), dbs.bookings.close(), dbs.inventoryRead?.close()]);
}

export async function migrateAll(dbs: Databases): Promise<string[]> {
  const applied = await migrateToLatest(dbs.inventory.db, 'inventory');
  applied.push(...(await migrateToLatest(dbs.bookings.db, 'bookings')));
  return applied;
}

/**
 * The same databases with every statement observed (metrics, tracing), labelled by logical
 * database: `withPlugin` makes a new Kysely over the same connection (pool), so a shared handle
 * still counts inventory and booking statements apart. Closing goes to the original handles.
 */
export function observeDatabases(dbs: Databases, observer: (database: string) => QueryObserver): Databases {
  const observed = <T>(db: Databases['inventory'] | Databases['bookings'] | undefined, name: string) =>
    db && { ...db, db: db.db.withPlugin(new QueryObserverPlugin(observer(name))) as T };
  return {
    inventory: observed(dbs.inventory, 'inventory') as Databases['inventory'],
    bookings: observed(dbs.bookings, 'bookings') as Databases['bookings'],
    ...(dbs.inventoryRead
      ? { inventoryRead: observed(dbs.inventoryRead, 'inventory_read') as Databases['inventory'] }
      : {}),
  };
}
