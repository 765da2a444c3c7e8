import type { WaitlistEntry } from '@carebook/contracts';
import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { keys } from '../../app/query-client';
import { renderApp } from '../../test/render';
import { MyBookingsPage } from './MyBookingsPage';

const entry = (status: WaitlistEntry['status']) =>
  ({ id: `w-${status}`, status }) as unknown as WaitlistEntry;

function serve(waitlist: WaitlistEntry[]) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL) => {
      const path = new URL(String(input), 'http://localhost').pathname;
      if (path === '/api/v1/waitlist') return Response.json({ items: waitlist });
      return Response.json({ items: [], page: 1, pageSize: 10, total: 0 });
    }),
  );
}

describe('MyBookingsPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('leads to the waitlist while the patient is waiting, and to the offer when a time is held', async () => {
    serve([entry('waiting'), entry('waiting'), entry('left')]);
    const { unmount } = renderApp(<MyBookingsPage />);
    const waiting = await screen.findByTestId('waitlist-link');
    expect(waiting.textContent).toBe('You are waiting for 2 times on the waitlist. See your waitlist');
    expect(screen.getByRole('link', { name: 'See your waitlist' }).getAttribute('href')).toBe('/waitlist');
    unmount();

    serve([entry('waiting'), entry('offered')]);
    renderApp(<MyBookingsPage />);
    expect((await screen.findByTestId('waitlist-link')).textContent).toBe(
      'A time is held for you from the waitlist. See the offer',
    );
  });

  it('says nothing of a waitlist the patient is not on', async () => {
    serve([entry('booked'), entry('left')]);
    const { queryClient } = renderApp(<MyBookingsPage />);
    expect(await screen.findByRole('heading', { name: 'No upcoming appointments' })).toBeTruthy();
    await vi.waitFor(() => expect(queryClient.getQueryState(keys.waitlist)?.status).toBe('success'));
    expect(screen.queryByTestId('waitlist-link')).toBeNull();
  });
});
