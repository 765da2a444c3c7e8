import type { Booking } from '@carebook/contracts';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { signedIn } from '../../app/session-slice';
import { makeStore } from '../../app/store';
import { renderApp } from '../../test/render';
import { PATIENT } from '../../test/users';
import { CheckoutPage } from './CheckoutPage';

const booking = {
  id: 'b1',
  providerName: 'Dr Ana Silva',
  serviceName: 'Skin check',
  start: '2030-01-07T09:00:00.000Z',
  end: '2030-01-07T09:20:00.000Z',
  timeZone: 'Europe/Berlin',
  status: 'payment_pending',
  priceCents: 4500,
  currency: 'EUR',
  holdExpiresAt: '2030-01-01T10:10:00.000Z',
  payment: {
    intentId: 'pi_sim_1',
    clientSecret: 'sec',
    checkoutUrl: null,
    status: 'requires_payment_method',
  },
} as unknown as Booking;

// The viewer is in New York, the clinic in Berlin: Node applies a new TZ at once; restored after this file.
const viewerTz = process.env.TZ;
process.env.TZ = 'America/New_York';
afterAll(() => {
  if (viewerTz === undefined) delete process.env.TZ;
  else process.env.TZ = viewerTz;
});

afterEach(() => vi.unstubAllGlobals());

describe('CheckoutPage (simulated checkout)', () => {
  it('a declined card says in plain words what to do next, that nothing was charged, and until when the time is held', async () => {
    let declineCode: string | null = null;
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
        const path = new URL(String(input), 'http://localhost').pathname;
        if (path === '/api/v1/bookings/b1') return Response.json(booking);
        if (path === '/api/v1/payments/simulated/intents/pi_sim_1/pay' && init?.method === 'POST') {
          declineCode = 'insufficient_funds';
          return Response.json(
            {
              type: 'about:blank',
              title: 'Unprocessable',
              status: 422,
              code: 'UNPROCESSABLE',
              detail: 'Your card has insufficient funds. (insufficient_funds)',
              requestId: 'r1',
            },
            { status: 422, headers: { 'content-type': 'application/problem+json' } },
          );
        }
        if (path === '/api/v1/payments/simulated/intents/pi_sim_1')
          return Response.json({
            id: 'pi_sim_1',
            bookingId: 'b1',
            amountCents: 4500,
            currency: 'EUR',
            status: 'requires_payment_method',
            lastDeclineCode: declineCode,
          });
        return Response.json({ code: 'NOT_FOUND', status: 404 }, { status: 404 });
      }),
    );
    const user = userEvent.setup();
    const store = makeStore();
    store.dispatch(signedIn(PATIENT));
    renderApp(
      <Routes>
        <Route path="/checkout/:intentId" element={<CheckoutPage />} />
      </Routes>,
      { store, path: '/checkout/pi_sim_1?booking=b1' },
    );
    expect((await screen.findByText(/^Mon, Jan 7, 2030, 10:00 AM–10:20 AM/)).textContent).toContain(
      '(Europe/Berlin, GMT+1)',
    );
    await user.type(screen.getByLabelText('Card number'), '4000 0000 0000 9995');
    await user.click(screen.getByRole('button', { name: /^Pay / }));
    const alert = (await screen.findByRole('alert')).textContent;
    expect(alert).toMatch(
      /^The card does not have enough funds for this payment\. Try another card\. You have not been charged; your time is held until .+\(Europe\/Berlin, GMT\+1\)\.$/,
    );
    expect(alert).not.toContain('insufficient_funds');
    // Focus is back on the card number (the disabled Pay button had dropped it), ready for another card.
    expect(document.activeElement).toBe(screen.getByLabelText('Card number'));
  });

  it('a card number that is not one keeps the patient on the field, with the reason', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL) => {
        const path = new URL(String(input), 'http://localhost').pathname;
        if (path === '/api/v1/bookings/b1') return Response.json(booking);
        if (path === '/api/v1/payments/simulated/intents/pi_sim_1')
          return Response.json({
            id: 'pi_sim_1',
            bookingId: 'b1',
            amountCents: 4500,
            currency: 'EUR',
            status: 'requires_payment_method',
            lastDeclineCode: null,
          });
        return Response.json({ code: 'NOT_FOUND', status: 404 }, { status: 404 });
      }),
    );
    const user = userEvent.setup();
    const store = makeStore();
    store.dispatch(signedIn(PATIENT));
    renderApp(
      <Routes>
        <Route path="/checkout/:intentId" element={<CheckoutPage />} />
      </Routes>,
      { store, path: '/checkout/pi_sim_1?booking=b1' },
    );
    await user.type(await screen.findByLabelText('Card number'), '4242');
    await user.click(screen.getByRole('button', { name: /^Pay / }));
    const field = screen.getByLabelText('Card number');
    expect(document.activeElement).toBe(field);
    const described = document.getElementById(field.getAttribute('aria-describedby') ?? '');
    expect(described?.textContent).toBe('Enter the card number: 12 to 19 digits.');
  });

  it('a date of a paid series shows the series it pays for and its total, and ends on the series page', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
        const path = new URL(String(input), 'http://localhost').pathname;
        if (path === '/api/v1/bookings/b1') return Response.json(booking);
        if (path === '/api/v1/booking-series/se1')
          return Response.json({
            id: 'se1',
            occurrences: 4,
            intervalWeeks: 2,
            totalCents: 18000,
            currency: 'EUR',
          });
        if (path === '/api/v1/payments/simulated/intents/pi_sim_1/pay' && init?.method === 'POST')
          return Response.json({ id: 'pi_sim_1', status: 'succeeded' });
        if (path === '/api/v1/payments/simulated/intents/pi_sim_1')
          return Response.json({
            id: 'pi_sim_1',
            bookingId: 'b1',
            amountCents: 18000,
            currency: 'EUR',
            status: 'requires_payment_method',
            lastDeclineCode: null,
          });
        return Response.json({ code: 'NOT_FOUND', status: 404 }, { status: 404 });
      }),
    );
    const user = userEvent.setup();
    const store = makeStore();
    store.dispatch(signedIn(PATIENT));
    renderApp(
      <Routes>
        <Route path="/checkout/:intentId" element={<CheckoutPage />} />
        <Route path="/series/:id" element={<p>Series page</p>} />
      </Routes>,
      { store, path: '/checkout/pi_sim_1?booking=b1&series=se1' },
    );
    expect(await screen.findByText('4 visits, every 2 weeks')).toBeTruthy();
    expect(screen.getByText('First visit')).toBeTruthy();
    expect(screen.getByText('€180.00')).toBeTruthy();
    await user.type(screen.getByLabelText('Card number'), '4242 4242 4242 4242');
    await user.click(screen.getByRole('button', { name: 'Pay €180.00' }));
    expect(await screen.findByText('Series page')).toBeTruthy();
  });

  it('a payment link no booking waits for says there is nothing to pay, with the way to the bookings', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Response.json({ items: [], page: 1, pageSize: 100, total: 0 })),
    );
    const store = makeStore();
    store.dispatch(signedIn(PATIENT));
    renderApp(
      <Routes>
        <Route path="/checkout/:intentId" element={<CheckoutPage />} />
      </Routes>,
      { store, path: '/checkout/pi_sim_gone' },
    );
    expect((await screen.findByRole('heading', { level: 1 })).textContent).toBe('Nothing to pay here');
    expect(screen.getByRole('link', { name: 'See your bookings' }).getAttribute('href')).toBe('/bookings');
    expect(screen.queryByText(/Something went wrong/)).toBeNull();
  });
});
