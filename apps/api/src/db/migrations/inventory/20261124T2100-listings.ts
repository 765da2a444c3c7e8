import type { Migration } from 'kysely';
import { instant, type MigrationDb, tableOptions, uuid } from '../helpers';
import { createOutbox } from '../outbox-table';

/**
 * Provider listings with their services. Multi-valued fields (specialties, languages…) and the
 * schedule are JSON text: they are read and written with the listing as one aggregate, guarded
 * by its version; search reads them from its own index, never by SQL filters.
 */
export const listings: Migration = {
  async up(db: MigrationDb) {
    await tableOptions(
      db,
      db.schema
        .createTable('providers')
        .addColumn('id', uuid, (c) => c.primaryKey())
        .addColumn('owner_id', uuid, (c) => c.notNull().references('users.id'))
        .addColumn('name', 'varchar(160)', (c) => c.notNull())
        .addColumn('kind', 'varchar(16)', (c) => c.notNull())
        .addColumn('specialties', 'text', (c) => c.notNull())
        .addColumn('conditions', 'text', (c) => c.notNull())
        .addColumn('languages', 'text', (c) => c.notNull())
        .addColumn('insurance', 'text', (c) => c.notNull())
        .addColumn('gender', 'varchar(16)')
        .addColumn('visit_types', 'varchar(40)', (c) => c.notNull())
        .addColumn('accepting_new_patients', 'integer', (c) => c.notNull())
        .addColumn('bio', 'text', (c) => c.notNull())
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('city', 'varchar(100)', (c) => c.notNull())
        .addColumn('country', 'char(2)', (c) => c.notNull())
        .addColumn('latitude', 'double precision', (c) => c.notNull())
        .addColumn('longitude', 'double precision', (c) => c.notNull())
        .addColumn('time_zone', 'varchar(64)', (c) => c.notNull())
        .addColumn('schedule', 'text', (c) => c.notNull())
        .addColumn('photos', 'text', (c) => c.notNull())
        .addColumn('documents', 'text', (c) => c.notNull())
        .addColumn('status', 'varchar(16)', (c) => c.notNull())
        .addColumn('suspended_reason', 'varchar(500)')
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', instant, (c) => c.notNull())
        .addColumn('updated_at', instant, (c) => c.notNull())
        .addColumn('published_at', instant),
    ).execute();
    await db.schema
      .createIndex('providers_owner')
      .on('providers')
      .columns(['owner_id', 'created_at'])
      .execute();
    await db.schema
      .createIndex('providers_status')
      .on('providers')
      .columns(['status', 'updated_at'])
      .execute();

    await tableOptions(
      db,
      db.schema
        .createTable('provider_services')
        .addColumn('id', uuid, (c) => c.primaryKey())
        .addColumn('provider_id', uuid, (c) => c.notNull().references('providers.id').onDelete('cascade'))
        .addColumn('name', 'varchar(120)', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('duration_minutes', 'integer', (c) => c.notNull())
        .addColumn('price_cents', 'integer', (c) => c.notNull())
        .addColumn('currency', 'char(3)', (c) => c.notNull())
        .addColumn('visit_type', 'varchar(16)', (c) => c.notNull())
        .addColumn('buffer_before_minutes', 'integer', (c) => c.notNull())
        .addColumn('buffer_after_minutes', 'integer', (c) => c.notNull())
        .addColumn('active', 'integer', (c) => c.notNull())
        .addColumn('created_at', instant, (c) => c.notNull()),
    ).execute();
    await db.schema
      .createIndex('provider_services_provider')
      .on('provider_services')
      .columns(['provider_id', 'created_at'])
      .execute();

    await createOutbox(db, 'inventory_outbox');
  },
  async down(db: MigrationDb) {
    for (const table of ['inventory_outbox', 'provider_services', 'providers'])
      await db.schema.dropTable(table).execute();
  },
};
