import type { OperationsOverview } from '@carebook/contracts';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderApp } from '../../test/render';
import { duration, OperationsView } from './OperationsView';

const view: OperationsOverview = {
  generatedAt: '2026-12-06T13:00:00.000Z',
  instance: {
    id: 'api-1',
    uptimeSeconds: 5400,
    residentMemoryBytes: 150 * 1_048_576,
    eventLoopLagSeconds: 0.0123,
    websocketConnections: 3,
    httpRequests: 1200,
    httpServerErrors: 2,
    dependencies: [
      { name: 'database:bookings', ok: true },
      { name: 'cache', ok: false, detail: 'Redis unreachable' },
    ],
  },
  outbox: [
    { database: 'inventory', backlog: 0, oldestAgeSeconds: 0 },
    { database: 'bookings', backlog: 42, oldestAgeSeconds: 300 },
  ],
  consumers: [
    { consumer: 'notifications', lagSeconds: 0.4, handled: 10, failed: 0 },
    { consumer: 'search-indexer', lagSeconds: 95, handled: 7, failed: 3 },
    { consumer: 'realtime', lagSeconds: null, handled: 0, failed: 0 },
  ],
  cache: [
    { layer: 'l1', hits: 75, misses: 25, hitRatio: 0.75 },
    { layer: 'l2', hits: 1, misses: 9, hitRatio: 0.1 },
  ],
  jobs: [
    { job: 'booking-lifecycle', holder: 'api-2:host:123', runs: 0, failures: 0 },
    { job: 'booking-archival', holder: null, runs: 4, failures: 1 },
  ],
  breakers: [
    { breaker: 'stripe', state: 'closed' },
    { breaker: 'search-cluster', state: 'open' },
  ],
};

function serve(body: unknown, status = 200) {
  const fetch = vi.fn(async () =>
    Response.json(body, {
      status,
      headers: { 'content-type': status === 200 ? 'application/json' : 'application/problem+json' },
    }),
  );
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

const row = (table: string, name: string) =>
  within(screen.getByRole('table', { name: table }))
    .getByRole('rowheader', { name })
    .closest('tr') as HTMLElement;

describe('OperationsView', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows instance health, outbox, consumers, cache, jobs and breakers from the admin endpoint', async () => {
    const fetch = serve(view);
    renderApp(<OperationsView refreshMs={60_000} />);
    expect(await screen.findByRole('heading', { name: 'Instance api-1' })).toBeTruthy();
    expect(String(fetch.mock.calls[0]?.[0 as never])).toContain('/api/v1/admin/operations');

    expect(screen.getByText('Up for').nextSibling?.textContent).toBe('90 min');
    expect(screen.getByText('Server errors (5xx)').nextSibling?.textContent).toBe('2');
    expect(within(row('Dependencies', 'cache')).getByText('Down')).toBeTruthy();
    expect(within(row('Dependencies', 'cache')).getByText('Redis unreachable')).toBeTruthy();
    expect(within(row('Dependencies', 'database:bookings')).getByText('Up')).toBeTruthy();

    expect(within(row('Outbox', 'bookings')).getByText('42')).toBeTruthy();
    expect(within(row('Outbox', 'bookings')).getByText('5 min (stuck?)')).toBeTruthy();
    expect(within(row('Outbox', 'inventory')).getByText('Empty')).toBeTruthy();

    expect(within(row('Event consumers', 'search-indexer')).getByText('95 s (lagging)')).toBeTruthy();
    expect(within(row('Event consumers', 'notifications')).getByText('400 ms')).toBeTruthy();
    expect(within(row('Event consumers', 'realtime')).getByText('No events yet')).toBeTruthy();

    expect(within(row('Cache', 'l1')).getByText('75.0%')).toBeTruthy();
    expect(within(row('Cache', 'l2')).getByText('10.0% (low)')).toBeTruthy();

    expect(within(row('Scheduled jobs', 'booking-lifecycle')).getByText('api-2:host:123')).toBeTruthy();
    expect(
      within(row('Scheduled jobs', 'booking-archival')).getByText('Nobody (next tick takes it)'),
    ).toBeTruthy();

    expect(within(row('Circuit breakers', 'search-cluster')).getByText('Open')).toBeTruthy();
    expect(within(row('Circuit breakers', 'stripe')).getByText('Closed')).toBeTruthy();
    // Problems are said in words and marked, never by colour alone.
    expect(within(row('Circuit breakers', 'search-cluster')).getByText('Open').className).toContain(
      'ops-problem',
    );
  });

  it('refreshes on demand', async () => {
    const fetch = serve(view);
    renderApp(<OperationsView refreshMs={60_000} />);
    await screen.findByRole('heading', { name: 'Instance api-1' });
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    await vi.waitFor(() => expect(fetch).toHaveBeenCalledTimes(2));
  });

  it('says when there are no breakers and when the endpoint refuses', async () => {
    serve({ ...view, breakers: [] });
    const first = renderApp(<OperationsView refreshMs={60_000} />);
    expect(await screen.findByText('No circuit breakers reported.')).toBeTruthy();
    first.unmount();
    serve(
      {
        type: 'urn:carebook:problem:forbidden',
        title: 'Forbidden',
        status: 403,
        code: 'FORBIDDEN',
        detail: 'Admins only.',
      },
      403,
    );
    renderApp(<OperationsView refreshMs={60_000} />);
    expect(await screen.findByRole('alert')).toBeTruthy();
  });

  it('formats durations for people', () => {
    expect([
      duration(0.25),
      duration(5),
      duration(90),
      duration(600),
      duration(10_800),
      duration(259_200),
    ]).toEqual(['250 ms', '5.0 s', '90 s', '10 min', '3 h', '3 d']);
  });
});
