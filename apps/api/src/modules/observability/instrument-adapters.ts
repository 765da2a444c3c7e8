import { context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { MemoryCache } from '../../adapters/cache/memory';
import { InProcessEventBus, inProcessBusFor } from '../../adapters/event-bus/in-process';
import type { Adapters } from '../../container';
import { observeDatabases } from '../../db/open-databases';
import type { QueryObserver } from '../../db/query-observer-plugin';
import type { Cache } from '../../ports/cache';
import type { Clock } from '../../ports/clock';
import type { DomainEvent, EventBus } from '../../ports/event-bus';
import type { ErrorTracker } from './error-tracker';
import { Children, CounterChild, HistogramChild } from './metric-children';
import type { Metrics } from './metrics';
import { activeTraceparent, contextFromTraceparent } from './trace-context';
import { tracer } from './tracing';

interface Deps {
  metrics: Metrics;
  errors: ErrorTracker;
  tracing: boolean;
  clock: Clock;
}

/**
 * The adapters with measuring (and, when tracing is on, tracing) wrappers: every SQL statement,
 * cache read and event goes through them. The defaults that container.ts would make (in-process
 * bus, memory cache) are made here so they are measured too.
 */
export function instrumentAdapters(adapters: Adapters, d: Deps): Adapters {
  return {
    ...adapters,
    dbs: observeDatabases(adapters.dbs, (database) => queryObserver(database, d)),
    cache: instrumentCache(adapters.cache ?? new MemoryCache({ clock: adapters.clock }), d.metrics),
    eventBus: instrumentEventBus(adapters.eventBus ?? inProcessBusFor(adapters.dbs.inventory.dialect), d),
  };
}

/**
 * Times each statement into its (database, kind) series: a `performance.now()` reading and the
 * closure the plugin calls back. A span is made only when tracing is on and a span is active.
 */
function queryObserver(database: string, d: Deps): QueryObserver {
  const series = new Children((labels) => new HistogramChild(d.metrics.dbQueryDuration, labels));
  return (kind) => {
    const child = series.get(kind) ?? series.add(kind, { database, kind });
    const start = performance.now();
    if (!d.tracing || !trace.getActiveSpan()) return () => child.observeSince(start);
    const span = tracer().startSpan(`${kind} ${database}`, {
      kind: SpanKind.CLIENT,
      attributes: { 'db.operation.name': kind, 'db.namespace': database },
    });
    return () => {
      child.observeSince(start);
      span.end();
    };
  };
}

/** The key's first segment (`listing:…` → listing): a small, fixed set of namespaces. */
export const cacheNamespace = (key: string) => key.slice(0, Math.max(0, key.indexOf(':'))) || 'other';

/**
 * Counts reads per namespace (`get`: found or not; `getOrLoad`/`getOrLoadJson`: a miss when this call ran the
 * loader). A Proxy, so adapter-specific members (`layerStats`, `healthy`) stay reachable.
 */
export function instrumentCache(cache: Cache, metrics: Metrics): Cache {
  const hits = new Children((labels) => new CounterChild(metrics.cacheRequests, labels));
  const misses = new Children((labels) => new CounterChild(metrics.cacheRequests, labels));
  const count = (key: string, hit: boolean) => {
    const namespace = cacheNamespace(key);
    const series = hit ? hits : misses;
    (series.get(namespace) ?? series.add(namespace, { namespace, result: hit ? 'hit' : 'miss' })).inc();
  };
  const get: Cache['get'] = async (key) => {
    const value = await cache.get(key);
    count(key, value !== undefined);
    return value as never;
  };
  const getOrLoad: Cache['getOrLoad'] = async (key, load, options) => {
    let loaded = false;
    const value = await cache.getOrLoad(
      key,
      () => {
        loaded = true;
        return load();
      },
      options,
    );
    count(key, !loaded);
    return value;
  };
  const getOrLoadJson: Cache['getOrLoadJson'] = async (key, load, options) => {
    let loaded = false;
    const text = await cache.getOrLoadJson(
      key,
      () => {
        loaded = true;
        return load();
      },
      options,
    );
    count(key, !loaded);
    return text;
  };
  // The adapter's other methods bound once each (not per access: `set`, `invalidateTag` run per event).
  const bound = new Map<PropertyKey, { fn: (...args: never[]) => unknown; bound: unknown }>();
  return new Proxy(cache, {
    get(target, prop) {
      if (prop === 'get') return get;
      if (prop === 'getOrLoad') return getOrLoad;
      if (prop === 'getOrLoadJson') return getOrLoadJson;
      const value = Reflect.get(target, prop, target);
      if (typeof value !== 'function') return value;
      const memo = bound.get(prop);
      if (memo !== undefined && memo.fn === value) return memo.bound;
      const fn = value.bind(target);
      bound.set(prop, { fn: value, bound: fn });
      return fn;
    },
  });
}

/**
 * Publishing counts booking transitions and, for an event written inside a traced request, makes a
 * `publish` span in that request's trace; each consumer's handling is measured (lag, outcome),
 * traced as a child of the publish span, and its failure reported once with a fingerprint.
 */
export function instrumentEventBus(bus: EventBus, d: Deps): EventBus {
  const { metrics } = d;
  // The in-process bus rejects a publish when a consumer failed, which the consumer's wrapper has
  // reported already; a broker's rejection is the relay's own failure (broker unreachable).
  const brokered = !(bus instanceof InProcessEventBus);
  const publish = async (events: readonly DomainEvent[]) => {
    for (const e of events) countTransition(metrics, e);
    try {
      await publishTraced(events);
    } catch (err) {
      if (brokered)
        d.errors.report('relay', err, { events: events.length }, 'outbox relay: publish failed; will retry');
      throw err;
    }
  };
  const publishTraced = async (events: readonly DomainEvent[]) => {
    if (!d.tracing || !events.some((e) => e.traceparent)) return bus.publish(events);
    const spans = events.map((e) =>
      e.traceparent
        ? tracer().startSpan(
            `publish ${e.type}`,
            {
              kind: SpanKind.PRODUCER,
              attributes: { 'messaging.message.id': e.id, 'messaging.destination.name': e.type },
            },
            contextFromTraceparent(e.traceparent),
          )
        : undefined,
    );
    const traced = events.map((e, i) => {
      const span = spans[i];
      if (!span) return e;
      return { ...e, traceparent: activeTraceparent(trace.setSpan(context.active(), span)) ?? e.traceparent };
    });
    try {
      await bus.publish(traced);
    } catch (err) {
      for (const s of spans) s?.setStatus({ code: SpanStatusCode.ERROR });
      throw err;
    } finally {
      for (const s of spans) s?.end();
    }
  };
  return {
    publish,
    ...(bus.overlappingPublishes ? { overlappingPublishes: true } : {}),
    subscribe: (consumer, delivery, handler) => {
      const ok = new CounterChild(metrics.eventsConsumed, { consumer, outcome: 'ok' });
      const failed = new CounterChild(metrics.eventsConsumed, { consumer, outcome: 'error' });
      return bus.subscribe(consumer, delivery, async (event) => {
        const lag = Math.max(0, (d.clock.now().getTime() - Date.parse(event.occurredAt)) / 1000);
        metrics.consumerLag.set({ consumer }, lag);
        const run = async () => {
          try {
            await handler(event);
            ok.inc();
            if (consumer === 'search-indexer') metrics.searchFreshnessLag.set(lag);
          } catch (err) {
            failed.inc();
            d.errors.report(
              'consumer',
              err,
              { consumer, eventId: event.id, eventType: event.type },
              'event consumer failed; the event will be redelivered',
            );
            throw err;
          }
        };
        if (!d.tracing || !event.traceparent) return run();
        return tracer().startActiveSpan(
          `consume ${consumer} ${event.type}`,
          {
            kind: SpanKind.CONSUMER,
            attributes: { 'messaging.consumer.group.name': consumer, 'messaging.message.id': event.id },
          },
          contextFromTraceparent(event.traceparent),
          async (span) => {
            try {
              await run();
            } catch (err) {
              span.setStatus({ code: SpanStatusCode.ERROR });
              throw err;
            } finally {
              span.end();
            }
          },
        );
      });
    },
    start: () => bus.start(),
    close: () => bus.close(),
    health: () => bus.health(),
  };
}

function countTransition(metrics: Metrics, e: DomainEvent): void {
  if (e.type !== 'booking.created' && e.type !== 'booking.status_changed') return;
  const from = typeof e.payload.from === 'string' ? e.payload.from : 'none';
  const to = typeof e.payload.to === 'string' ? e.payload.to : 'unknown';
  metrics.bookingTransitions.inc({ from, to });
}
