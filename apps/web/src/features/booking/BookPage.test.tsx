import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { slotChosen } from '../../app/booking-draft-slice';
import { signedOut } from '../../app/session-slice';
import { makeStore } from '../../app/store';
import { renderApp } from '../../test/render';
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
});
