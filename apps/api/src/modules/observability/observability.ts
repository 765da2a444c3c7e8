import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { breakerStates } from '../../adapters/resilience/breaker';
import type { Config } from '../../config/config';
import type { Adapters, Services } from '../../container';
import type { TickOutcome } from '../../jobs/lease';
import { ErrorTracker, sentrySink } from './error-tracker';
import { registerHttpMetrics, registerHttpTracing } from './http-hooks';
import { instrumentAdapters } from './instrument-adapters';
import { type MetricSources, Metrics } from './metrics';
import { metricsRoute } from './metrics.routes';
import { operationsRoutes } from './operations.routes';
import { probeServices } from './service-probes';
import {
  cacheLayerSource,
  leaseSource,
  outboxSource,
  poolSource,
  replicaSource,
  searchSizeSource,
} from './sources';
import { instrumentClients } from './tracing';

export interface Observability {
  /** The app's Prometheus registry and families; `metrics.breakerState(name, state)` for breakers. */
  metrics: Metrics;
  errors: ErrorTracker;
  /** Spans are made only when tracing is on (`OTEL_EXPORTER_OTLP_ENDPOINT` set). */
  tracing: boolean;
  /** The adapters to build the app from: measured (and traced) wrappers of the given ones. */
  adapters: Adapters;
  /** The original adapters (scrape-time queries use these, so scrapes do not count as app queries). */
  plain: Adapters;
  /** For leased jobs: counts each tick's outcome and reports a failure once, with its fingerprint. */
  jobObserver: (job: string, outcome: TickOutcome, err?: unknown) => void;
}

/** Step 1, before the services exist: the metrics registry and the instrumented adapters. */
export function createObservability(
  config: Config,
  adapters: Adapters,
  log: FastifyBaseLogger,
): Observability {
  const metrics = new Metrics();
  const errors = new ErrorTracker(metrics, log);
  const tracing = config.observability.otlpEndpoint !== '';
  if (tracing) instrumentClients();
  return {
    metrics,
    errors,
    tracing,
    plain: adapters,
    adapters: instrumentAdapters(adapters, { metrics, errors, tracing, clock: adapters.clock }),
    jobObserver: (job, outcome, err) => {
      metrics.jobRuns.inc({ job, outcome: outcome.replace('-', '_') });
      if (outcome === 'failed' && err !== undefined)
        errors.report('job', err, { job }, 'leased job failed; will retry');
    },
  };
}

/**
 * Step 2, once the services exist and before the routes: request metrics and tracing hooks,
 * scrape-time sources, `/metrics` (unless it has its own port) and the admin operations endpoint.
 */
export async function registerObservability(
  app: FastifyInstance,
  obs: Observability,
  d: { config: Config; services: Services },
): Promise<void> {
  const { metrics, errors } = obs;
  const { config, services } = d;
  const clock = obs.plain.clock;
  registerHttpMetrics(app, metrics, errors);
  if (obs.tracing) registerHttpTracing(app);
  if (config.observability.sentryDsn)
    errors.sink = await sentrySink(config.observability.sentryDsn, config.profile);
  Object.assign(metrics.sources, {
    pools: poolSource(obs.plain.dbs),
    cacheLayers: cacheLayerSource(services.cache),
    searchIndexSize: searchSizeSource(services.searchIndex, clock),
    outbox: outboxSource(obs.plain.dbs, clock),
    websockets: () => services.realtime.size,
    leases: leaseSource(obs.plain.dbs, clock),
    ...(obs.plain.dbs.replication ? { replicas: replicaSource(obs.plain.dbs.replication) } : {}),
    // An isolated circuit (held open by hand) refuses calls like an open one.
    breakers: () =>
      breakerStates(services.breakers).map((b) => ({
        name: b.name,
        state: b.state === 'isolated' ? 'open' : b.state,
      })),
  } satisfies MetricSources);
  probeServices(services, metrics);
  const { metricsPort, metricsToken } = config.observability;
  if (metricsPort === null) metricsRoute(app, metrics, metricsToken);
  if (config.profile === 'production' && metricsPort === null && !metricsToken)
    app.log.warn(
      '/metrics answers loopback clients only; set METRICS_TOKEN or METRICS_PORT so Prometheus can scrape it',
    );
  operationsRoutes(app, metrics, { instanceId: config.cluster.instanceId, now: () => clock.now() });
  app.decorate('observability', obs);
}

declare module 'fastify' {
  interface FastifyInstance {
    observability: Observability;
  }
}
