import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { practiceBooking, servePractice } from '../../test/practice-fixtures';
import { renderApp } from '../../test/render';
import { DashboardPage } from './DashboardPage';

const HOUR = 3_600_000;
const minute = (ms: number) => new Date(Math.floor(ms / 60_000) * 60_000).toISOString();

describe('DashboardPage: who is coming', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('lists each patient with new or returning, phone and e-mail, reason and the time in the practice zone', async () => {
    const now = Date.now();
    const inProgress = practiceBooking(minute(now - 10 * 60_000), 30, {
      status: 'in_progress',
      allowedActions: ['complete', 'no_show'],
      patient: { id: 'p1', name: 'Aylin Demir', email: 'aylin@example.org', phone: null },
    });
    const later = practiceBooking(minute(now + 72 * HOUR), 30, {
      newPatient: false,
      reasonForVisit: 'Dry eyes when reading',
      patient: { id: 'p2', name: 'Marta Nowak', email: 'marta@example.org', phone: '+49 69 1234 5678' },
    });
    const calls = servePractice({ bookings: [inProgress, later], open: [] });
    renderApp(<DashboardPage />, { path: '/provider' });

    const action = await screen.findByRole('region', { name: /Needs your action/ });
    const acting = within(action).getByTestId('dashboard-booking');
    expect(acting.textContent).toContain('Aylin Demir');
    expect(within(acting).getByText('New patient')).toBeTruthy();
    expect(within(acting).getByRole('button', { name: 'Mark completed' })).toBeTruthy();
    expect(within(acting).getByRole('button', { name: 'No-show' })).toBeTruthy();

    const upcoming = screen.getByRole('region', { name: /Upcoming/ });
    const row = within(upcoming).getByTestId('dashboard-booking');
    expect(within(row).getByRole('heading').textContent).toMatch(
      /–.*(GMT\+1|CET|GMT\+2|CEST) · Marta Nowak$/,
    );
    expect(within(row).getByText('Returning')).toBeTruthy();
    expect(
      within(row)
        .getByRole('link', { name: /Call Marta Nowak/ })
        .getAttribute('href'),
    ).toBe('tel:+496912345678');
    expect(
      within(row)
        .getByRole('link', { name: /E-mail Marta Nowak/ })
        .getAttribute('href'),
    ).toBe('mailto:marta@example.org');
    expect(within(row).getByText('Reason: “Dry eyes when reading”')).toBeTruthy();
    expect(within(row).queryByRole('button', { name: 'Mark completed' })).toBeNull();
    // One read of every listing the provider manages, from a day back to a month ahead.
    await waitFor(() =>
      expect(calls.some((c) => c.startsWith('/api/v1/practice/schedule?from='))).toBe(true),
    );
    const all = calls.find((c) => c.startsWith('/api/v1/practice/schedule?') && !c.includes('providerId'));
    const q = new URLSearchParams(all?.split('?')[1]);
    expect(Date.parse(q.get('to') ?? '') - Date.parse(q.get('from') ?? '')).toBeGreaterThan(30 * 24 * HOUR);
  });
});
