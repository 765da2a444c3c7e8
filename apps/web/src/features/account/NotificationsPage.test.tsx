import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signedIn } from '../../app/session-slice';
import { makeStore } from '../../app/store';
import { renderApp } from '../../test/render';
import { PATIENT } from '../../test/users';
import { localZone, zoneName } from '../../ui/format';
import { NotificationsPage } from './NotificationsPage';

afterEach(() => vi.unstubAllGlobals());

describe('NotificationsPage', () => {
  it("shows the API's sentence, and labels when it arrived in the viewer's own zone", async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () =>
        Response.json({
          items: [
            {
              id: 'n1',
              bookingId: 'b1',
              kind: 'confirmed',
              title: 'Booking confirmed',
              body: 'Your Skin check with Dr Ana Silva is confirmed for Wednesday, 9 December 2026, 10:30–11:00 Europe/Berlin time (CET).',
              createdAt: '2026-12-01T09:00:00.000Z',
              readAt: null,
            },
          ],
          page: 1,
          pageSize: 20,
          total: 1,
          unread: 1,
        }),
      ),
    );
    const store = makeStore();
    store.dispatch(signedIn(PATIENT));
    renderApp(<NotificationsPage />, { store });
    expect(
      await screen.findByText(/^Your Skin check with Dr Ana Silva is confirmed for .+ Europe\/Berlin time/),
    ).toBeTruthy();
    const received = screen.getByText(/^Received /);
    expect(received.textContent).toContain(`your time (${zoneName(localZone())})`);
    expect(screen.queryByText(/^(confirmed|b1|n1)$/)).toBeNull();
  });

  it('"Mark read" names the notification, and focus goes to its heading once the button is gone', async () => {
    let readAt: string | null = null;
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_input: RequestInfo | URL, init?: RequestInit) => {
        if (init?.method === 'POST') {
          readAt = '2026-12-01T10:00:00.000Z';
          return new Response(null, { status: 204 });
        }
        return Response.json({
          items: [
            {
              id: 'n1',
              bookingId: 'b1',
              kind: 'cancelled',
              title: 'Booking cancelled',
              body: 'You cancelled your Skin check.',
              createdAt: '2026-12-01T09:00:00.000Z',
              readAt,
            },
          ],
          page: 1,
          pageSize: 20,
          total: 1,
          unread: readAt ? 0 : 1,
        });
      }),
    );
    const store = makeStore();
    store.dispatch(signedIn(PATIENT));
    const user = userEvent.setup();
    renderApp(<NotificationsPage />, { store });
    await user.click(await screen.findByRole('button', { name: 'Mark read: Booking cancelled' }));
    await vi.waitFor(() =>
      expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Booking cancelled' })),
    );
    expect(screen.queryByRole('button', { name: /^Mark read/ })).toBeNull();
  });
});
