import type { OperationsOverview } from '@carebook/contracts';
import type { MetricObjectWithValues, MetricValue } from 'prom-client';
import type { Metrics } from './metrics';

type Family = MetricObjectWithValues<MetricValue<string>>;
type Check = OperationsOverview['instance']['dependencies'][number];

const valuesOf = (families: Map<string, Family>, name: string) => families.get(name)?.values ?? [];
const sum = (
  families: Map<string, Family>,
  name: string,
  where: (l: Record<string, unknown>) => boolean = () => true,
) =>
  valuesOf(families, name)
    .filter((v) => where(v.labels))
    .reduce((a, v) => a + v.value, 0);
const label = (v: MetricValue<string>, name: string) => String(v.labels[name] ?? '');

/**
 * The operator's view, computed from one collection of the registry `/metrics` exports: the same
 * numbers, never a second count that could drift.
 */
export async function operationsOverview(
  metrics: Metrics,
  d: { instanceId: string; now: Date; dependencies: Check[] },
): Promise<OperationsOverview> {
  const json = (await metrics.registry.getMetricsAsJSON()) as Family[];
  const families = new Map(json.map((f) => [f.name, f]));
  const start = sum(families, 'process_start_time_seconds');

  const consumers = new Map<string, OperationsOverview['consumers'][number]>();
  const consumer = (name: string) => {
    const c = consumers.get(name) ?? { consumer: name, lagSeconds: null, handled: 0, failed: 0 };
    consumers.set(name, c);
    return c;
  };
  for (const v of valuesOf(families, 'carebook_event_consumer_lag_seconds'))
    consumer(label(v, 'consumer')).lagSeconds = v.value;
  for (const v of valuesOf(families, 'carebook_events_consumed_total')) {
    const c = consumer(label(v, 'consumer'));
    if (label(v, 'outcome') === 'ok') c.handled += v.value;
    else c.failed += v.value;
  }

  const layers = new Map<string, { hits: number; misses: number }>();
  for (const v of valuesOf(families, 'carebook_cache_layer_requests_total')) {
    const l = layers.get(label(v, 'layer')) ?? { hits: 0, misses: 0 };
    if (label(v, 'result') === 'hit') l.hits += v.value;
    else l.misses += v.value;
    layers.set(label(v, 'layer'), l);
  }

  const jobs = new Map<string, OperationsOverview['jobs'][number]>();
  const job = (name: string) => {
    const j = jobs.get(name) ?? { job: name, holder: null, runs: 0, failures: 0 };
    jobs.set(name, j);
    return j;
  };
  for (const v of valuesOf(families, 'carebook_job_lease_holder'))
    if (v.value > 0) job(label(v, 'job')).holder = label(v, 'holder');
  for (const v of valuesOf(families, 'carebook_job_runs_total')) {
    const outcome = label(v, 'outcome');
    if (outcome === 'ran') job(label(v, 'job')).runs += v.value;
    else if (outcome === 'failed') job(label(v, 'job')).failures += v.value;
  }

  const ages = new Map(
    valuesOf(families, 'carebook_outbox_oldest_event_age_seconds').map((v) => [
      label(v, 'database'),
      v.value,
    ]),
  );
  return {
    generatedAt: d.now.toISOString(),
    instance: {
      id: d.instanceId,
      uptimeSeconds: start > 0 ? Math.max(0, Date.now() / 1000 - start) : 0,
      residentMemoryBytes: sum(families, 'process_resident_memory_bytes'),
      eventLoopLagSeconds: sum(families, 'nodejs_eventloop_lag_seconds'),
      websocketConnections: sum(families, 'carebook_websocket_connections'),
      httpRequests: sum(families, 'carebook_http_requests_total'),
      httpServerErrors: sum(families, 'carebook_http_requests_total', (l) =>
        String(l.status).startsWith('5'),
      ),
      dependencies: d.dependencies,
    },
    outbox: valuesOf(families, 'carebook_outbox_backlog_events').map((v) => ({
      database: label(v, 'database'),
      backlog: v.value,
      oldestAgeSeconds: ages.get(label(v, 'database')) ?? 0,
    })),
    consumers: [...consumers.values()].sort((a, b) => a.consumer.localeCompare(b.consumer)),
    cache: [...layers].map(([layer, l]) => ({
      layer,
      ...l,
      hitRatio: l.hits + l.misses > 0 ? l.hits / (l.hits + l.misses) : null,
    })),
    jobs: [...jobs.values()].sort((a, b) => a.job.localeCompare(b.job)),
    breakers: valuesOf(families, 'carebook_circuit_breaker_state')
      .filter((v) => v.value === 1)
      .map((v) => ({
        breaker: label(v, 'breaker'),
        state: label(v, 'state') as 'closed' | 'open' | 'half_open',
      })),
  };
}
