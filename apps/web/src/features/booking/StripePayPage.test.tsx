import type { Booking } from '@carebook/contracts';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderApp } from '../../test/render';
import { StripePayPage } from './StripePayPage';
import type { StripeFactory } from './stripe-js';

const booking = {
  id: 'b1',
  status: 'payment_pending',
  providerName: 'Harbour Clinic',
  serviceName: 'Skin check',
  start: '2030-01-07T09:00:00.000Z',
  end: '2030-01-07T09:20:00.000Z',
  timeZone: 'Europe/Berlin',
  priceCents: 4500,
  currency: 'EUR',
  holdExpiresAt: '2030-01-01T10:10:00.000Z',
  payment: {
    intentId: 'pi_123',
    clientSecret: 'pi_123_secret_abc',
    checkoutUrl: null,
    status: 'requires_payment_method',
  },
} as unknown as Booking;

/** Our API as the page reads it: the booking (by default the one above) and the payments config. */
function serveApi(config: object, theBooking: object = booking) {
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL) => {
      const url = String(input);
      const body = url.includes('/api/v1/payments/config')
        ? config
        : url.includes('/api/v1/bookings/b1')
          ? theBooking
          : url.includes('/api/v1/booking-series/se1')
            ? { id: 'se1', occurrences: 8, intervalWeeks: 1, totalCents: 36000, currency: 'EUR' }
            : null;
      return new Response(JSON.stringify(body ?? { code: 'NOT_FOUND' }), {
        status: body ? 200 : 404,
        headers: { 'content-type': body ? 'application/json' : 'application/problem+json' },
      });
    }),
  );
}

/** A stand-in for Stripe.js's browser API (the calls the page makes), recording them. */
function standInStripe(outcome: {
  error?: { type: string; code?: string; decline_code?: string; message: string };
}) {
  const calls: { key?: string; clientSecret?: string; mounted?: boolean; confirmed?: object } = {};
  const factory: StripeFactory = (key) => {
    calls.key = key;
    return {
      elements: ({ clientSecret }) => {
        calls.clientSecret = clientSecret;
        return {
          create: () => ({
            mount: (target) => {
              calls.mounted = true;
              target.innerHTML = '<input aria-label="Card number" />';
            },
            destroy: () => {},
          }),
        };
      },
      confirmPayment: async (options) => {
        calls.confirmed = options.confirmParams;
        return outcome.error
          ? { error: outcome.error }
          : { paymentIntent: { id: 'pi_123', status: 'succeeded' } };
      },
    };
  };
  window.Stripe = factory;
  return calls;
}

const renderPage = () =>
  renderApp(
    <Routes>
      <Route path="/pay/:bookingId" element={<StripePayPage />} />
      <Route path="/bookings/:id" element={<p>Booking page</p>} />
    </Routes>,
    { path: '/pay/b1' },
  );

describe('StripePayPage', () => {
  beforeEach(() => serveApi({ provider: 'stripe', publishableKey: 'pk_test_web' }));
  afterEach(() => {
    vi.unstubAllGlobals();
    delete window.Stripe;
  });

  it('mounts the Payment Element with the booking’s client secret and confirms, then follows the booking', async () => {
    const calls = standInStripe({});
    const user = userEvent.setup();
    renderPage();
    const pay = await screen.findByRole('button', { name: /Pay €45\.00/ });
    await waitFor(() => expect((pay as HTMLButtonElement).disabled).toBe(false));
    expect(calls).toMatchObject({ key: 'pk_test_web', clientSecret: 'pi_123_secret_abc', mounted: true });
    expect(screen.getByLabelText('Card number')).toBeTruthy();
    await user.click(pay);
    expect(await screen.findByText('Booking page')).toBeTruthy();
    expect(calls.confirmed).toEqual({ return_url: `${window.location.origin}/bookings/b1?new=1` });
  });

  it('a date of a paid series (reached from the booking, no series in the address) shows and pays the series total', async () => {
    serveApi({ provider: 'stripe', publishableKey: 'pk_test_web' }, { ...booking, seriesId: 'se1' });
    const calls = standInStripe({});
    const user = userEvent.setup();
    renderApp(
      <Routes>
        <Route path="/pay/:bookingId" element={<StripePayPage />} />
        <Route path="/series/:id" element={<p>Series page</p>} />
      </Routes>,
      { path: '/pay/b1' },
    );
    // Never one date's price for the whole series' payment.
    const pay = await screen.findByRole('button', { name: 'Pay €360.00' });
    expect(screen.queryByText(/€45\.00/)).toBeNull();
    expect(screen.getByText(/8 visits, every week/)).toBeTruthy();
    await waitFor(() => expect((pay as HTMLButtonElement).disabled).toBe(false));
    await user.click(pay);
    expect(await screen.findByText('Series page')).toBeTruthy();
    expect(calls.confirmed).toEqual({ return_url: `${window.location.origin}/series/se1?new=1` });
  });

  it('says in plain words what to do after a decline, and stays on the page to try again', async () => {
    standInStripe({
      error: { type: 'card_error', code: 'card_declined', decline_code: 'insufficient_funds', message: 'x' },
    });
    const user = userEvent.setup();
    renderPage();
    const pay = await screen.findByRole('button', { name: /Pay €45\.00/ });
    await waitFor(() => expect((pay as HTMLButtonElement).disabled).toBe(false));
    await user.click(pay);
    const alert = (await screen.findByRole('alert')).textContent;
    expect(alert).toContain('The card does not have enough funds for this payment. Try another card.');
    expect(alert).toContain('You have not been charged');
    expect(screen.queryByText('Booking page')).toBeNull();
  });

  it('sends a booking that is not Stripe’s to pay back to the booking page', async () => {
    serveApi({ provider: 'simulated' });
    renderPage();
    expect(await screen.findByText('Booking page')).toBeTruthy();
  });
});
