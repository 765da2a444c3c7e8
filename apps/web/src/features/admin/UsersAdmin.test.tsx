import type { User } from '@carebook/contracts';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signedIn } from '../../app/session-slice';
import { makeStore } from '../../app/store';
import { renderApp } from '../../test/render';
import { PATIENT } from '../../test/users';
import { UsersAdmin } from './UsersAdmin';

const ADMIN: User = { ...PATIENT, id: 'a1', role: 'admin', displayName: 'Ada Admin' };

describe('UsersAdmin suspend with a reason', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('starts in the reason field, says the rule, and gives focus back to the row button when done or cancelled', async () => {
    let sam: User = { ...PATIENT, id: 'u9', displayName: 'Sam Suspendable' };
    const reasons: unknown[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
        const path = new URL(String(input), 'http://localhost').pathname;
        if (path.startsWith('/api/v1/admin/users/u9') && init?.method === 'POST') {
          reasons.push(JSON.parse(String(init.body)));
          sam = { ...sam, status: 'suspended' };
          return Response.json(sam);
        }
        return Response.json({ items: [sam], page: 1, pageSize: 20, total: 1 });
      }),
    );
    const store = makeStore();
    store.dispatch(signedIn(ADMIN));
    const user = userEvent.setup();
    renderApp(<UsersAdmin />, { store });
    const row = (await screen.findByText('Sam Suspendable')).closest('tr') as HTMLElement;

    await user.click(within(row).getByRole('button', { name: 'Suspend Sam Suspendable' }));
    const reason = within(row).getByLabelText('Reason');
    expect(document.activeElement).toBe(reason);
    expect(document.getElementById(reason.getAttribute('aria-describedby') ?? '')?.textContent).toBe(
      'At least 3 characters.',
    );
    await user.click(within(row).getByRole('button', { name: 'Cancel' }));
    expect(document.activeElement).toBe(within(row).getByRole('button', { name: 'Suspend Sam Suspendable' }));

    await user.click(within(row).getByRole('button', { name: 'Suspend Sam Suspendable' }));
    await user.type(within(row).getByLabelText('Reason'), 'Repeated no-shows');
    await user.click(within(row).getByRole('button', { name: 'Suspend' }));
    const reinstate = await within(row).findByRole('button', { name: 'Reinstate Sam Suspendable' });
    expect(document.activeElement).toBe(reinstate);
    expect(reasons).toHaveLength(1);
  });
});
