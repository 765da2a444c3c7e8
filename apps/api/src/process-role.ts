import type { FastifyInstance } from 'fastify';
import type { ProcessRole } from './config/process-role';
import { sendProblem } from './http/error-handler';
import type { DeliveryMode, EventBus } from './ports/event-bus';

/**
 * `PROCESS_ROLE` (config.ts; docs/production.md, "Process roles"). The split follows the delivery
 * of each event subscription:
 * - `broadcast` consumers keep one process's own state (its caches, its WebSocket clients, its
 *   embedded search index, privacy-forget of what it holds): an `api` process needs them all;
 * - `once` consumers do the cluster's work on each event once (notifications and e-mail, waitlist
 *   matching, a shared search index): an `api` process leaves them to the `worker` processes, so
 *   their CPU is off the event loop that answers requests.
 * A `worker` serves no requests, so it skips the broadcast consumers that only feed what is served
 * over HTTP; the ones that keep state a consumer reads (caches, privacy-forget) it keeps.
 */
const SERVING_ONLY_BROADCASTS = new Set(['realtime', 'availability-stream', 'search-indexer']);

/** Whether a process of `role` subscribes this consumer. */
export function subscribesInRole(role: ProcessRole, consumer: string, delivery: DeliveryMode): boolean {
  if (role === 'all') return true;
  if (role === 'api') return delivery === 'broadcast';
  return delivery === 'once' || !SERVING_ONLY_BROADCASTS.has(consumer);
}

/** The bus as a process of `role` sees it: the same bus, with the other role's subscriptions left out. */
export function busForRole(bus: EventBus, role: ProcessRole): EventBus {
  if (role === 'all') return bus;
  return {
    publish: (events) => bus.publish(events),
    ...(bus.overlappingPublishes ? { overlappingPublishes: true } : {}),
    subscribe: (consumer, delivery, handler) =>
      subscribesInRole(role, consumer, delivery) ? bus.subscribe(consumer, delivery, handler) : () => {},
    start: () => bus.start(),
    close: () => bus.close(),
    health: () => bus.health(),
  };
}

/** What a worker answers over HTTP: its probes and its metrics. */
const WORKER_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * A worker builds the whole app (its services, jobs and consumers are the API's) but takes no
 * traffic: every request outside its probes and metrics is refused with 404 before any route
 * (bookings included) runs.
 */
export function refuseTrafficOnWorker(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '/';
    if (WORKER_PATHS.has(path)) return;
    return sendProblem(
      request,
      reply,
      'ROUTE_NOT_FOUND',
      `This is a worker process (PROCESS_ROLE=worker): it answers only ${[...WORKER_PATHS].join(', ')}.`,
    );
  });
}
