/** An event as it travels from the outbox to consumers. Delivery is at least once. */
export interface DomainEvent {
  id: string;
  type: string;
  aggregateId: string;
  occurredAt: string;
  payload: Record<string, unknown>;
}

export type EventHandler = (event: DomainEvent) => Promise<void>;

export interface EventBus {
  /** Delivers the events in order; rejects if any consumer failed, so the caller retries. */
  publish(events: readonly DomainEvent[]): Promise<void>;
  /** Registers a named consumer; returns an unsubscribe function. Handlers must be idempotent. */
  subscribe(consumer: string, handler: EventHandler): () => void;
}
