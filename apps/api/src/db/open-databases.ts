import type { Kysely } from 'kysely';
import type { Config } from '../config/config';
import type { Databases } from '../container';
import { type Clock, systemClock } from '../ports/clock';
import { type Db, openDatabase, openSharedDatabase, sameDatabase } from './database';
import { migrateToLatest } from './migrate';
import { type QueryObserver, QueryObserverPlugin } from './query-observer-plugin';
import { Replication } from './replication/replication';
import { WriteMarkerPlugin } from './replication/write-marker-plugin';
import type { BookingDatabase, InventoryDatabase } from './schema';

/**
 * Opens both logical databases. When they share a URL (the default) they share one handle too,
 * so SQLite has a single writer connection and MySQL a single pool. Configured replicas add the
 * routed read handles `inventoryRead`/`bookingsRead` and their monitor (`replication`).
 */
export function openDatabases(config: Config, options: { clock?: Clock } = {}): Databases {
  const primaries = openPrimaries(config);
  const replicas = config.replicas;
  if (!replicas || (replicas.inventory.length === 0 && replicas.bookings.length === 0)) return primaries;
  const replication = new Replication(options.clock ?? systemClock, {
    maxLagSeconds: replicas.maxLagSeconds,
    checkIntervalMs: replicas.checkIntervalSeconds * 1000,
    waitMs: replicas.waitMs,
    readTimeoutMs: replicas.readTimeoutMs,
  });
  const dbs: Databases = { ...primaries, replication };
  const inventoryRead = replication.route('inventory', primaries.inventory, replicas.inventory);
  if (inventoryRead) {
    dbs.inventory = {
      ...primaries.inventory,
      db: primaries.inventory.db.withPlugin(new WriteMarkerPlugin('inventory')),
    };
    dbs.inventoryRead = readHandle(inventoryRead, primaries.inventory.url);
  }
  const bookingsRead = replication.route('bookings', primaries.bookings, replicas.bookings);
  if (bookingsRead) {
    dbs.bookings = {
      ...primaries.bookings,
      db: primaries.bookings.db.withPlugin(new WriteMarkerPlugin('bookings')),
    };
    dbs.bookingsRead = readHandle(bookingsRead, primaries.bookings.url);
  }
  replication.start();
  return dbs;
}

function openPrimaries(config: Config): Databases {
  // More booking databases (BOOKING_DATABASE_URLS after the first): booking shards.
  const more = (config.shards?.bookings ?? []).slice(1);
  const shards = more.length > 0 ? { bookingShards: more.map((d) => openDatabase<BookingDatabase>(d)) } : {};
  return { ...openPair(config.databases), ...relayPools(config.databases), ...shards };
}

/** The two logical databases; one handle (one SQLite connection, one MySQL pool) when they share a URL. */
function openPair(databases: Config['databases']): Pick<Databases, 'inventory' | 'bookings'> {
  if (sameDatabase(databases.inventory, databases.bookings)) {
    const [inventory, bookings] = openSharedDatabase<InventoryDatabase, BookingDatabase>(databases.inventory);
    return { inventory, bookings };
  }
  return {
    inventory: openDatabase<InventoryDatabase>(databases.inventory),
    bookings: openDatabase<BookingDatabase>(databases.bookings),
  };
}

/**
 * MySQL: the outbox relays' own pools (`DB_RELAY_POOL_SIZE`), so the path from a commit to its
 * WebSocket push (the relay's read, the push's session re-check) does not queue behind the
 * requests' and the in-process consumers' statements in the main pool. SQLite has one connection
 * and nothing to queue in: none.
 */
function relayPools(databases: Config['databases']): Pick<Databases, 'inventoryRelay' | 'bookingsRelay'> {
  const relay = (d: Config['databases']['inventory']) =>
    d.url.startsWith('mysql://') && (d.relayPoolSize ?? 0) > 0
      ? { ...d, poolSize: d.relayPoolSize ?? 0 }
      : null;
  const inventory = relay(databases.inventory);
  const bookings = relay(databases.bookings);
  if (!inventory || !bookings) return {};
  const pair = openPair({ inventory, bookings });
  return { inventoryRelay: pair.inventory, bookingsRelay: pair.bookings };
}

const readHandle = <T>(db: Kysely<T>, url: string): Db<T> => ({
  db,
  dialect: 'mysql',
  url,
  close: () => db.destroy(),
});

export async function closeDatabases(dbs: Databases): Promise<void> {
  await Promise.all([dbs.inventoryRead?.close(), dbs.bookingsRead?.close()]);
  await dbs.replication?.close();
  await Promise.all([
    dbs.inventory.close(),
    dbs.bookings.close(),
    dbs.inventoryRelay?.close(),
    dbs.bookingsRelay?.close(),
    ...(dbs.bookingShards ?? []).map((s) => s.close()),
  ]);
}

export async function migrateAll(dbs: Databases): Promise<string[]> {
  const applied = await migrateToLatest(dbs.inventory.db, 'inventory');
  applied.push(...(await migrateToLatest(dbs.bookings.db, 'bookings')));
  for (const shard of dbs.bookingShards ?? []) applied.push(...(await migrateToLatest(shard.db, 'bookings')));
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
    ...(dbs.bookingsRead
      ? { bookingsRead: observed(dbs.bookingsRead, 'bookings_read') as Databases['bookings'] }
      : {}),
    ...(dbs.inventoryRelay
      ? { inventoryRelay: observed(dbs.inventoryRelay, 'inventory') as Databases['inventory'] }
      : {}),
    ...(dbs.bookingsRelay
      ? { bookingsRelay: observed(dbs.bookingsRelay, 'bookings') as Databases['bookings'] }
      : {}),
    ...(dbs.replication ? { replication: dbs.replication } : {}),
    ...(dbs.bookingShards
      ? {
          bookingShards: dbs.bookingShards.map(
            (shard, i) => observed(shard, `bookings_${i + 1}`) as Databases['bookings'],
          ),
        }
      : {}),
  };
}
