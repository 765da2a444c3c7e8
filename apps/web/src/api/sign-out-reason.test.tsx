import { screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SignInPage } from '../features/auth/SignInPage';
import { renderApp } from '../test/render';
import { apiRequest } from './client';
import { ApiError } from './problem';
import { tokens } from './tokens';

const suspended = () =>
  new Response(
    JSON.stringify({
      type: 'urn:carebook:problem:account-suspended',
      title: 'The account is suspended',
      status: 403,
      code: 'ACCOUNT_SUSPENDED',
      detail: 'This account is suspended: repeated no-shows. Contact support if you think this is a mistake.',
      requestId: 'r1',
    }),
    { status: 403, headers: { 'content-type': 'application/problem+json' } },
  );

describe('a session suspended while open', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    tokens.clear();
  });

  it('ends at the next request, and the sign-in page says why instead of redirecting silently', async () => {
    tokens.set({ accessToken: 'access', refreshToken: 'refresh-token-value' });
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => suspended()),
    );
    const signedOut = vi.fn();
    const unsubscribe = tokens.subscribe((ok) => !ok && signedOut());
    await expect(apiRequest('/api/v1/me')).rejects.toBeInstanceOf(ApiError);
    unsubscribe();
    expect(tokens.access()).toBeNull();
    expect(tokens.refresh()).toBeNull();
    expect(signedOut).toHaveBeenCalled();
    renderApp(<SignInPage />, { path: '/sign-in' });
    expect(screen.getByRole('alert').textContent).toMatch(/signed out.*suspended: repeated no-shows/);
  });

  it('another 403 (a forbidden action) keeps the session', async () => {
    tokens.set({ accessToken: 'access', refreshToken: 'refresh-token-value' });
    vi.stubGlobal(
      'fetch',
      vi.fn(
        async () =>
          new Response(
            JSON.stringify({ status: 403, code: 'FORBIDDEN', detail: 'No.', title: 'x', type: 'x' }),
            {
              status: 403,
            },
          ),
      ),
    );
    await expect(apiRequest('/api/v1/admin/users')).rejects.toBeInstanceOf(ApiError);
    expect(tokens.access()).toBe('access');
  });
});
