import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { tokens } from '../../api/tokens';
import { signedIn } from '../../app/session-slice';
import { renderApp } from '../../test/render';
import { DataRightsSection } from './DataRightsSection';

const PASSWORD = 'correct-horse-battery';

/** The data-rights API as the server answers: exports, and DELETE /me that checks the password. */
function serve(opts: { blocked?: boolean } = {}) {
  const calls: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input).replace(/^https?:\/\/[^/]+/, '');
      const method = init?.method ?? 'GET';
      calls.push(`${method} ${url}`);
      const problem = (status: number, body: Record<string, unknown>) =>
        new Response(JSON.stringify({ type: 'urn:x', title: 'x', status, requestId: 'r', ...body }), {
          status,
          headers: { 'content-type': 'application/problem+json' },
        });
      if (url === '/api/v1/me/export')
        return new Response('{"format":"carebook-export/1"}', {
          headers: { 'content-type': 'application/json' },
        });
      if (url === '/api/v1/me/export/bookings.ics')
        return new Response('BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n', {
          headers: { 'content-type': 'text/calendar' },
        });
      if (url === '/api/v1/me' && method === 'DELETE') {
        const { password } = JSON.parse(String(init?.body)) as { password: string };
        if (password !== PASSWORD)
          return problem(400, {
            code: 'VALIDATION_FAILED',
            detail: 'The password is not correct.',
            errors: [{ path: '/body/password', message: 'is not correct' }],
          });
        if (opts.blocked)
          return problem(409, {
            code: 'ERASURE_BLOCKED',
            detail: 'Some bookings cannot be cancelled online any more.',
            errors: [
              {
                path: '/bookings/b1',
                message: 'confirmed, Check-up with Dr. Ana at 2030-01-01T10:00:00.000Z',
              },
            ],
          });
        return new Response(
          JSON.stringify({
            userId: 'u1',
            erasedAt: '2030-01-01T00:00:00.000Z',
            bookingsCancelled: 1,
            bookingsKept: 2,
          }),
          { headers: { 'content-type': 'application/json' } },
        );
      }
      return problem(404, { code: 'NOT_FOUND', detail: 'no' });
    }),
  );
  return calls;
}

function signedInStore() {
  const view = renderApp(<DataRightsSection />, { path: '/account' });
  view.store.dispatch(
    signedIn({
      id: 'u1',
      email: 'pat@example.test',
      displayName: 'Pat',
      role: 'patient',
      status: 'active',
      verified: true,
      emailVerified: true,
      providerId: null,
      createdAt: '2030-01-01T00:00:00.000Z',
    }),
  );
  return view;
}

describe('DataRightsSection', () => {
  beforeEach(() => {
    tokens.set({ accessToken: 'a', refreshToken: 'r' });
    vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:x');
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
    tokens.clear();
  });

  it('downloads the data as JSON and the bookings as a calendar file', async () => {
    const calls = serve();
    const user = userEvent.setup();
    signedInStore();
    await user.click(screen.getByRole('button', { name: 'Download my data (JSON)' }));
    expect(await screen.findByRole('status')).toHaveProperty('textContent', 'Your data file is downloading.');
    await user.click(screen.getByRole('button', { name: 'Download my bookings (.ics)' }));
    await waitFor(() =>
      expect(screen.getByRole('status').textContent).toBe('Your calendar file is downloading.'),
    );
    expect(calls).toEqual(['GET /api/v1/me/export', 'GET /api/v1/me/export/bookings.ics']);
  });

  it('confirms in a labelled dialog that says what happens, checks the password, and returns focus on Escape', async () => {
    const calls = serve();
    const user = userEvent.setup();
    signedInStore();
    const trigger = screen.getByRole('button', { name: 'Delete my account' });
    await user.click(trigger);
    const dialog = screen.getByRole('dialog', { name: 'Delete your account?' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    const description =
      document.getElementById(dialog.getAttribute('aria-describedby') ?? '')?.textContent ?? '';
    expect(description).toMatch(/upcoming bookings are cancelled/);
    expect(description).toMatch(/refunded in full/);
    expect(description).toMatch(/Former patient/);
    const field = screen.getByLabelText('Your password');
    expect(document.activeElement).toBe(field);

    await user.click(screen.getByRole('button', { name: 'Delete my account permanently' }));
    expect(screen.getByText('Enter your password to confirm.')).toBeTruthy();
    expect(calls).toEqual([]);
    await user.type(field, 'wrong password');
    await user.click(screen.getByRole('button', { name: 'Delete my account permanently' }));
    expect(await screen.findByText('The password is not correct.')).toBeTruthy();
    expect(document.activeElement).toBe(field);

    // Tab stays inside the dialog.
    await user.tab();
    await user.tab();
    await user.tab();
    expect(dialog.contains(document.activeElement)).toBe(true);
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(trigger);
  });

  it('after deletion the session is forgotten (signed out)', async () => {
    const calls = serve();
    const user = userEvent.setup();
    const { store } = signedInStore();
    await user.click(screen.getByRole('button', { name: 'Delete my account' }));
    await user.type(screen.getByLabelText('Your password'), PASSWORD);
    await user.click(screen.getByRole('button', { name: 'Delete my account permanently' }));
    await waitFor(() => expect(store.getState().session.status).toBe('signedOut'));
    expect(tokens.access()).toBeNull();
    expect(calls).toEqual(['DELETE /api/v1/me']);
  });

  it('shows why an erasure is refused, with the bookings in the way', async () => {
    serve({ blocked: true });
    const user = userEvent.setup();
    const { store } = signedInStore();
    await user.click(screen.getByRole('button', { name: 'Delete my account' }));
    await user.type(screen.getByLabelText('Your password'), PASSWORD);
    await user.click(screen.getByRole('button', { name: 'Delete my account permanently' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/Check-up with Dr. Ana/);
    expect(store.getState().session.status).toBe('signedIn');
  });
});
