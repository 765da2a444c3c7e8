import { BOOKING_DEEP_LINK_PATH } from '@carebook/contracts';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { matchRoutes, Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { routes } from '../../app/router';
import { renderApp } from '../../test/render';
import { SlotLinkPage, slotLinkOf } from './SlotLinkPage';

const listing = {
  id: 'p1',
  name: 'Harbour Clinic',
  timeZone: 'Europe/Berlin',
  services: [{ id: 's1', name: 'Skin check', durationMinutes: 20, priceCents: 4500, currency: 'EUR' }],
};
const START = '2030-01-07T09:00:00.000Z';

/** Our API as the page reads it: the listing and that one slot's availability. */
function serveApi(free: boolean) {
  const calls: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL) => {
      const url = String(input);
      calls.push(url);
      const body = url.includes('/availability')
        ? {
            days: [
              {
                date: '2030-01-07',
                slots: free ? [{ start: '2030-01-07T09:00:00+00:00', end: '2030-01-07T09:20:00+00:00' }] : [],
              },
            ],
          }
        : url.includes('/api/v1/providers/p1')
          ? listing
          : null;
      return new Response(JSON.stringify(body ?? { code: 'NOT_FOUND' }), {
        status: body ? 200 : 404,
        headers: { 'content-type': body ? 'application/json' : 'application/problem+json' },
      });
    }),
  );
  return calls;
}

const link = `${BOOKING_DEEP_LINK_PATH}?provider=p1&service=s1&start=${encodeURIComponent(START)}&source=slot-finder&booking-referral=ref-42`;

function renderLink(path = link) {
  return renderApp(
    <Routes>
      <Route path={BOOKING_DEEP_LINK_PATH} element={<SlotLinkPage />} />
      <Route path="/book" element={<h1>Booking flow</h1>} />
    </Routes>,
    { path },
  );
}

describe('SlotLinkPage (booking deep links)', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('is a route of the app, reading the query the FHIR deep links carry', () => {
    expect(
      (matchRoutes(routes, BOOKING_DEEP_LINK_PATH)?.at(-1)?.route as { path?: string } | undefined)?.path,
    ).toBe(BOOKING_DEEP_LINK_PATH);
    const parsed = slotLinkOf(new URL(link, 'http://x').searchParams);
    expect(parsed).toEqual({
      providerId: 'p1',
      serviceId: 's1',
      start: START,
      source: 'slot-finder',
      referral: 'ref-42',
    });
  });

  it('offers the linked slot and continues to the booking flow with it', async () => {
    const calls = serveApi(true);
    const user = userEvent.setup();
    const { store } = renderLink();
    expect(await screen.findByRole('heading', { name: 'Book this time' })).toBeTruthy();
    expect(screen.getByText('Found through slot-finder.')).toBeTruthy();
    expect(
      calls.some((c) => c.includes('/api/v1/providers/p1/availability') && c.includes('serviceId=s1')),
    ).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Continue to book' }));
    expect(await screen.findByRole('heading', { name: 'Booking flow' })).toBeTruthy();
    expect(store.getState().bookingDraft.draft).toMatchObject({ providerId: 'p1', serviceId: 's1' });
    expect(Date.parse(store.getState().bookingDraft.draft?.start ?? '')).toBe(Date.parse(START));
  });

  it('says so when the slot has been taken meanwhile', async () => {
    serveApi(false);
    renderLink();
    expect(await screen.findByRole('heading', { name: 'This time is no longer available' })).toBeTruthy();
    expect(
      screen.getByRole('link', { name: /See other times with Harbour Clinic/ }).getAttribute('href'),
    ).toBe('/providers/p1');
  });

  it('explains an incomplete link', () => {
    renderLink(`${BOOKING_DEEP_LINK_PATH}?provider=p1`);
    expect(screen.getByRole('heading', { name: 'This booking link is incomplete' })).toBeTruthy();
  });
});
