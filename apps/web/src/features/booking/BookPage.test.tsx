import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useLocation } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { slotChosen } from '../../app/booking-draft-slice';
import { signedIn, signedOut } from '../../app/session-slice';
import { makeStore } from '../../app/store';
import { renderApp } from '../../test/render';
import { PATIENT } from '../../test/users';
import { BookPage } from './BookPage';

/** Where the app navigated to (the router is in memory). */
function Where() {
  const here = useLocation();
  return <p data-testid="where">{here.pathname + here.search}</p>;
}

describe('BookPage', () => {
  it('asks for a slot first when there is no draft', () => {
    renderApp(<BookPage />);
    expect(screen.getByRole('heading', { name: 'Choose a time first' })).toBeTruthy();
  });

  it('walks reason for visit → inline sign-in, keeping the choice in the summary', async () => {
    const user = userEvent.setup();
    const store = makeStore();
    store.dispatch(signedOut());
    store.dispatch(
      slotChosen({
        providerId: 'p1',
        providerName: 'Harbour Clinic',
        serviceId: 's1',
        serviceName: 'Skin check',
        priceCents: 4500,
        currency: 'EUR',
        durationMinutes: 20,
        start: '2030-01-07T09:00:00.000Z',
        end: '2030-01-07T09:20:00.000Z',
        timeZone: 'Europe/Berlin',
        idempotencyKey: 'k1',
      }),
    );
    renderApp(<BookPage />, { store });
    expect(screen.getByText('Harbour Clinic')).toBeTruthy();
    expect(screen.getByText(/Europe\/Berlin/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    expect(screen.getByText(/at least 3 characters/)).toBeTruthy();
    await user.type(screen.getByLabelText('What would you like help with?'), 'Itchy rash');
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    expect(screen.getByRole('heading', { name: 'Sign in or create an account to book' })).toBeTruthy();
    expect(store.getState().bookingDraft.draft?.reasonForVisit).toBe('Itchy rash');
    expect(screen.getByRole('listitem', { current: 'step' }).textContent).toContain('Your account');
  });

  const choose = (priceCents: number) =>
    slotChosen({
      providerId: 'p1',
      providerName: 'Harbour Clinic',
      serviceId: 's1',
      serviceName: priceCents ? 'Skin check' : 'Free consultation',
      priceCents,
      currency: 'EUR',
      durationMinutes: 20,
      start: '2030-01-07T09:00:00.000Z',
      end: '2030-01-07T09:20:00.000Z',
      timeZone: 'Europe/Berlin',
      idempotencyKey: 'k1',
    });

  it('a free booking has no payment step and no word of paying, and confirms at once', async () => {
    const user = userEvent.setup();
    const store = makeStore();
    store.dispatch(signedIn(PATIENT));
    store.dispatch(choose(0));
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Response.json({ id: 'b1', status: 'confirmed', payment: null }, { status: 201 })),
    );
    const { container } = renderApp(<BookPage />, { store });
    await user.type(screen.getByLabelText('What would you like help with?'), 'First check-up');
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    expect(screen.getByRole('heading', { name: 'Confirm your booking' })).toBeTruthy();
    expect(screen.getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      '✓Reason for visit',
      '✓Your account',
      '3Confirm',
    ]);
    expect(container.textContent).not.toMatch(/\bpay|payment|checkout|card\b/i);
    expect(screen.getByText('Free')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Confirm booking' }));
    await vi.waitFor(() => expect(store.getState().bookingDraft.draft).toBeNull());
    vi.unstubAllGlobals();
  });

  it('a paid booking keeps its payment step', () => {
    const store = makeStore();
    store.dispatch(signedIn(PATIENT));
    store.dispatch(choose(4500));
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Response.json({ id: 'p1', allowsRecurring: false, services: [] }, { status: 200 })),
    );
    renderApp(<BookPage />, { store });
    expect(screen.getAllByRole('listitem').at(-1)?.textContent).toBe('4Payment');
    vi.unstubAllGlobals();
  });

  it('a paid service offers the series with its total, and books it into one payment for every date', async () => {
    const user = userEvent.setup();
    const store = makeStore();
    store.dispatch(signedIn(PATIENT));
    store.dispatch(choose(4500));
    const occurrence = (n: number) => ({
      occurrence: n,
      booking: {
        id: `b${n}`,
        status: 'payment_pending',
        payment: {
          intentId: 'pi_sim_series',
          clientSecret: 'pi_sim_series_secret_x',
          checkoutUrl: null,
          status: 'requires_payment_method',
        },
      },
    });
    const fetchMock = vi.fn(async (url: string, _init?: RequestInit) =>
      url.endsWith('/api/v1/booking-series')
        ? Response.json(
            { id: 'se1', items: [1, 2, 3, 4].map(occurrence), totalCents: 18000, currency: 'EUR' },
            { status: 201 },
          )
        : Response.json({ id: 'p1', allowsRecurring: true, services: [] }, { status: 200 }),
    );
    vi.stubGlobal('fetch', fetchMock);
    renderApp(
      <>
        <BookPage />
        <Where />
      </>,
      { store },
    );
    await user.type(screen.getByLabelText('What would you like help with?'), 'Itchy rash');
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    await user.click(await screen.findByRole('radio', { name: 'Repeat at the same time' }));
    // One payment for every date, and the amount says so before anything is booked.
    expect(screen.getByTestId('series-total').textContent).toMatch(/all 4 visits: €180\.00/);
    await user.click(screen.getByRole('button', { name: 'Book 4 visits and pay' }));
    // The series' one payment: the built-in checkout of its first date, told it pays the series.
    await vi.waitFor(() =>
      expect(screen.getByTestId('where').textContent).toBe('/checkout/pi_sim_series?booking=b1&series=se1'),
    );
    const seriesCall = fetchMock.mock.calls.find(([u]) => String(u).endsWith('/api/v1/booking-series'));
    expect(JSON.parse(String(seriesCall?.[1]?.body))).toMatchObject({
      occurrences: 4,
      intervalWeeks: 1,
    });
    vi.unstubAllGlobals();
  });

  it('the reason typed survives going back to pick another time', async () => {
    const user = userEvent.setup();
    const store = makeStore();
    store.dispatch(signedOut());
    store.dispatch(choose(4500));
    const first = renderApp(<BookPage />, { store });
    await user.type(screen.getByLabelText('What would you like help with?'), 'Itchy rash');
    first.unmount();
    // Back on the profile, another time of the same provider.
    store.dispatch({
      ...choose(4500),
      payload: { ...choose(4500).payload, start: '2030-01-07T10:00:00.000Z' },
    });
    renderApp(<BookPage />, { store });
    expect((screen.getByLabelText('What would you like help with?') as HTMLTextAreaElement).value).toBe(
      'Itchy rash',
    );
  });
});
