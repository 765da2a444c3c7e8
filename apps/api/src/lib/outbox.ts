import type { CarebookEvent } from '@carebook/contracts';
import type { Kysely } from 'kysely';
import type { BookingDatabase, InventoryDatabase, OutboxMarksTable, OutboxTable } from '../db/schema';
import { activeTraceparent } from '../modules/observability/trace-context';
import type { DomainEvent } from '../ports/event-bus';
import { newId } from './ids';

export type OutboxTableName = 'inventory_outbox' | 'bookings_outbox';
/** Either logical database; each has its own outbox table, so they can share one database. */
export type OutboxHost = Kysely<InventoryDatabase> | Kysely<BookingDatabase>;
/** One view over both hosts (their outbox tables have the same shape). */
export type OutboxDb = Kysely<
  Record<OutboxTableName, OutboxTable> & Record<`${OutboxTableName}_marks`, OutboxMarksTable>
>;
export const outboxDb = (db: OutboxHost) => db as unknown as OutboxDb;

/** An event to append: one of the contracts' events, without the id the outbox gives it. */
export type OutboxEvent = CarebookEvent extends infer E
  ? E extends CarebookEvent
    ? Omit<E, 'id'> & { aggregateType: 'provider' | 'booking' | 'user' | 'account' | 'review' }
    : never
  : never;

/** Appends an event to the outbox inside the caller's transaction. */
export async function appendToOutbox(
  trx: OutboxHost,
  event: OutboxEvent,
  table: OutboxTableName = 'inventory_outbox',
): Promise<DomainEvent> {
  const id = newId();
  const traceparent = activeTraceparent();
  await outboxDb(trx)
    .insertInto(table)
    .values({
      id,
      aggregate_type: event.aggregateType,
      aggregate_id: event.aggregateId,
      event_type: event.type,
      payload: JSON.stringify(event.payload),
      occurred_at: event.occurredAt,
      published_at: null,
      attempts: 0,
      last_error: null,
      ...(traceparent ? { traceparent } : {}),
    })
    .execute();
  return {
    id,
    type: event.type,
    aggregateId: event.aggregateId,
    occurredAt: event.occurredAt,
    payload: event.payload as Record<string, unknown>,
    ...(traceparent ? { traceparent } : {}),
  };
}
