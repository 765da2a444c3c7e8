import type { EnvReader } from './cluster';
import type { DatabaseConfig } from './config';
import { redactUrl } from './redact';

/** Read replicas of the two logical databases (db/replication, docs/scaling.md). */
export interface ReplicaConfig {
  /** Replicas of the inventory database, each with the replica-role pool settings. */
  inventory: DatabaseConfig[];
  bookings: DatabaseConfig[];
  /** A replica further behind than this leaves the rotation until it catches up. */
  maxLagSeconds: number;
  checkIntervalSeconds: number;
  /** How long a read after the client's own write waits for a replica before using the primary. */
  waitMs: number;
  /**
   * How long a replica may take to hand out a connection, answer a read or a health check before
   * it counts as hung: it leaves the rotation and the read is answered by the primary.
   */
  readTimeoutMs: number;
}

/**
 * INVENTORY_REPLICA_URLS and BOOKING_REPLICA_URLS (comma-separated mysql:// URLs).
 * READ_DATABASE_URL, the earlier single setting, is an inventory replica when the list is not
 * given (and, as before, ignored on a SQLite primary: Replication.route skips non-MySQL primaries); the booking list defaults to the inventory one when both logical databases share one
 * database (its replicas hold both).
 */
export function readReplicaConfig(
  read: EnvReader,
  databases: { inventory: DatabaseConfig; bookings: DatabaseConfig },
  readDatabaseUrl: string,
  problems: string[],
): ReplicaConfig {
  // Entries of an explicit list are checked here; READ_DATABASE_URL is checked where it is read.
  const list = (name: string, fallback: string[]): { urls: string[]; explicit: boolean } => {
    const urls = read
      .string(name, '')
      .split(',')
      .map((u) => u.trim())
      .filter(Boolean);
    if (urls.length === 0) return { urls: fallback, explicit: false };
    for (const url of urls)
      if (!url.startsWith('mysql://'))
        problems.push(
          `${name}: each entry must be a mysql:// URL of a read replica (got "${redactUrl(url)}")`,
        );
    if (new Set(urls).size !== urls.length) problems.push(`${name}: a replica is listed twice`);
    return { urls, explicit: true };
  };
  const legacy = readDatabaseUrl.startsWith('mysql://') ? [readDatabaseUrl] : [];
  const inventory = list('INVENTORY_REPLICA_URLS', legacy);
  const shared = databases.inventory.url === databases.bookings.url;
  const bookings = list('BOOKING_REPLICA_URLS', shared ? inventory.urls : []);
  for (const [name, given, primary] of [
    ['INVENTORY_REPLICA_URLS', inventory, databases.inventory],
    ['BOOKING_REPLICA_URLS', bookings, databases.bookings],
  ] as const) {
    if (given.explicit && !primary.url.startsWith('mysql://'))
      problems.push(`${name}: replicas need a MySQL/MariaDB primary (SQLite has none)`);
    if (given.urls.includes(primary.url)) problems.push(`${name}: a replica cannot be the primary itself`);
  }
  const inventoryUrls = inventory.urls;
  const bookingUrls = bookings.urls;
  const base = databases.inventory;
  const replicaPool = {
    poolSize: read.int('DB_REPLICA_POOL_SIZE', base.poolSize, 1, 500),
    poolIdleTimeoutMs: base.poolIdleTimeoutMs,
    connectTimeoutMs: read.int(
      'DB_REPLICA_CONNECT_TIMEOUT_MS',
      Math.min(base.connectTimeoutMs, 2000),
      100,
      120_000,
    ),
  };
  return {
    inventory: inventoryUrls.map((url) => ({ url, ...replicaPool })),
    bookings: bookingUrls.map((url) => ({ url, ...replicaPool })),
    maxLagSeconds: read.int('REPLICA_MAX_LAG_SECONDS', 5, 0, 3600),
    checkIntervalSeconds: read.int('REPLICA_CHECK_INTERVAL_SECONDS', 5, 1, 3600),
    waitMs: read.int('REPLICA_WAIT_MS', 250, 0, 10_000),
    readTimeoutMs: read.int('REPLICA_READ_TIMEOUT_MS', 5000, 100, 600_000),
  };
}
