import { screen } from '@testing-library/react';
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
});
