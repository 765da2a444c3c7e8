import type { DomainEvent, EventBus, EventHandler } from '../../ports/event-bus';

/**
 * The embedded profile's bus: consumers in this process, called in order. A consumer that fails
 * makes publish reject, so the outbox relay retries the batch (consumers are idempotent).
 */
export class InProcessEventBus implements EventBus {
  private readonly consumers = new Map<string, EventHandler>();

  async publish(events: readonly DomainEvent[]): Promise<void> {
    for (const event of events) {
      const failures: string[] = [];
      for (const [name, handler] of this.consumers) {
        try {
          await handler(event);
        } catch (err) {
          failures.push(`${name}: ${(err as Error).message}`);
        }
      }
      if (failures.length > 0)
        throw new Error(`event ${event.type} ${event.id} failed in ${failures.join('; ')}`);
    }
  }

  subscribe(consumer: string, handler: EventHandler): () => void {
    if (this.consumers.has(consumer)) throw new Error(`consumer ${consumer} is already subscribed`);
    this.consumers.set(consumer, handler);
    return () => this.consumers.delete(consumer);
  }
}
