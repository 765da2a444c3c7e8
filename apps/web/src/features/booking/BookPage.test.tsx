import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { slotChosen } from '../../app/booking-draft-slice';
import { signedIn, signedOut } from '../../app/session-slice';
import { makeStore } from '../../app/store';
import { renderApp } from '../../test/render';
import { PATIENT } from '../../test/users';
import { BookPage } from './BookPage';

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

  it('a paid service offers no series here, and says that a paid series is booked through the API only', async () => {
    const user = userEvent.setup();
    const store = makeStore();
    store.dispatch(signedIn(PATIENT));
    store.dispatch(choose(4500));
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => Response.json({ id: 'p1', allowsRecurring: true, services: [] }, { status: 200 })),
    );
    renderApp(<BookPage />, { store });
    await user.type(screen.getByLabelText('What would you like help with?'), 'Itchy rash');
    await user.click(screen.getByRole('button', { name: 'Continue' }));
    expect(await screen.findByText(/booked through the API only/)).toBeTruthy();
    expect(screen.queryByRole('group', { name: 'How often?' })).toBeNull();
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
