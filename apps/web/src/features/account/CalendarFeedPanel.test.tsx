import type { CalendarFeed } from '@carebook/contracts';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderApp } from '../../test/render';
import { CalendarFeedPanel } from './CalendarFeedPanel';

/** The calendar-feed API as the server behaves: GET shows, rotate replaces, DELETE turns off. */
function serveFeeds() {
  let feed: CalendarFeed | null = null;
  let n = 0;
  const calls: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input);
      const method = init?.method ?? 'GET';
      calls.push(`${method} ${url.replace(/^https?:\/\/[^/]+/, '')}`);
      const json = (status: number, body: unknown) =>
        new Response(body === null ? null : JSON.stringify(body), {
          status,
          headers: { 'content-type': 'application/json' },
        });
      if (url.endsWith('/api/v1/calendar-feed/rotate') && method === 'POST') {
        n++;
        const https = `https://carebook.test/api/v1/calendar/token${n}.ics`;
        feed = {
          url: https,
          webcalUrl: https.replace('https:', 'webcal:'),
          createdAt: '2030-01-01T00:00:00.000Z',
        };
        return json(201, feed);
      }
      if (url.endsWith('/api/v1/calendar-feed') && method === 'DELETE') {
        feed = null;
        return new Response(null, { status: 204 });
      }
      if (url.endsWith('/api/v1/calendar-feed')) return json(200, { feed });
      return json(404, { code: 'NOT_FOUND' });
    }),
  );
  return calls;
}

describe('CalendarFeedPanel', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('creates a private webcal link, shows it, replaces it on request and turns it off', async () => {
    const calls = serveFeeds();
    const user = userEvent.setup();
    renderApp(<CalendarFeedPanel />);
    expect(screen.getByRole('heading', { name: 'Calendar feed' })).toBeTruthy();
    await user.click(await screen.findByRole('button', { name: 'Create calendar link' }));
    const field = (await screen.findByLabelText('Calendar link')) as HTMLInputElement;
    expect(field.value).toBe('webcal://carebook.test/api/v1/calendar/token1.ics');
    expect(screen.getByRole('status').textContent).toBe('Your calendar link is ready.');
    expect(screen.getByRole('link', { name: 'Open in your calendar app' }).getAttribute('href')).toBe(
      field.value,
    );

    const rotate = screen.getByRole('button', { name: 'Get a new link' });
    expect(rotate.getAttribute('aria-describedby')).toBeTruthy();
    await user.click(rotate);
    await waitFor(() =>
      expect((screen.getByLabelText('Calendar link') as HTMLInputElement).value).toBe(
        'webcal://carebook.test/api/v1/calendar/token2.ics',
      ),
    );
    expect(screen.getByRole('status').textContent).toBe('New link ready. The old link no longer works.');

    await user.click(screen.getByRole('button', { name: 'Turn off' }));
    expect(await screen.findByRole('button', { name: 'Create calendar link' })).toBeTruthy();
    expect(screen.queryByLabelText('Calendar link')).toBeNull();
    expect(calls.filter((c) => !c.startsWith('GET'))).toEqual([
      'POST /api/v1/calendar-feed/rotate',
      'POST /api/v1/calendar-feed/rotate',
      'DELETE /api/v1/calendar-feed',
    ]);
  });

  it('speaks of the practice on the dashboard', async () => {
    serveFeeds();
    renderApp(<CalendarFeedPanel practice />);
    expect(screen.getByText(/your practice's bookings/)).toBeTruthy();
  });
});
