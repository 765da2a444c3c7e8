import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export const BREAKER_STATES = ['closed', 'open', 'half_open'] as const;
export type BreakerState = (typeof BREAKER_STATES)[number];

/** Numbers read at scrape time from the parts that keep them (set by `registerObservability`). */
export interface MetricSources {
  pools?: () => { database: string; total: number; idle: number; waiting: number }[];
  cacheLayers?: () => { layer: string; hits: number; misses: number }[];
  searchIndexSize?: () => Promise<number>;
  outbox?: () => Promise<{ database: string; backlog: number; oldestAgeSeconds: number }[]>;
  websockets?: () => number;
  leases?: () => Promise<{ job: string; holder: string }[]>;
  /** Breakers that are read rather than pushed (`breakerState`): polled at each scrape. */
  breakers?: () => { name: string; state: BreakerState }[];
  /** Read replicas (db/replication): state per replica and routed reads by target and reason. */
  replicas?: () => {
    status: {
      database: string;
      replica: string;
      inRotation: boolean;
      lagSeconds: number;
      behindTransactions: number;
    }[];
    reads: { database: string; target: string; reason: string; count: number }[];
  };
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const QUERY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 5];

interface FamilyOptions<L extends string> {
  help: string;
  labels?: readonly L[];
}

/** Makes metric families registered in `registry` (and only there). */
function familiesIn(registry: Registry) {
  const common = <L extends string>(name: string, o: FamilyOptions<L>) => ({
    name,
    help: o.help,
    labelNames: o.labels ?? [],
    registers: [registry],
  });
  return {
    counter: <L extends string>(name: string, o: FamilyOptions<L> & { collect?: () => void }) =>
      new Counter<L>({ ...common(name, o), ...(o.collect ? { collect: o.collect } : {}) }),
    gauge: <L extends string>(name: string, o: FamilyOptions<L> & { collect?: () => void | Promise<void> }) =>
      new Gauge<L>({ ...common(name, o), ...(o.collect ? { collect: o.collect } : {}) }),
    histogram: <L extends string>(name: string, o: FamilyOptions<L> & { buckets: number[] }) =>
      new Histogram<L>({ ...common(name, o), buckets: o.buckets }),
  };
}

/**
 * Every Prometheus family Carebook exports, in a registry of its own per app instance (tests build
 * many apps in one process; nothing goes to prom-client's global registry). docs/operations.md
 * lists the families and what to alert on.
 */
export class Metrics {
  readonly registry = new Registry();
  sources: MetricSources = {};
  private readonly family = familiesIn(this.registry);

