import { instant, type MigrationDb, tableOptions, uuid } from './helpers';

/**
 * A transactional outbox: events are inserted in the same transaction as the state change and
 * relayed to the event bus afterwards, in id (UUIDv7, time) order, at least once.
 */
export async function createOutbox(db: MigrationDb, table: string): Promise<void> {
  await tableOptions(
    db,
    db.schema
      .createTable(table)
      .addColumn('id', uuid, (c) => c.primaryKey())
      .addColumn('aggregate_type', 'varchar(40)', (c) => c.notNull())
      .addColumn('aggregate_id', uuid, (c) => c.notNull())
      .addColumn('event_type', 'varchar(80)', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('occurred_at', instant, (c) => c.notNull())
      .addColumn('published_at', instant)
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('last_error', 'varchar(500)'),
  ).execute();
  await db.schema.createIndex(`${table}_pending`).on(table).columns(['published_at', 'id']).execute();
}

/**
 * One row per relay instance group (`id` = 'relay'): the event stream's epoch when the relay last
 * looked (a stream that lost its data comes back with a new epoch) and the newest outbox row every
 * consumer had acknowledged then. Rows after it are re-published when the epoch changes.
 */
export async function createOutboxMarks(db: MigrationDb, outbox: string): Promise<void> {
  await tableOptions(
    db,
    db.schema
      .createTable(`${outbox}_marks`)
      .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
      .addColumn('epoch', 'varchar(100)')
      .addColumn('acked_through', uuid)
      .addColumn('updated_at', instant, (c) => c.notNull()),
  ).execute();
}
