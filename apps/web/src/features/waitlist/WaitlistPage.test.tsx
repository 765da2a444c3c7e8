import type { WaitlistEntry } from '@carebook/contracts';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signedIn } from '../../app/session-slice';
import { makeStore } from '../../app/store';
import { renderApp } from '../../test/render';
import { PATIENT } from '../../test/users';
import { WaitlistPage } from './WaitlistPage';

const entry = (offered: boolean): WaitlistEntry => ({
  id: '0190a0a0-0000-7000-8000-0000000000e1',
  providerId: '0190a0a0-0000-7000-8000-0000000000c1',
  providerName: 'Dr Ana Silva',
  serviceId: '0190a0a0-0000-7000-8000-0000000000d1',
  serviceName: 'Skin check',
  timeZone: 'Europe/Berlin',
  window: { fromDate: '2027-01-11', toDate: '2027-01-15', weekdays: ['mon', 'tue'], dayPart: 'morning' },
  earlierThanBookingId: null,
  status: offered ? 'offered' : 'booked',
  createdAt: '2027-01-01T09:00:00.000Z',
  offer: offered
    ? {
        id: '0190a0a0-0000-7000-8000-0000000000f1',
        entryId: '0190a0a0-0000-7000-8000-0000000000e1',
        bookingId: '0190a0a0-0000-7000-8000-000000000001',
        start: '2027-01-11T08:00:00.000Z',
        end: '2027-01-11T08:30:00.000Z',
        timeZone: 'Europe/Berlin',
        expiresAt: new Date(Date.now() + 20 * 60_000).toISOString(),
        status: 'offered',
      }
    : null,
});

afterEach(() => vi.unstubAllGlobals());

describe('WaitlistPage', () => {
  it('shows a held time with its zone and time left, and accepts it', async () => {
    let accepted = false;
    const calls: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
        const url = new URL(String(input), 'http://localhost');
        const key = `${init?.method ?? 'GET'} ${url.pathname}`;
        calls.push(key);
        if (key === 'GET /api/v1/waitlist') return Response.json({ items: [entry(!accepted)] });
        if (key.endsWith('/accept')) {
          accepted = true;
          return Response.json({});
        }
        return Response.json({ code: 'NOT_FOUND', status: 404, title: 'Not found' }, { status: 404 });
      }),
    );
    const store = makeStore();
    store.dispatch(signedIn(PATIENT));
    renderApp(<WaitlistPage />, { store });
    const offer = await screen.findByRole('region', { name: 'Offer at Dr Ana Silva' });
    expect(offer.textContent).toContain('Europe');
    expect(offer.textContent).toMatch(/\d+ min left/);
    await userEvent.setup().click(screen.getByRole('button', { name: 'Accept this time' }));
    await waitFor(() => expect(screen.getByText(/Booked/)).toBeTruthy());
    expect(calls).toContain('POST /api/v1/waitlist/offers/0190a0a0-0000-7000-8000-0000000000f1/accept');
  });
});
