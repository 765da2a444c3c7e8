import type { Booking, BookingSeries, SeriesConflict } from '@carebook/contracts';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderApp } from '../../test/render';
import { RepeatChoice } from './RepeatChoice';
import { SeriesConflicts } from './SeriesConflicts';
import { SeriesPage } from './SeriesPage';
import type { RepeatChoiceValue } from './series-api';

afterEach(() => vi.unstubAllGlobals());

function Harness({ onValue }: { onValue: (v: RepeatChoiceValue | null) => void }) {
  const [value, setValue] = useState<RepeatChoiceValue | null>(null);
  return (
    <RepeatChoice
      value={value}
      onChange={(v) => {
        setValue(v);
        onValue(v);
      }}
      start="2027-03-03T14:00:00.000Z"
      timeZone="America/New_York"
    />
  );
}

describe('RepeatChoice', () => {
  it('offers just this visit by default, and lists the dates of a series before booking', async () => {
    const seen: (RepeatChoiceValue | null)[] = [];
    renderApp(<Harness onValue={(v) => seen.push(v)} />);
    expect((screen.getByRole('radio', { name: 'Just this visit' }) as HTMLInputElement).checked).toBe(true);
    await userEvent.click(screen.getByRole('radio', { name: 'Repeat at the same time' }));
    expect(seen.at(-1)).toEqual({ intervalWeeks: 1, occurrences: 4 });
    const list = screen.getByRole('list', { name: /4 visits at 0?9:00/i });
    // Dates in the practice's zone; the local time stays 9:00 across the DST change on 14 March.
    expect(
      within(list)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual([
      expect.stringMatching(/Mar 3$/),
      expect.stringMatching(/Mar 10$/),
      expect.stringMatching(/Mar 17$/),
      expect.stringMatching(/Mar 24$/),
    ]);
    await userEvent.selectOptions(screen.getByLabelText('Every'), '2 weeks');
    const count = screen.getByLabelText('Number of visits');
    await userEvent.clear(count);
    await userEvent.type(count, '3');
    expect(seen.at(-1)).toEqual({ intervalWeeks: 2, occurrences: 3 });
    expect(screen.getAllByRole('listitem').map((li) => li.textContent)).toEqual([
      expect.stringMatching(/Mar 3$/),
      expect.stringMatching(/Mar 17$/),
      expect.stringMatching(/Mar 31$/),
    ]);
  });
});

describe('SeriesConflicts', () => {
  it('names each date that cannot be had and the free times that day', () => {
    const conflicts: SeriesConflict[] = [
      {
        occurrence: 3,
        start: '2026-12-14T15:00:00.000Z',
        reason: 'taken',
        message: 'Monday 14 December 2026, 10:00 (America/New_York): This time is already booked.',
        alternatives: ['2026-12-14T14:30:00.000Z', '2026-12-14T15:30:00.000Z'],
      },
    ];
    renderApp(<SeriesConflicts conflicts={conflicts} timeZone="America/New_York" />);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Nothing was booked: one date of the series is not available');
    expect(alert.textContent).toContain('Visit 3 — Monday 14 December 2026, 10:00 (America/New_York)');
    expect(alert.textContent).toMatch(/Free that day: 0?9:30.*10:30/);
  });
});

const booking = (i: number, status: Booking['status'] = 'confirmed'): Booking =>
  ({
    id: `00000000-0000-7000-8000-00000000000${i}`,
    start: new Date(Date.parse('2027-03-03T14:00:00.000Z') + (i - 1) * 7 * 86_400_000).toISOString(),
    end: new Date(Date.parse('2027-03-03T14:15:00.000Z') + (i - 1) * 7 * 86_400_000).toISOString(),
    status,
    allowedActions: status === 'confirmed' ? ['cancel', 'reschedule'] : [],
  }) as Booking;

describe('SeriesPage', () => {
  it('lists every visit and cancels "this and later visits" only after confirming', async () => {
    let series: BookingSeries = {
      id: 's1',
      patientId: 'p',
      providerId: 'l',
      serviceId: 'sv',
      providerName: 'Dr. Ines Okafor',
      serviceName: 'Repeat prescription',
      timeZone: 'America/New_York',
      localStart: '2027-03-03T09:00:00',
      totalCents: 0,
      currency: 'USD',
      intervalWeeks: 1,
      occurrences: 3,
      rrule: 'FREQ=WEEKLY;INTERVAL=1;COUNT=3',
      items: [1, 2, 3].map((i) => ({ occurrence: i, booking: booking(i) })),
      createdAt: '2027-03-01T12:00:00.000Z',
    };
    const calls: string[] = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
        const url = String(input).replace(/^https?:\/\/[^/]+/, '');
        calls.push(`${init?.method ?? 'GET'} ${url} ${init?.body ?? ''}`);
        if (url.endsWith('/cancel'))
          series = {
            ...series,
            items: series.items.map((it) =>
              it.occurrence >= 2 ? { ...it, booking: booking(it.occurrence, 'cancelled') } : it,
            ),
          };
        return new Response(JSON.stringify(series), { headers: { 'content-type': 'application/json' } });
      }),
    );
    renderApp(
      <Routes>
        <Route path="/series/:id" element={<SeriesPage />} />
      </Routes>,
      { path: '/series/s1' },
    );
    expect(
      await screen.findByRole('heading', { name: 'Repeat prescription with Dr. Ines Okafor' }),
    ).toBeTruthy();
    expect(screen.getByText(/Every week, 3 visits, at 0?9:00/)).toBeTruthy();
    await userEvent.click(
      screen.getAllByRole('button', { name: 'Cancel this and later visits' })[1] as HTMLElement,
    );
    const group = screen.getByRole('group', { name: 'Cancel from visit 2' });
    expect(group.textContent).toContain('Cancel visit 2 and every later visit? Earlier visits stay booked.');
    expect(calls.some((c) => c.startsWith('POST'))).toBe(false);
    await userEvent.click(within(group).getByRole('button', { name: 'Yes, cancel' }));
    await waitFor(() => expect(calls.some((c) => c.includes('"fromOccurrence":2'))).toBe(true));
    await waitFor(() => expect(screen.getAllByText('Cancelled')).toHaveLength(2));
    expect(screen.getAllByRole('button', { name: /Cancel this/ })).toHaveLength(1);
  });
});
