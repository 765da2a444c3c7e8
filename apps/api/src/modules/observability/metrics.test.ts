import type { Booking } from '@carebook/contracts';
import parsePrometheusTextFormat, { type PromFamily, type PromSample } from 'parse-prometheus-text-format';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { describeAppEachDialect } from '../../../test/support/app';
import { book, type Ctx, type Practice, pay, practice, WED_0900_NY } from '../../../test/support/bookings';
import { bearer } from '../../../test/support/http';
import { errorFingerprint } from './error-tracker';
import { mayScrape } from './metrics.routes';

/** Every family /metrics must export (docs/operations.md describes each). */
const FAMILIES = [
  'carebook_http_requests_total',
  'carebook_http_request_duration_seconds',
  'carebook_db_query_duration_seconds',
  'carebook_cache_layer_requests_total',
  'carebook_cache_requests_total',
  'carebook_search_duration_seconds',
  'carebook_search_index_documents',
  'carebook_search_index_freshness_lag_seconds',
  'carebook_outbox_backlog_events',
  'carebook_outbox_oldest_event_age_seconds',
  'carebook_event_consumer_lag_seconds',
  'carebook_events_consumed_total',
  'carebook_websocket_connections',
  'carebook_job_runs_total',
  'carebook_job_lease_holder',
  'carebook_booking_transitions_total',
  'carebook_payment_events_total',
  'carebook_circuit_breaker_state',
  'carebook_errors_total',
  'process_cpu_user_seconds_total',
  'process_resident_memory_bytes',
  'nodejs_eventloop_lag_seconds',
  'nodejs_heap_size_used_bytes',
];

const matches = (s: PromSample, labels: Record<string, string>) =>
  Object.entries(labels).every(([k, v]) => s.labels?.[k] === v);

/**
 * `<family>_count` of the labelled histogram series matching `labels`, summed. The parser checks
 * the exposition's grammar but folds labelled histogram series into one (a limitation of
 * parse-prometheus-text-format 1.1), so per-label counts are read from the `_count` lines.
 */
