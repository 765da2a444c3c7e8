import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig(env);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
};

describe('replica settings', () => {
  it('has no replicas by default, and keeps READ_DATABASE_URL as an inventory replica', () => {
    expect(loadConfig({}).replicas).toMatchObject({
      inventory: [],
      bookings: [],
      maxLagSeconds: 5,
      waitMs: 250,
    });
    const legacy = loadConfig({
      DATABASE_URL: 'mysql://app@db/carebook',
      READ_DATABASE_URL: 'mysql://reader@replica/carebook',
    }).replicas;
    // One database holds both logical ones, so its replica serves both.
    expect(legacy.inventory.map((r) => r.url)).toEqual(['mysql://reader@replica/carebook']);
    expect(legacy.bookings.map((r) => r.url)).toEqual(['mysql://reader@replica/carebook']);
  });

  it('reads replica lists and pool sizes per role', () => {
    const c = loadConfig({
      INVENTORY_DATABASE_URL: 'mysql://app@inv/carebook',
      BOOKING_DATABASE_URL: 'mysql://app@bk/carebook',
      INVENTORY_REPLICA_URLS: 'mysql://r@inv-r1/carebook, mysql://r@inv-r2/carebook',
      BOOKING_REPLICA_URLS: 'mysql://r@bk-r1/carebook',
      DB_POOL_SIZE: '20',
      DB_REPLICA_POOL_SIZE: '40',
      REPLICA_MAX_LAG_SECONDS: '2',
      REPLICA_WAIT_MS: '100',
    });
    expect(c.databases.inventory.poolSize).toBe(20);
    expect(c.replicas.inventory.map((r) => [r.url, r.poolSize])).toEqual([
      ['mysql://r@inv-r1/carebook', 40],
      ['mysql://r@inv-r2/carebook', 40],
    ]);
    expect(c.replicas.bookings.map((r) => r.url)).toEqual(['mysql://r@bk-r1/carebook']);
    expect(c.replicas).toMatchObject({ maxLagSeconds: 2, waitMs: 100 });
    // Separate databases: the booking list does not inherit the inventory one.
    expect(
      loadConfig({
        INVENTORY_DATABASE_URL: 'mysql://app@inv/carebook',
        BOOKING_DATABASE_URL: 'mysql://app@bk/carebook',
        INVENTORY_REPLICA_URLS: 'mysql://r@inv-r1/carebook',
      }).replicas.bookings,
    ).toEqual([]);
  });

  it('names each bad replica setting', () => {
    expect(
      problemsOf({
        INVENTORY_REPLICA_URLS: 'sqlite:./r.db,mysql://r@x/db,mysql://r@x/db',
        BOOKING_REPLICA_URLS: 'mysql://r@y/db',
      }).sort(),
    ).toEqual([
      'BOOKING_REPLICA_URLS: replicas need a MySQL/MariaDB primary (SQLite has none)',
      'INVENTORY_REPLICA_URLS: a replica is listed twice',
      'INVENTORY_REPLICA_URLS: each entry must be a mysql:// URL of a read replica (got "sqlite:./r.db")',
      'INVENTORY_REPLICA_URLS: replicas need a MySQL/MariaDB primary (SQLite has none)',
    ]);
    expect(
      problemsOf({ DATABASE_URL: 'mysql://app@db/c', INVENTORY_REPLICA_URLS: 'mysql://app@db/c' }),
    ).toContain('INVENTORY_REPLICA_URLS: a replica cannot be the primary itself');
  });
});
