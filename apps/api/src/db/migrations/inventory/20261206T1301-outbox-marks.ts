import type { Migration } from 'kysely';
import type { MigrationDb } from '../helpers';
import { createOutboxMarks } from '../outbox-table';

/** `inventory_outbox_marks`: the inventory relay's view of the event stream (see outbox-table.ts). */
export const inventoryOutboxMarks: Migration = {
  async up(db: MigrationDb) {
    await createOutboxMarks(db, 'inventory_outbox');
  },
  async down(db: MigrationDb) {
    await db.schema.dropTable('inventory_outbox_marks').execute();
  },
};