function histogramCount(text: string, name: string, labels: Record<string, string>): number {
  let total = 0;
  for (const line of text.split('\n')) {
    const m = new RegExp(`^${name}_count\\{(.*)\\} (\\S+)$`).exec(line);
    if (!m?.[1]) continue;
    const got = Object.fromEntries([...m[1].matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    if (Object.entries(labels).every(([k, v]) => got[k] === v)) total += Number(m[2]);
  }
  return total;
}

describeAppEachDialect(
  'GET /metrics after a booking round trip',
  (t) => {
    let p: Practice;
    let families: Map<string, PromFamily>;
    let text = '';
    const family = (name: string) => {
      const f = families.get(name);
      if (!f) throw new Error(`family ${name} missing`);
      return f;
    };
    const samples = (name: string, labels: Record<string, string> = {}) =>
      family(name).metrics.filter((s) => matches(s, labels));
    const value = (name: string, labels: Record<string, string> = {}) =>
      samples(name, labels).reduce((a, s) => a + Number(s.value ?? s.count ?? 0), 0);

    beforeAll(async () => {
      const ctx = t() as Ctx;
      const { app, services } = ctx;
      p = await practice(ctx);
      const patient = p.cast.patient.tokens.accessToken;
      const ws = await app.injectWS('/api/v1/ws');
      await new Promise<void>((resolve) => {
        ws.on('message', (raw: Buffer) => JSON.parse(raw.toString()).type === 'ready' && resolve());
        ws.send(JSON.stringify({ type: 'auth', token: patient }));
      });
      const search = await app.inject({ url: '/api/v1/search?q=dermatology&specialty=dermatology' });
      expect(search.statusCode, search.body).toBe(200);
      const created = await book(app, patient, {
        providerId: p.listing.id,
        serviceId: p.paid,
        start: WED_0900_NY,
      });
      expect(created.statusCode, created.body).toBe(201);
      const booking = created.json() as Booking;
      expect((await pay(app, booking)).statusCode).toBe(200);
      await services.bookingsRelay.drain();
      await services.relay.drain();
      for (let i = 0; i < 2; i++)
        expect(
          (await app.inject({ url: `/api/v1/bookings/${booking.id}`, headers: bearer(patient) })).statusCode,
        ).toBe(200);
      // Two identical bugs: one fingerprint, counted twice.
      for (let i = 0; i < 2; i++)
        expect((await app.inject({ url: '/api/v1/__test__/explode' })).statusCode).toBe(500);
      app.observability.metrics.breakerState('stripe', 'open');
      // The lifecycle job ticks every second in this suite (LIFECYCLE_INTERVAL_SECONDS=1).
      await vi.waitFor(
        async () => {
          const text = (await app.inject({ url: '/metrics' })).body;
          expect(text).toMatch(/carebook_job_runs_total\{job="booking-lifecycle",outcome="ran"\} [1-9]/);
        },
        { timeout: 15_000, interval: 200 },
      );
      ws.terminate();
      await vi.waitFor(() => expect(services.realtime.size).toBe(0));
      const again = await app.injectWS('/api/v1/ws');
      await new Promise<void>((resolve) => {
        again.on('message', (raw: Buffer) => JSON.parse(raw.toString()).type === 'ready' && resolve());
        again.send(JSON.stringify({ type: 'auth', token: patient }));
      });
      const res = await app.inject({ url: '/metrics' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      text = res.body;
      families = new Map(parsePrometheusTextFormat(text).map((f) => [f.name, f]));
      again.terminate();
    }, 60_000);

    it('exports every family, parsed by a Prometheus text parser', () => {
      const missing = FAMILIES.filter((f) => !families.has(f));
      expect(missing).toEqual([]);
      expect(family('carebook_http_request_duration_seconds').type).toBe('HISTOGRAM');
      expect(family('carebook_http_requests_total').type).toBe('COUNTER');
    });

    it('counts requests by route template, method and status, with latency histograms', () => {
      expect(
        value('carebook_http_requests_total', { method: 'POST', route: '/api/v1/bookings', status: '201' }),
      ).toBe(1);
      expect(
        value('carebook_http_requests_total', {
          method: 'GET',
          route: '/api/v1/bookings/:id',
          status: '200',
        }),
      ).toBe(2);
      const post = { method: 'POST', route: '/api/v1/bookings', status: '201' };
      expect(histogramCount(text, 'carebook_http_request_duration_seconds', post)).toBe(1);
      expect(text).toMatch(
        /carebook_http_request_duration_seconds_bucket\{le="\+Inf",method="POST",route="\/api\/v1\/bookings",status="201"\} 1/,
      );
    });

    it('times statements by logical database and kind', () => {
      const count = (labels: Record<string, string>) =>
        histogramCount(text, 'carebook_db_query_duration_seconds', labels);
      expect(family('carebook_db_query_duration_seconds').type).toBe('HISTOGRAM');
      expect(count({ database: 'bookings', kind: 'insert' })).toBeGreaterThan(0);
      expect(count({ database: 'bookings', kind: 'update' })).toBeGreaterThan(0);
      expect(count({ database: 'inventory', kind: 'select' })).toBeGreaterThan(0);
    });

    it('reports the MySQL pool (in use, idle, waiting) and nothing for SQLite', () => {
      const pools = families.get('carebook_db_pool_connections')?.metrics ?? [];
      if (t().db.dialect === 'mariadb') {
        const main = { database: 'inventory+bookings' };
        const idle = value('carebook_db_pool_connections', { ...main, state: 'idle' });
        const inUse = value('carebook_db_pool_connections', { ...main, state: 'in_use' });
        expect(idle + inUse).toBeGreaterThan(0);
        expect(idle + inUse).toBeLessThanOrEqual(10);
        expect(value('carebook_db_pool_waiting_requests')).toBe(0);
        expect(pools[0]?.labels?.database).toBe('inventory+bookings');
        // The outbox relays' own pool, used by the relays since the first booking.
        const relay = { database: 'inventoryRelay+bookingsRelay' };
        const relayOpen =
          value('carebook_db_pool_connections', { ...relay, state: 'idle' }) +
          value('carebook_db_pool_connections', { ...relay, state: 'in_use' });
        expect(relayOpen).toBeGreaterThan(0);
        expect(relayOpen).toBeLessThanOrEqual(2);
      } else expect(pools).toEqual([]);
    });

    it('counts cache reads per layer and per namespace', () => {
      expect(
        value('carebook_cache_requests_total', { namespace: 'booking', result: 'hit' }),
      ).toBeGreaterThanOrEqual(1);
      expect(
        value('carebook_cache_requests_total', { namespace: 'booking', result: 'miss' }),
      ).toBeGreaterThanOrEqual(1);
      expect(value('carebook_cache_requests_total', { namespace: 'search', result: 'miss' })).toBe(1);
      const layerHits = value('carebook_cache_layer_requests_total', { layer: 'memory', result: 'hit' });
      const namespaceHits = value('carebook_cache_requests_total', { result: 'hit' });
      expect(layerHits).toBe(namespaceHits); // the adapter's own counters agree with ours
    });

    it('measures search latency by query class, index size and freshness', () => {
      expect(histogramCount(text, 'carebook_search_duration_seconds', { class: 'text+filter' })).toBe(1);
      expect(value('carebook_search_index_documents')).toBe(1);
      expect(value('carebook_search_index_freshness_lag_seconds')).toBeGreaterThanOrEqual(0);
    });

    it('shows an empty outbox after the relays drained, and consumer lag per consumer', () => {
      expect(value('carebook_outbox_backlog_events', { database: 'bookings' })).toBe(0);
      expect(value('carebook_outbox_backlog_events', { database: 'inventory' })).toBe(0);
      expect(value('carebook_outbox_oldest_event_age_seconds', { database: 'bookings' })).toBe(0);
      for (const consumer of ['notifications', 'realtime', 'search-indexer', 'booking-cache']) {
        expect(samples('carebook_event_consumer_lag_seconds', { consumer }), consumer).toHaveLength(1);
        expect(
          value('carebook_events_consumed_total', { consumer, outcome: 'ok' }),
          consumer,
        ).toBeGreaterThan(0);
      }
    });

    it('counts WebSocket connections, job runs and the lease holder', () => {
      expect(value('carebook_websocket_connections')).toBe(1);
      expect(value('carebook_job_runs_total', { job: 'booking-lifecycle', outcome: 'ran' })).toBeGreaterThan(
        0,
      );
      const [lease] = samples('carebook_job_lease_holder', { job: 'booking-lifecycle' });
      expect(lease?.value).toBe('1');
      expect(lease?.labels?.holder).toMatch(/:/);
    });

    it('counts booking transitions and payment outcomes', () => {
      expect(value('carebook_booking_transitions_total', { from: 'payment_pending', to: 'confirmed' })).toBe(
        1,
      );
      expect(
        value('carebook_payment_events_total', { type: 'payment_intent.succeeded', result: 'applied' }),
      ).toBe(1);
    });

    it('exports breaker state as one-hot gauges', () => {
      expect(value('carebook_circuit_breaker_state', { breaker: 'stripe', state: 'open' })).toBe(1);
      expect(value('carebook_circuit_breaker_state', { breaker: 'stripe', state: 'closed' })).toBe(0);
      expect(value('carebook_circuit_breaker_state', { breaker: 'stripe', state: 'half_open' })).toBe(0);
    });

    it('counts 5xx answers under one stable fingerprint', () => {
      const errors = samples('carebook_errors_total', { source: 'http' });
      expect(errors).toHaveLength(1);
      expect(errors[0]?.value).toBe('2');
      expect(errors[0]?.labels?.fingerprint).toMatch(/^[0-9a-f]{12}$/);
      expect(
        value('carebook_http_requests_total', { route: '/api/v1/__test__/explode', status: '500' }),
      ).toBe(2);
    });

    it('answers only loopback clients when no token is configured', async () => {
      const res = await t().app.inject({ url: '/metrics', remoteAddress: '10.1.2.3' });
      expect(res.statusCode).toBe(403);
    });
  },
  { LIFECYCLE_INTERVAL_SECONDS: '1' },
);

describe('metrics access and fingerprints', () => {
  it('needs the exact bearer token when METRICS_TOKEN is set', () => {
    expect(mayScrape('s3cret', 'Bearer s3cret', '10.0.0.1')).toBe(true);
    expect(mayScrape('s3cret', 'Bearer s3cre', '127.0.0.1')).toBe(false);
    expect(mayScrape('s3cret', undefined, '127.0.0.1')).toBe(false);
    expect(mayScrape('', undefined, '127.0.0.1')).toBe(true);
    expect(mayScrape('', undefined, '::1')).toBe(true);
    expect(mayScrape('', undefined, '192.168.1.5')).toBe(false);
  });

  it('gives one bug one fingerprint whatever its message, and different bugs different ones', () => {
    const fail = (id: string) => new Error(`booking ${id} not found`);
    const other = (id: string) => new TypeError(`booking ${id} not found`);
    expect(errorFingerprint(fail('a'))).toBe(errorFingerprint(fail('b')));
    expect(errorFingerprint(fail('a'))).not.toBe(errorFingerprint(other('a')));
    expect(errorFingerprint(fail('a'), 'job')).not.toBe(errorFingerprint(fail('a'), 'http'));
  });
});
