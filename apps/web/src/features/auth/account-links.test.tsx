import type { User } from '@carebook/contracts';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signedIn } from '../../app/session-slice';
import { makeStore } from '../../app/store';
import { renderApp } from '../../test/render';
import { AuthPanel } from './AuthPanel';
import { EmailVerificationBanner } from './EmailVerificationBanner';
import { ForgotPasswordPage } from './ForgotPasswordPage';
import { ResetPasswordPage } from './ResetPasswordPage';
import { VerifyEmailPage } from './VerifyEmailPage';

const TOKEN = 'a'.repeat(43);
const json = (status: number, body: unknown) =>
  new Response(body === null ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json' },
  });
const problem = (status: number, code: string, detail: string) =>
  json(status, { type: `urn:carebook:problem:${code}`, title: code, status, code, detail, requestId: 'r' });

/** Answers each path with the given responses in turn, and records what was sent. */
function serve(routes: Record<string, (body: unknown) => Response>) {
  const calls: { path: string; body: unknown }[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const path = String(input).replace(/^https?:\/\/[^/]+/, '');
      const body = init?.body ? JSON.parse(String(init.body)) : undefined;
      calls.push({ path, body });
      const route = routes[path];
      return route ? route(body) : problem(404, 'NOT_FOUND', 'no such route');
    }),
  );
  return calls;
}

const user: User = {
  id: '0190a000-0000-7000-8000-000000000001',
  email: 'pat@example.test',
  displayName: 'Pat',
  role: 'patient',
  status: 'active',
  verified: true,
  emailVerified: false,
  providerId: null,
  createdAt: '2026-11-24T12:00:00.000Z',
};

