import type { OperationsOverview } from '@carebook/contracts';
import { expect, it } from 'vitest';
import { describeAppEachDialect } from '../../../test/support/app';
import { bearer } from '../../../test/support/http';
import { castOf, listingInput } from '../../../test/support/providers';
import { LeaseStore, runLeased } from '../../jobs/lease';

describeAppEachDialect('GET /api/v1/admin/operations', (t) => {
  it('shows admins the numbers /metrics exports, and nobody else', async () => {
    const { app, services, clock, db } = t();
    const cast = await castOf(t());
    app.observability.metrics.breakerState('search-cluster', 'open');
    // A leased job that fails: reported once with its fingerprint, counted, shown with its lease.
    const job = runLeased(
      {
        store: new LeaseStore(db.dbs.bookings.db, clock),
        holder: 'ops-test-holder',
        observe: app.observability.jobObserver,
      },
      'ops-test-job',
      3_600_000,
      async () => {
        throw new Error('archive store unreachable');
      },
    );
    expect(await job.tick()).toBe('failed');
    await app.inject({ url: '/api/v1/search?q=x' });
    await app.inject({ url: '/api/v1/search?q=x' });
    const listing = await app.inject({
      method: 'POST',
      url: '/api/v1/providers',
      headers: bearer(cast.owner.tokens.accessToken),
      payload: listingInput(),
    });
    expect(listing.statusCode, listing.body).toBe(201);
    await services.relay.drain();

    expect(
      (
        await app.inject({
          url: '/api/v1/admin/operations',
          headers: bearer(cast.patient.tokens.accessToken),
        })
      ).statusCode,
    ).toBe(403);
    expect((await app.inject({ url: '/api/v1/admin/operations' })).statusCode).toBe(401);
    const res = await app.inject({
      url: '/api/v1/admin/operations',
      headers: bearer(cast.admin.tokens.accessToken),
    });
    expect(res.statusCode, res.body).toBe(200);
    const view = res.json() as OperationsOverview;
    const metrics = (await app.inject({ url: '/metrics' })).body;

    expect(view.instance.id).toBe(t().config.cluster.instanceId);
    expect(view.instance.residentMemoryBytes).toBeGreaterThan(0);
    expect(view.instance.dependencies.map((d) => d.name)).toEqual(
      expect.arrayContaining(['database:inventory', 'database:bookings', 'event-stream']),
    );
    expect(view.instance.dependencies.every((d) => d.ok)).toBe(true);
    expect(view.outbox).toEqual([
      { database: 'inventory', backlog: 0, oldestAgeSeconds: 0 },
      { database: 'bookings', backlog: 0, oldestAgeSeconds: 0 },
    ]);
    expect(view.breakers).toEqual([{ breaker: 'search-cluster', state: 'open' }]);
    expect(view.jobs).toContainEqual({
      job: 'ops-test-job',
      holder: 'ops-test-holder',
      runs: 0,
      failures: 1,
    });
    expect(metrics).toMatch(/carebook_job_runs_total\{job="ops-test-job",outcome="failed"\} 1/);
    expect(metrics).toMatch(/carebook_errors_total\{source="job",fingerprint="[0-9a-f]{12}"\} 1/);
    // The same hit ratio as the exported counters (one search miss, then one hit at least).
    const memory = view.cache.find((c) => c.layer === 'memory');
    const hits = Number(
      /carebook_cache_layer_requests_total\{layer="memory",result="hit"\} (\d+)/.exec(metrics)?.[1],
    );
    const misses = Number(
      /carebook_cache_layer_requests_total\{layer="memory",result="miss"\} (\d+)/.exec(metrics)?.[1],
    );
    expect(memory).toEqual({ layer: 'memory', hits, misses, hitRatio: hits / (hits + misses) });
    expect(hits).toBeGreaterThanOrEqual(1);
    const indexer = view.consumers.find((c) => c.consumer === 'search-indexer');
    // The listing's event at least (the cast's set-up also publishes account events), none failed.
    expect(indexer?.handled).toBeGreaterThanOrEqual(1);
    expect(indexer?.failed).toBe(0);
    expect(indexer?.lagSeconds).toBeGreaterThanOrEqual(0);
    expect(view.consumers.map((c) => c.consumer)).toContain('listing-cache');
    await job.stop();
  });
});
