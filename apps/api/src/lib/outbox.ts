import type { Kysely } from 'kysely';
import type { InventoryDatabase } from '../db/schema';
import type { DomainEvent } from '../ports/event-bus';
import { newId } from './ids';

type OutboxDb = Kysely<InventoryDatabase>;

/** Appends an event to the outbox inside the caller's transaction. */
export async function appendToOutbox(
  trx: OutboxDb,
  event: { type: string; aggregateType: string; aggregateId: string; occurredAt: string; payload: object },
): Promise<DomainEvent> {
  const id = newId();
  await trx
    .insertInto('inventory_outbox')
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
    })
    .execute();
  return {
    id,
    type: event.type,
    aggregateId: event.aggregateId,
    occurredAt: event.occurredAt,
    payload: event.payload as Record<string, unknown>,
  };
}
