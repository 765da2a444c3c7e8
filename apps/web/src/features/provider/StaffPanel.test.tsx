import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signedIn } from '../../app/session-slice';
import { makeStore } from '../../app/store';
import { renderApp } from '../../test/render';
import { PATIENT } from '../../test/users';
import { StaffPanel } from './StaffPanel';

const PROVIDER = { ...PATIENT, id: 'u2', role: 'provider' as const, providerId: 'p1' };

describe('StaffPanel', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('keeps focus on the address field after a mistyped address and after sending, the outcome next to it', async () => {
    const sent: unknown[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
        const path = new URL(String(input), 'http://localhost').pathname;
        if (path === '/api/v1/provider/staff/invitations' && init?.method === 'POST') {
          const body = JSON.parse(String(init.body)) as { email: string };
          sent.push(body);
          return Response.json({
            id: '0190a0a0-0000-7000-8000-0000000000e1',
            email: body.email,
            status: 'pending',
            createdAt: '2030-01-01T00:00:00.000Z',
            expiresAt: '2030-01-08T00:00:00.000Z',
          });
        }
        return Response.json({ staff: [], invitations: [] });
      }),
    );
    const store = makeStore();
    store.dispatch(signedIn(PROVIDER));
    const user = userEvent.setup();
    renderApp(<StaffPanel />, { store });
    const field = await screen.findByLabelText('Invite by e-mail');
    await user.type(field, 'sam.example.org');
    await user.click(screen.getByRole('button', { name: 'Send invitation' }));
    expect(document.activeElement).toBe(field);
    expect(field.getAttribute('aria-invalid')).toBe('true');
    expect(sent).toEqual([]);

    await user.clear(field);
    await user.type(field, 'sam@example.org');
    await user.click(screen.getByRole('button', { name: 'Send invitation' }));
    expect((await screen.findByRole('status')).textContent).toMatch(/^Invitation sent to sam@example\.org\./);
    expect(document.activeElement).toBe(field);
    expect(sent).toEqual([{ email: 'sam@example.org' }]);
  });
});
