import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { renderApp } from '../../test/render';
import { AuthPanel } from './AuthPanel';

describe('AuthPanel', () => {
  it('validates inline, with messages tied to their fields, before calling the API', async () => {
    const user = userEvent.setup();
    renderApp(<AuthPanel initialMode="register" />);
    await user.type(screen.getByLabelText('E-mail'), 'not-an-email');
    await user.type(screen.getByLabelText(/^Password/), 'short');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    const email = screen.getByLabelText('E-mail');
    expect(email.getAttribute('aria-invalid')).toBe('true');
    expect(email.getAttribute('aria-describedby')).toBeTruthy();
    expect(screen.getByText('Enter an e-mail address like name@example.com.')).toBeTruthy();
    expect(screen.getByText('Use at least 10 characters.')).toBeTruthy();
    expect(screen.getByText('Enter your name.')).toBeTruthy();
  });

  it('switches between signing in and registering', async () => {
    const user = userEvent.setup();
    renderApp(<AuthPanel />);
    expect(screen.queryByLabelText('Your name')).toBeNull();
    await user.click(screen.getByRole('button', { name: "I'm new here" }));
    expect(screen.getByLabelText('Your name')).toBeTruthy();
    expect(screen.getByRole('button', { name: "I'm new here" }).getAttribute('aria-pressed')).toBe('true');
  });
});