describe('account links', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('after a sign-up says "check your e-mail" and offers sign-in, never signing in by itself', async () => {
    const calls = serve({
      '/api/v1/auth/register': () =>
        json(202, { status: 'verification_sent', message: 'Check your e-mail.' }),
    });
    const u = userEvent.setup();
    const { store } = renderApp(<AuthPanel initialMode="register" />);
    await u.type(screen.getByLabelText('Your name'), 'Pat Example');
    await u.type(screen.getByLabelText('E-mail'), 'pat@example.test');
    await u.type(screen.getByLabelText(/^Password/), 'a-long-password');
    await u.click(screen.getByRole('button', { name: 'Create account' }));
    expect((await screen.findByRole('status')).textContent).toMatch(/Check your e-mail.*pat@example\.test/);
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Forgot your password?' }).getAttribute('href')).toBe(
      '/forgot-password',
    );
    expect(calls.map((c) => c.path)).toEqual(['/api/v1/auth/register']);
    expect(store.getState().session.user).toBeNull();
  });

  it('tells the password holder of an unconfirmed address to confirm it, with "Send the link again"', async () => {
    const answers = [
      problem(
        403,
        'EMAIL_NOT_CONFIRMED',
        'Confirm your e-mail address to sign in: we have sent you a new link.',
      ),
      problem(
        403,
        'EMAIL_NOT_CONFIRMED',
        'Confirm your e-mail address to sign in: open the link we sent you.',
      ),
      json(200, {
        user: { ...user, emailVerified: true },
        tokens: {
          accessToken: 'a',
          tokenType: 'Bearer',
          expiresIn: 900,
          refreshToken: 'r',
          refreshExpiresAt: '2026-12-01T00:00:00.000Z',
          sessionId: user.id,
        },
      }),
    ];
    const calls = serve({ '/api/v1/auth/login': () => answers.shift() as Response });
    const u = userEvent.setup();
    const { store } = renderApp(<AuthPanel />);
    await u.type(screen.getByLabelText('E-mail'), 'pat@example.test');
    await u.type(screen.getByLabelText(/^Password/), 'a-long-password');
    await u.click(screen.getByRole('button', { name: 'Sign in' }));
    const region = await screen.findByRole('region', { name: 'Confirm your e-mail address' });
    expect(region.textContent).toMatch(/we have sent you a new link/);
    expect(screen.queryByRole('alert')).toBeNull();
    expect(store.getState().session.user).toBeNull();
    await u.click(screen.getByRole('button', { name: 'Send the link again' }));
    await waitFor(() => expect(region.textContent).toMatch(/open the link we sent you/));
    // Confirmed meanwhile: the same button (another sign-in) now signs in.
    await u.click(screen.getByRole('button', { name: 'Send the link again' }));
    await waitFor(() => expect(store.getState().session.user?.emailVerified).toBe(true));
    expect(screen.queryByRole('region', { name: 'Confirm your e-mail address' })).toBeNull();
    expect(calls.map((c) => c.path)).toEqual([
      '/api/v1/auth/login',
      '/api/v1/auth/login',
      '/api/v1/auth/login',
    ]);
  });

  it('asks for a reset link and shows the same confirmation for any address', async () => {
    const calls = serve({
      '/api/v1/auth/password-reset': () =>
        json(202, {
          status: 'reset_link_sent',
          message: 'If an account uses this address, we have sent it a link.',
        }),
    });
    const u = userEvent.setup();
    renderApp(<ForgotPasswordPage />);
    await u.click(screen.getByRole('button', { name: 'Send reset link' }));
    expect(screen.getByText('Enter an e-mail address like name@example.com.')).toBeTruthy();
    await u.type(screen.getByLabelText('E-mail'), 'who@example.test');
    await u.click(screen.getByRole('button', { name: 'Send reset link' }));
    expect((await screen.findByRole('status')).textContent).toMatch(/If an account uses this address/);
    expect(calls).toEqual([{ path: '/api/v1/auth/password-reset', body: { email: 'who@example.test' } }]);
  });

  it('sets a new password from the link in the fragment, then points to sign-in', async () => {
    const calls = serve({ '/api/v1/auth/password-reset/confirm': () => json(200, { sessionsRevoked: 2 }) });
    const u = userEvent.setup();
    renderApp(<ResetPasswordPage />, { path: `/reset-password#token=${TOKEN}` });
    await u.type(screen.getByLabelText(/^New password/), 'a-new-password-1');
    await u.type(screen.getByLabelText('Repeat the new password'), 'a-new-password-2');
    await u.click(screen.getByRole('button', { name: 'Set new password' }));
    expect(screen.getByText('The two passwords differ.')).toBeTruthy();
    expect(calls).toHaveLength(0);
    await u.clear(screen.getByLabelText('Repeat the new password'));
    await u.type(screen.getByLabelText('Repeat the new password'), 'a-new-password-1');
    await u.click(screen.getByRole('button', { name: 'Set new password' }));
    expect((await screen.findByRole('status')).textContent).toMatch(/password has been changed/);
    expect(screen.getByRole('link', { name: 'Sign in' })).toBeTruthy();
    expect(calls).toEqual([
      {
        path: '/api/v1/auth/password-reset/confirm',
        body: { token: TOKEN, newPassword: 'a-new-password-1' },
      },
    ]);
  });

  it('says plainly when a reset link has expired or was used, with a way to get a new one', async () => {
    serve({
      '/api/v1/auth/password-reset/confirm': () =>
        problem(400, 'ACCOUNT_LINK_INVALID', 'This link is not valid.'),
    });
    const u = userEvent.setup();
    renderApp(<ResetPasswordPage />, { path: `/reset-password#token=${TOKEN}` });
    await u.type(screen.getByLabelText(/^New password/), 'a-new-password-1');
    await u.type(screen.getByLabelText('Repeat the new password'), 'a-new-password-1');
    await u.click(screen.getByRole('button', { name: 'Set new password' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/expired or was already used/);
    expect(screen.getByRole('link', { name: 'Ask for a new link' }).getAttribute('href')).toBe(
      '/forgot-password',
    );
  });

  it('confirms the address once and updates a signed-in tab, so the banner goes away', async () => {
    const calls = serve({
      '/api/v1/auth/verify-email': () =>
        json(200, { email: user.email, emailVerifiedAt: '2026-11-24T12:05:00.000Z' }),
      '/api/v1/me': () => json(200, { ...user, emailVerified: true }),
    });
    const store = makeStore();
    store.dispatch(signedIn(user));
    renderApp(
      <>
        <EmailVerificationBanner />
        <VerifyEmailPage />
      </>,
      { path: `/verify-email#token=${'b'.repeat(43)}`, store },
    );
    expect(screen.getByRole('region', { name: 'Confirm your e-mail address' })).toBeTruthy();
    expect(await screen.findByText(/pat@example\.test is confirmed/)).toBeTruthy();
    await waitFor(() =>
      expect(screen.queryByRole('region', { name: 'Confirm your e-mail address' })).toBeNull(),
    );
    expect(calls.filter((c) => c.path === '/api/v1/auth/verify-email')).toHaveLength(1);
  });

  it('offers a resend from the banner and announces it', async () => {
    const calls = serve({ '/api/v1/auth/verify-email/resend': () => new Response(null, { status: 204 }) });
    const store = makeStore();
    store.dispatch(signedIn(user));
    const u = userEvent.setup();
    renderApp(<EmailVerificationBanner />, { store });
    await u.click(screen.getByRole('button', { name: 'Send the link again' }));
    expect((await screen.findByRole('status')).textContent).toContain('We have sent you a new link.');
    expect(calls.map((c) => c.path)).toEqual(['/api/v1/auth/verify-email/resend']);
  });
});
