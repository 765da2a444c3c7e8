/** An event as it travels from the outbox to consumers. Delivery is at least once. */
export interface DomainEvent {
  id: string;
  type: string;
  aggregateId: string;
  occurredAt: string;
  payload: Record<string, unknown>;
  /** W3C trace context of the request that caused it (when tracing is on), so consumers join its trace. */
  traceparent?: string;
}

export type EventHandler = (event: DomainEvent) => Promise<void>;

/**
 * Who receives an event when several app instances subscribe a consumer of the same name:
 * - `broadcast`: every instance's handler gets every event (state kept per instance: the L1
 *   cache, the WebSocket hub, an embedded search index);
 * - `once`: one handler in the whole cluster gets each event (e-mails, archival).
 */
export type DeliveryMode = 'broadcast' | 'once';

export interface BusHealth {
  ok: boolean;
  /** Why not ok (or what is degraded), for /readyz. */
  detail?: string;
}

/**
 * The event stream between the outbox relays and the consumers.
 *
 * Semantics every adapter keeps (`adapters/event-bus/event-bus.contract.ts` checks them):
 * - At least once. A handler may see an event again (after a failure, a crash, a rebalance, or
 *   because the relay published it twice); handlers are idempotent, keyed on `event.id` or on the
 *   state they write.
 * - Order per aggregate: events with the same `aggregateId` reach a consumer in publish order.
 *   Different aggregates are handled concurrently; there is no order between them.
 * - A handler that throws gets the same event again later (with backoff), and the later events
 *   of that aggregate are not delivered to that consumer before it succeeds. Other consumers
 *   are not held back (the in-process bus is the exception: its publish rejects, and the relay's
 *   retry of the batch redelivers to every consumer, which idempotency absorbs).
 * - A consumer is identified by its name (plus the instance id for `broadcast`). A `once`
 *   consumer resumes after a restart where its name left off; a `broadcast` consumer of a new
 *   instance starts with the events published after `start()` (per-instance state is rebuilt
 *   from the database at start-up, not replayed).
 */
export interface EventBus {
  /**
   * Appends the events, in order. Brokered adapters resolve once the broker has them (delivery
   * happens later); the in-process bus resolves after every consumer handled them and rejects if
   * any consumer failed. A rejection means "publish this batch again" (outbox relay).
   */
  publish(events: readonly DomainEvent[]): Promise<void>;
  /**
   * True when publish may be called again before an earlier call settled and each consumer still
   * gets an aggregate's events in call order (the in-process bus). The outbox relay then keeps a
   * few batches in flight instead of waiting for each.
   */
  readonly overlappingPublishes?: boolean;
  /**
   * Registers a named consumer before `start()`; `delivery` is an explicit choice. Returns a
   * function that stops it. A name may be subscribed once per bus.
   */
  subscribe(consumer: string, delivery: DeliveryMode, handler: EventHandler): () => void;
  /** Creates groups and starts consuming; events published after it resolves are delivered. */
  start(): Promise<void>;
  /** Stops consuming, waits for handlers in flight, releases what this instance held. Idempotent. */
  close(): Promise<void>;
  /** Whether the bus can publish and consume right now. */
  health(): BusHealth;
}
