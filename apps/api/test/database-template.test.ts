import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateAll } from '../src/db/open-databases';
import { bucketOf } from '../src/db/shards/buckets';
import {
  type FreshDatabases,
  freshDatabases,
  mariadbAvailable,
  templatedDatabases,
} from './support/databases';
import { schemaSnapshot } from './support/schema-snapshot';

/**
 * Fresh test databases are copies of a template migrated once per run (support/database-templates.ts):
 * a copy must be exactly what migrating an empty database gives, on both dialects.
 */
for (const dialect of ['sqlite', 'mariadb'] as const) {
  describe.skipIf(dialect === 'mariadb' && !mariadbAvailable())(`database template [${dialect}]`, () => {
    let copied: FreshDatabases;
    let migrated: FreshDatabases;

    beforeAll(async () => {
      [copied, migrated] = await Promise.all([templatedDatabases(dialect), freshDatabases(dialect, false)]);
      await migrateAll(migrated.dbs);
    });
    afterAll(async () => {
      await Promise.all([copied?.drop(), migrated?.drop()]);
    });

    it('a copy of the template is the schema migrating gives: tables, columns, indexes, triggers, routines, migration rows', async () => {
      const snapshot = await schemaSnapshot(copied.dbs.inventory.db, dialect);
      expect(snapshot).toEqual(await schemaSnapshot(migrated.dbs.inventory.db, dialect));
      // What the copy has is there to compare: the migrations' bookkeeping and the fence's triggers.
      const rows = snapshot.rows as Record<string, unknown[]>;
      expect(rows.kysely_migration_inventory?.length).toBeGreaterThan(0);
      expect(rows.kysely_migration_bookings?.length).toBeGreaterThan(0);
      expect(JSON.stringify(snapshot)).toContain('bookings_fence_insert');
    });

    it('the copy behaves as migrated: nothing is pending, the bucket function computes what the app does', async () => {
      expect(await migrateAll(copied.dbs)).toEqual([]);
      for (const id of ['provider-1', 'é-ü', '日本語']) {
        const { rows } = await sql<{ b: number }>`select carebook_bucket(${id}) as b`.execute(
          copied.dbs.bookings.db,
        );
        expect(Number(rows[0]?.b), id).toBe(bucketOf(id));
      }
    });

    it('a dropped trigger shows in the snapshot (the comparison sees triggers)', async () => {
      const before = await schemaSnapshot(copied.dbs.inventory.db, dialect);
      await sql`drop trigger reviews_fence_update`.execute(copied.dbs.bookings.db);
      expect(await schemaSnapshot(copied.dbs.inventory.db, dialect)).not.toEqual(before);
    });
  });
}
