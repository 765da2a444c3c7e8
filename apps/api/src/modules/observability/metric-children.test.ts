import { describe, expect, it, vi } from 'vitest';
import { MemoryCache } from '../../adapters/cache/memory';
import { instrumentCache } from './instrument-adapters';
import { Children, CounterChild, HistogramChild } from './metric-children';
import { Metrics } from './metrics';

/** The exposition of the families the children write, without the process/runtime ones. */
async function families(m: Metrics): Promise<string> {
  const text = await m.text();
  return text
    .split('\n\n')
    .filter((block) => /^# HELP carebook_(http_request|db_query|cache_requests|events_consumed)/.test(block))
    .join('\n\n');
}

const HTTP = [
  ['GET', '/healthz', 200, 0.0004],
  ['GET', '/api/v1/providers/:id', 200, 0.003],
  ['GET', '/healthz', 200, 0.012],
  ['POST', '/api/v1/bookings', 409, 0.07],
  ['GET', '/api/v1/providers/:id', 404, 20],
  ['GET', '/healthz', 200, 0.005],
  ['GET', 'unmatched', 404, 0.25],
] as const;

describe('label-bound metric children', () => {
  it('write the same series, names, labels, buckets and HELP as prom-client calls', async () => {
    const plain = new Metrics();
    const bound = new Metrics();
    const http = new Children((labels) => ({
      count: new CounterChild(bound.httpRequests, labels),
      duration: new HistogramChild(bound.httpDuration, labels),
    }));
    const queries = new Children((labels) => new HistogramChild(bound.dbQueryDuration, labels));
    const cache = new Children((labels) => new CounterChild(bound.cacheRequests, labels));
    // A series the ordinary API made first: the child must add to it, not make a second one.
    plain.dbQueryDuration.observe({ database: 'bookings', kind: 'insert' }, 0.002);
    bound.dbQueryDuration.observe({ database: 'bookings', kind: 'insert' }, 0.002);
    for (let round = 0; round < 3; round++) {
      for (const [method, route, status, seconds] of HTTP) {
        const labels = { method, route, status: String(status) };
        plain.httpRequests.inc(labels);
        plain.httpDuration.observe(labels, seconds);
        const key = `${method}\n${route}\n${status}`;
        const s = http.get(key) ?? http.add(key, labels);
        s.count.inc();
        s.duration.observe(seconds);
      }
      for (const [database, kind, seconds] of [
        ['inventory', 'select', 0.0003],
        ['bookings', 'insert', 0.0011],
        ['bookings', 'insert', 7],
        ['bookings', 'select', 0.0005],
      ] as const) {
        plain.dbQueryDuration.observe({ database, kind }, seconds);
        const key = `${database} ${kind}`;
        (queries.get(key) ?? queries.add(key, { database, kind })).observe(seconds);
      }
      for (const [namespace, result, by] of [
        ['listing', 'hit', 1],
        ['listing', 'miss', 1],
        ['search', 'hit', 3],
      ] as const) {
        plain.cacheRequests.inc({ namespace, result }, by);
        const key = `${namespace} ${result}`;
        (cache.get(key) ?? cache.add(key, { namespace, result })).inc(by);
      }
      const ok = new CounterChild(bound.eventsConsumed, { consumer: 'search-indexer', outcome: 'ok' });
      ok.inc();
      ok.inc();
      plain.eventsConsumed.inc({ consumer: 'search-indexer', outcome: 'ok' }, 2);
      // After a reset the children find (or make) their series again.
      if (round === 1) {
        plain.registry.resetMetrics();
        bound.registry.resetMetrics();
      }
    }
    const expected = await families(plain);
    expect(expected).toContain('carebook_http_request_duration_seconds_bucket{le="0.005",method="GET"');
    expect(expected).toContain(
      'carebook_db_query_duration_seconds_count{database="bookings",kind="insert"} 2',
    );
    expect(await families(bound)).toBe(expected);
  });

  it('go through prom-client (label hashing) only for their first call and after a reset', () => {
    const m = new Metrics();
    const inc = vi.spyOn(m.httpRequests, 'inc');
    const observe = vi.spyOn(m.httpDuration, 'observe');
    const labels = { method: 'GET', route: '/x', status: '200' };
    const count = new CounterChild(m.httpRequests, labels);
    const duration = new HistogramChild(m.httpDuration, labels);
    for (let i = 0; i < 5; i++) {
      count.inc();
      duration.observe(0.01);
    }
    expect([inc.mock.calls.length, observe.mock.calls.length]).toEqual([1, 1]);
    m.registry.resetMetrics();
    count.inc();
    duration.observe(0.01);
    count.inc();
    duration.observe(0.01);
    expect([inc.mock.calls.length, observe.mock.calls.length]).toEqual([2, 2]);
  });

  it('refuses what prom-client refuses', () => {
    const m = new Metrics();
    const duration = new HistogramChild(m.httpDuration, { method: 'GET', route: '/x', status: '200' });
    duration.observe(0.01);
    expect(() => duration.observe(Number.NaN)).toThrow(/not a valid number/);
    const count = new CounterChild(m.httpRequests, { method: 'GET', route: '/x', status: '200' });
    count.inc();
    expect(() => count.inc(-1)).toThrow(/decrease/);
  });

  it('count an instrumented cache’s reads per namespace and result; its other methods stay bound once', async () => {
    const m = new Metrics();
    const cache = instrumentCache(new MemoryCache(), m);
    expect(cache.set).toBe(cache.set);
    await cache.set('listing:1', 'a', { ttlSeconds: 60 });
    await cache.get('listing:1');
    await cache.get('listing:2');
    await cache.getOrLoad('search:q', async () => 'x', { ttlSeconds: 60 });
    await cache.getOrLoad('search:q', async () => 'y', { ttlSeconds: 60 });
    await cache.get('listing:1');
    const text = await m.text();
    for (const line of [
      'carebook_cache_requests_total{namespace="listing",result="hit"} 2',
      'carebook_cache_requests_total{namespace="listing",result="miss"} 1',
      'carebook_cache_requests_total{namespace="search",result="miss"} 1',
      'carebook_cache_requests_total{namespace="search",result="hit"} 1',
    ])
      expect(text).toContain(line);
  });
});
