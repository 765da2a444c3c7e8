import { expect, it } from 'vitest';
import { describeEachDialect, freshDatabases } from '../../test/support/databases';
import { migrateToLatest, pendingMigrations } from './migrate';
import { migrationSets } from './migrations';
import { migrateAll } from './open-databases';

describeEachDialect('migrations', (ctx) => {
  it('applied every migration of both sets and has nothing pending', async () => {
    const { dbs } = ctx();
    expect(await pendingMigrations(dbs.inventory.db, 'inventory')).toEqual([]);
    expect(await pendingMigrations(dbs.bookings.db, 'bookings')).toEqual([]);
  });

  it('is idempotent: running again applies nothing', async () => {
    expect(await migrateAll(ctx().dbs)).toEqual([]);
  });

  it('names migrations by timestamp, in order', () => {
    for (const set of Object.values(migrationSets)) {
      const names = Object.keys(set);
      for (const name of names) expect(name).toMatch(/^\d{8}T\d{4}-[a-z0-9-]+$/);
      expect([...names].sort()).toEqual(names);
    }
  });

  it('reports pending migrations on an empty database, then applies them', async () => {
    const empty = await freshDatabases(ctx().dialect, false);
    try {
      expect(await pendingMigrations(empty.dbs.inventory.db, 'inventory')).toEqual(
        Object.keys(migrationSets.inventory),
      );
      expect(await migrateToLatest(empty.dbs.inventory.db, 'inventory')).toEqual(
        Object.keys(migrationSets.inventory),
      );
    } finally {
      await empty.drop();
    }
  });
});
