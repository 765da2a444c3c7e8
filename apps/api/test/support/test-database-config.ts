import type { Config } from '../../src/config/config';

/** The server URL naming another database (schema) on the same server. */
export function withDatabase(serverUrl: string, database: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Both logical databases in one, as tests open them. */
export function dbConfig(url: string): Config {
  // The relays' own pool as configured by default (DB_RELAY_POOL_SIZE); SQLite opens none.
  const db = { url, poolSize: 10, relayPoolSize: 2 };
  return { databases: { inventory: db, bookings: db } } as Config;
}
