import type { PatientProfile } from '@carebook/contracts';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderApp } from '../../test/render';
import { FirstBookingDetails, ProfileSection } from './ProfileSection';

/** The profile API as the server behaves: PATCH changes the fields sent. */
function serveProfile(
  start: PatientProfile = { phone: null, dateOfBirth: null, preferredLanguage: null, complete: false },
) {
  let profile = start;
  const sent: unknown[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (_input: RequestInfo | URL, init?: RequestInit) => {
      if (init?.method === 'PATCH') {
        const body = JSON.parse(String(init.body));
        sent.push(body);
        profile = { ...profile, ...body };
        profile.complete = !!profile.phone && !!profile.dateOfBirth;
      }
      return new Response(JSON.stringify(profile), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    }),
  );
  return sent;
}

describe('ProfileSection', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('checks the phone format and the date before saving, then saves the normalised number', async () => {
    const sent = serveProfile();
    const user = userEvent.setup();
    renderApp(<ProfileSection requireAll />);
    const phone = await screen.findByLabelText(/^Phone number/);
    await user.click(screen.getByRole('button', { name: 'Save details' }));
    expect(screen.getByText('Enter a phone number the practice can reach you on.')).toBeTruthy();
    expect(screen.getByText('Enter your date of birth.')).toBeTruthy();
    // Focus goes to the first field in error, where its message is read.
    expect(document.activeElement).toBe(phone);
    await user.type(phone, '0171 555');
    await user.click(screen.getByRole('button', { name: 'Save details' }));
    expect(screen.getByText(/with its country code/)).toBeTruthy();
    expect(phone.getAttribute('aria-invalid')).toBe('true');
    expect(sent).toEqual([]);
    await user.clear(phone);
    await user.type(phone, '+1 (415) 555-0123');
    await user.click(screen.getByRole('button', { name: 'Save details' }));
    expect(document.activeElement).toBe(screen.getByLabelText('Date of birth'));
    await user.type(screen.getByLabelText('Date of birth'), '1985-04-23');
    await user.selectOptions(screen.getByLabelText('Preferred language'), 'es');
    await user.click(screen.getByRole('button', { name: 'Save details' }));
    expect((await screen.findByRole('status')).textContent).toContain('Your details are saved.');
    expect(sent).toEqual([{ phone: '+14155550123', dateOfBirth: '1985-04-23', preferredLanguage: 'es' }]);
  });

  it('asks at a booking only when phone or date of birth is missing', async () => {
    serveProfile({
      phone: '+14155550123',
      dateOfBirth: '1985-04-23',
      preferredLanguage: null,
      complete: true,
    });
    const { container, queryClient } = renderApp(<FirstBookingDetails />);
    await vi.waitFor(() => expect(queryClient.getQueryData(['me', 'profile'])).toBeTruthy());
    expect(container.textContent).toBe('');
    vi.unstubAllGlobals();
    serveProfile();
    renderApp(<FirstBookingDetails />);
    expect(await screen.findByRole('region', { name: 'Your details for clinics' })).toBeTruthy();
  });
});