  readonly httpRequests = this.family.counter('carebook_http_requests_total', {
    help: 'HTTP requests answered, by route template, method and status',
    labels: ['method', 'route', 'status'],
  });
  readonly httpDuration = this.family.histogram('carebook_http_request_duration_seconds', {
    help: 'HTTP request latency (until the response was sent), by route template, method and status',
    labels: ['method', 'route', 'status'],
    buckets: LATENCY_BUCKETS,
  });
  readonly dbQueryDuration = this.family.histogram('carebook_db_query_duration_seconds', {
    help: 'Database statement latency by logical database and statement kind',
    labels: ['database', 'kind'],
    buckets: QUERY_BUCKETS,
  });
  readonly dbPoolConnections = this.family.gauge('carebook_db_pool_connections', {
    help: 'MySQL/MariaDB pool connections by state (in_use, idle); absent on SQLite',
    labels: ['database', 'state'],
    collect: () => {
      this.dbPoolConnections.reset();
      for (const p of this.sources.pools?.() ?? []) {
        this.dbPoolConnections.set({ database: p.database, state: 'in_use' }, p.total - p.idle);
        this.dbPoolConnections.set({ database: p.database, state: 'idle' }, p.idle);
      }
    },
  });
  readonly dbPoolWaiting = this.family.gauge('carebook_db_pool_waiting_requests', {
    help: 'Requests queued for a MySQL/MariaDB pool connection; absent on SQLite',
    labels: ['database'],
    collect: () => {
      this.dbPoolWaiting.reset();
      for (const p of this.sources.pools?.() ?? [])
        this.dbPoolWaiting.set({ database: p.database }, p.waiting);
    },
  });
  readonly replicaLag = this.family.gauge('carebook_db_replica_lag_seconds', {
    help: 'Replication delay of each read replica at its last check (GTID comparison and Seconds_Behind_Master)',
    labels: ['database', 'replica'],
    collect: () => {
      const r = this.sources.replicas?.();
      this.replicaLag.reset();
      this.replicaBehind.reset();
      this.replicaInRotation.reset();
      for (const s of r?.status ?? []) {
        const labels = { database: s.database, replica: s.replica };
        this.replicaLag.set(labels, s.lagSeconds);
        this.replicaBehind.set(labels, s.behindTransactions);
        this.replicaInRotation.set(labels, s.inRotation ? 1 : 0);
      }
      this.replicaReads.reset();
      for (const x of r?.reads ?? [])
        this.replicaReads.inc({ database: x.database, target: x.target, reason: x.reason }, x.count);
    },
  });
  readonly replicaBehind = this.family.gauge('carebook_db_replica_behind_transactions', {
    help: 'Transactions the primary had committed that the replica had not applied, at its last check',
    labels: ['database', 'replica'],
  });
  readonly replicaInRotation = this.family.gauge('carebook_db_replica_in_rotation', {
    help: '1 while a read replica takes reads, 0 while it is out (stopped, unreachable or lagging)',
    labels: ['database', 'replica'],
  });
  readonly replicaReads = this.family.counter('carebook_db_replica_reads_total', {
    help: 'Replica-eligible reads by where they went (replica, primary) and why',
    labels: ['database', 'target', 'reason'],
  });
  readonly cacheLayerRequests = this.family.counter('carebook_cache_layer_requests_total', {
    help: 'Cache reads per layer (memory, l1, l2) and result (hit, miss), as counted by the cache adapters',
    labels: ['layer', 'result'],
    collect: () => {
      this.cacheLayerRequests.reset();
      for (const l of this.sources.cacheLayers?.() ?? []) {
        this.cacheLayerRequests.inc({ layer: l.layer, result: 'hit' }, l.hits);
        this.cacheLayerRequests.inc({ layer: l.layer, result: 'miss' }, l.misses);
      }
    },
  });
  readonly cacheRequests = this.family.counter('carebook_cache_requests_total', {
    help: 'Cache reads per key namespace and result (hit, miss: the caller had to load the value)',
    labels: ['namespace', 'result'],
  });
  readonly searchDuration = this.family.histogram('carebook_search_duration_seconds', {
    help: 'Search latency (cache included) by query class',
    labels: ['class'],
    buckets: LATENCY_BUCKETS,
  });
  readonly searchIndexDocuments = this.family.gauge('carebook_search_index_documents', {
    help: 'Listings in the search index',
    collect: async () => {
      const size = this.sources.searchIndexSize;
      if (size) this.searchIndexDocuments.set(await size());
    },
  });
  readonly searchFreshnessLag = this.family.gauge('carebook_search_index_freshness_lag_seconds', {
    help: 'Commit-to-index delay of the last change the search indexer applied',
  });
  readonly outboxBacklog = this.family.gauge('carebook_outbox_backlog_events', {
    help: 'Outbox events committed but not yet published, per logical database',
    labels: ['database'],
    collect: async () => {
      const rows = (await this.sources.outbox?.()) ?? [];
      this.outboxBacklog.reset();
      this.outboxOldestAge.reset();
      for (const r of rows) {
        this.outboxBacklog.set({ database: r.database }, r.backlog);
        this.outboxOldestAge.set({ database: r.database }, r.oldestAgeSeconds);
      }
    },
  });
  readonly outboxOldestAge = this.family.gauge('carebook_outbox_oldest_event_age_seconds', {
    help: 'Age of the oldest unpublished outbox event per logical database (0 when empty)',
    labels: ['database'],
  });
  readonly consumerLag = this.family.gauge('carebook_event_consumer_lag_seconds', {
    help: 'Commit-to-handling delay of the last event each consumer handled on this instance',
    labels: ['consumer'],
  });
  readonly eventsConsumed = this.family.counter('carebook_events_consumed_total', {
    help: 'Events handled per consumer and outcome (ok, error: it will be redelivered)',
    labels: ['consumer', 'outcome'],
  });
  readonly websocketConnections = this.family.gauge('carebook_websocket_connections', {
    help: 'Open WebSocket connections on this instance',
    collect: () => {
      const count = this.sources.websockets;
      if (count) this.websocketConnections.set(count());
    },
  });
  readonly jobRuns = this.family.counter('carebook_job_runs_total', {
    help: 'Scheduled job ticks on this instance by outcome (ran, failed, not_holder, busy, stopped)',
    labels: ['job', 'outcome'],
  });
  readonly jobLeaseHolder = this.family.gauge('carebook_job_lease_holder', {
    help: 'Job leases currently held (1 per job, labelled with the holder); cluster-wide, from the database',
    labels: ['job', 'holder'],
    collect: async () => {
      const rows = (await this.sources.leases?.()) ?? [];
      this.jobLeaseHolder.reset();
      for (const r of rows) this.jobLeaseHolder.set({ job: r.job, holder: r.holder }, 1);
    },
  });
  readonly bookingTransitions = this.family.counter('carebook_booking_transitions_total', {
    help: 'Booking state changes published by this instance (from "none" = created)',
    labels: ['from', 'to'],
  });
  readonly paymentOutcomes = this.family.counter('carebook_payment_events_total', {
    help: 'Payment provider events received by type and result (applied, duplicate, ignored, error)',
    labels: ['type', 'result'],
  });
  readonly breakerStates = this.family.gauge('carebook_circuit_breaker_state', {
    help: 'Circuit breaker state: 1 for the current state of each breaker, 0 for the others',
    labels: ['breaker', 'state'],
    collect: () => {
      for (const b of this.sources.breakers?.() ?? []) this.breakerState(b.name, b.state);
    },
  });
  readonly errors = this.family.counter('carebook_errors_total', {
    help: 'Errors logged for operators by source (http, job, consumer, relay, process) and stable fingerprint',
    labels: ['source', 'fingerprint'],
  });

  constructor(defaultLabels: Record<string, string> = {}) {
    this.registry.setDefaultLabels(defaultLabels);
    collectDefaultMetrics({ register: this.registry });
  }

  /**
   * Records a circuit breaker's state (call it on every change, and once when the breaker is
   * made). Exported as `carebook_circuit_breaker_state{breaker,state}`: 1 for the current state.
   */
  breakerState(name: string, state: BreakerState): void {
    for (const s of BREAKER_STATES) this.breakerStates.set({ breaker: name, state: s }, s === state ? 1 : 0);
  }

  /** Prometheus text exposition of every family. */
  text(): Promise<string> {
    return this.registry.metrics();
  }
}
