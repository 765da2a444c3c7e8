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

/**
 * Every Prometheus family Carebook exports, in a registry of its own per app instance (tests build
 * many apps in one process; nothing goes to prom-client's global registry). docs/operations.md
 * lists the families and what to alert on.
 */
export class Metrics {
  readonly registry = new Registry();
  sources: MetricSources = {};

  readonly httpRequests = new Counter({
    name: 'carebook_http_requests_total',
    help: 'HTTP requests answered, by route template, method and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: 'carebook_http_request_duration_seconds',
    help: 'HTTP request latency (until the response was sent), by route template, method and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly dbQueryDuration = new Histogram({
    name: 'carebook_db_query_duration_seconds',
    help: 'Database statement latency by logical database and statement kind',
    labelNames: ['database', 'kind'] as const,
    buckets: QUERY_BUCKETS,
    registers: [this.registry],
  });
  readonly dbPoolConnections = new Gauge({
    name: 'carebook_db_pool_connections',
    help: 'MySQL/MariaDB pool connections by state (in_use, idle); absent on SQLite',
    labelNames: ['database', 'state'] as const,
    registers: [this.registry],
    collect: () => {
      this.dbPoolConnections.reset();
      for (const p of this.sources.pools?.() ?? []) {
        this.dbPoolConnections.set({ database: p.database, state: 'in_use' }, p.total - p.idle);
        this.dbPoolConnections.set({ database: p.database, state: 'idle' }, p.idle);
      }
    },
  });
  readonly dbPoolWaiting = new Gauge({
    name: 'carebook_db_pool_waiting_requests',
    help: 'Requests queued for a MySQL/MariaDB pool connection; absent on SQLite',
    labelNames: ['database'] as const,
    registers: [this.registry],
    collect: () => {
      this.dbPoolWaiting.reset();
      for (const p of this.sources.pools?.() ?? [])
        this.dbPoolWaiting.set({ database: p.database }, p.waiting);
    },
  });
  readonly replicaLag = new Gauge({
    name: 'carebook_db_replica_lag_seconds',
    help: 'Replication delay of each read replica at its last check (GTID comparison and Seconds_Behind_Master)',
    labelNames: ['database', 'replica'] as const,
    registers: [this.registry],
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
  readonly replicaBehind = new Gauge({
    name: 'carebook_db_replica_behind_transactions',
    help: 'Transactions the primary had committed that the replica had not applied, at its last check',
    labelNames: ['database', 'replica'] as const,
    registers: [this.registry],
  });
  readonly replicaInRotation = new Gauge({
    name: 'carebook_db_replica_in_rotation',
    help: '1 while a read replica takes reads, 0 while it is out (stopped, unreachable or lagging)',
    labelNames: ['database', 'replica'] as const,
    registers: [this.registry],
  });
  readonly replicaReads = new Counter({
    name: 'carebook_db_replica_reads_total',
    help: 'Replica-eligible reads by where they went (replica, primary) and why',
    labelNames: ['database', 'target', 'reason'] as const,
    registers: [this.registry],
  });
  readonly cacheLayerRequests = new Counter({
    name: 'carebook_cache_layer_requests_total',
    help: 'Cache reads per layer (memory, l1, l2) and result (hit, miss), as counted by the cache adapters',
    labelNames: ['layer', 'result'] as const,
    registers: [this.registry],
    collect: () => {
      this.cacheLayerRequests.reset();
      for (const l of this.sources.cacheLayers?.() ?? []) {
        this.cacheLayerRequests.inc({ layer: l.layer, result: 'hit' }, l.hits);
        this.cacheLayerRequests.inc({ layer: l.layer, result: 'miss' }, l.misses);
      }
    },
  });
  readonly cacheRequests = new Counter({
    name: 'carebook_cache_requests_total',
    help: 'Cache reads per key namespace and result (hit, miss: the caller had to load the value)',
    labelNames: ['namespace', 'result'] as const,
    registers: [this.registry],
  });
  readonly searchDuration = new Histogram({
    name: 'carebook_search_duration_seconds',
    help: 'Search latency (cache included) by query class',
    labelNames: ['class'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly searchIndexDocuments = new Gauge({
    name: 'carebook_search_index_documents',
    help: 'Listings in the search index',
    registers: [this.registry],
    collect: async () => {
      const size = this.sources.searchIndexSize;
      if (size) this.searchIndexDocuments.set(await size());
    },
  });
  readonly searchFreshnessLag = new Gauge({
    name: 'carebook_search_index_freshness_lag_seconds',
    help: 'Commit-to-index delay of the last change the search indexer applied',
    registers: [this.registry],
  });
  readonly outboxBacklog = new Gauge({
    name: 'carebook_outbox_backlog_events',
    help: 'Outbox events committed but not yet published, per logical database',
    labelNames: ['database'] as const,
    registers: [this.registry],
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
  readonly outboxOldestAge = new Gauge({
    name: 'carebook_outbox_oldest_event_age_seconds',
    help: 'Age of the oldest unpublished outbox event per logical database (0 when empty)',
    labelNames: ['database'] as const,
    registers: [this.registry],
  });
  readonly consumerLag = new Gauge({
    name: 'carebook_event_consumer_lag_seconds',
    help: 'Commit-to-handling delay of the last event each consumer handled on this instance',
    labelNames: ['consumer'] as const,
    registers: [this.registry],
  });
  readonly eventsConsumed = new Counter({
    name: 'carebook_events_consumed_total',
    help: 'Events handled per consumer and outcome (ok, error: it will be redelivered)',
    labelNames: ['consumer', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly websocketConnections = new Gauge({
    name: 'carebook_websocket_connections',
    help: 'Open WebSocket connections on this instance',
    registers: [this.registry],
    collect: () => {
      const count = this.sources.websockets;
      if (count) this.websocketConnections.set(count());
    },
  });
  readonly jobRuns = new Counter({
    name: 'carebook_job_runs_total',
    help: 'Scheduled job ticks on this instance by outcome (ran, failed, not_holder, busy, stopped)',
    labelNames: ['job', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly jobLeaseHolder = new Gauge({
    name: 'carebook_job_lease_holder',
    help: 'Job leases currently held (1 per job, labelled with the holder); cluster-wide, from the database',
    labelNames: ['job', 'holder'] as const,
    registers: [this.registry],
    collect: async () => {
      const rows = (await this.sources.leases?.()) ?? [];
      this.jobLeaseHolder.reset();
      for (const r of rows) this.jobLeaseHolder.set({ job: r.job, holder: r.holder }, 1);
    },
  });
  readonly bookingTransitions = new Counter({
    name: 'carebook_booking_transitions_total',
    help: 'Booking state changes published by this instance (from "none" = created)',
    labelNames: ['from', 'to'] as const,
    registers: [this.registry],
  });
  readonly paymentOutcomes = new Counter({
    name: 'carebook_payment_events_total',
    help: 'Payment provider events received by type and result (applied, duplicate, ignored, error)',
    labelNames: ['type', 'result'] as const,
    registers: [this.registry],
  });
  readonly breakerStates = new Gauge({
    name: 'carebook_circuit_breaker_state',
    help: 'Circuit breaker state: 1 for the current state of each breaker, 0 for the others',
    labelNames: ['breaker', 'state'] as const,
    registers: [this.registry],
    collect: () => {
      for (const b of this.sources.breakers?.() ?? []) this.breakerState(b.name, b.state);
    },
  });
  readonly errors = new Counter({
    name: 'carebook_errors_total',
    help: 'Errors logged for operators by source (http, job, consumer, relay, process) and stable fingerprint',
    labelNames: ['source', 'fingerprint'] as const,
    registers: [this.registry],
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
