import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { applyLiveEvent } from '../../../app/realtime';
import { LISTING_ID, practiceBooking, servePractice } from '../../../test/practice-fixtures';
import { renderApp } from '../../../test/render';
import { PracticeCalendar } from './PracticeCalendar';
import { NARROW_QUERY } from './use-narrow';

/** Monday 7 – Sunday 13 December 2026 in Frankfurt (CET, UTC+1). */
const WEEK = `/provider?calendar=${LISTING_ID}&date=2026-12-09`;
const open = [
  { start: '2026-12-07T07:00:00.000Z', end: '2026-12-07T16:00:00.000Z' },
  { start: '2026-12-09T07:00:00.000Z', end: '2026-12-09T11:00:00.000Z' },
];

/** A stand-in for the browser's media queries: narrow (375 px) or not, switchable. */
function screenWidth(initiallyNarrow: boolean) {
  let narrow = initiallyNarrow;
  const listeners = new Set<() => void>();
  vi.stubGlobal('matchMedia', (query: string) => ({
    get matches() {
      return query === NARROW_QUERY && narrow;
    },
    media: query,
    addEventListener: (_: string, l: () => void) => listeners.add(l),
    removeEventListener: (_: string, l: () => void) => listeners.delete(l),
  }));
  return (next: boolean) => {
    narrow = next;
    for (const l of listeners) l();
  };
}

const bookingButtons = () => screen.getAllByTestId('calendar-booking');

describe('PracticeCalendar', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('is one tab stop; arrow keys, Home and End move between bookings; Enter opens one and Escape returns', async () => {
    screenWidth(false);
    const mon = practiceBooking('2026-12-07T07:00:00.000Z', 30);
    const mon2 = practiceBooking('2026-12-07T12:00:00.000Z', 20, {
      patient: { id: 'p2', name: 'Marta Nowak', email: 'marta@example.org', phone: '+49 69 1234 5678' },
      newPatient: false,
      reasonForVisit: 'Dry eyes when reading',
    });
    const wed = practiceBooking('2026-12-09T08:00:00.000Z', 30, {
      patient: { id: 'p3', name: 'Aylin Demir', email: 'aylin@example.org', phone: null },
    });
    servePractice({ bookings: [mon, mon2, wed], open });
    const user = userEvent.setup();
    renderApp(<PracticeCalendar />, { path: WEEK });
    await waitFor(() => expect(bookingButtons()).toHaveLength(3));
    expect(screen.getByRole('group', { name: /^Bookings and opening hours, / })).toBeTruthy();
    // One booking in the tab order; each is named by patient, service and time with its zone.
    expect(bookingButtons().filter((b) => b.tabIndex === 0)).toHaveLength(1);
    const first = screen.getByRole('button', {
      name: /^Jonas Weber, new patient, Eye test, .*08:00.*(GMT\+1|CET)/,
    });
    await user.tab();
    await user.tab();
    while (document.activeElement?.getAttribute('data-testid') !== 'calendar-booking') await user.tab();
    expect(document.activeElement).toBe(first);
    await user.keyboard('{ArrowDown}');
    expect(document.activeElement?.getAttribute('aria-label')).toMatch(/^Marta Nowak, returning patient/);
    await user.keyboard('{ArrowRight}');
    expect(document.activeElement?.getAttribute('aria-label')).toMatch(/^Aylin Demir/);
    await user.keyboard('{ArrowLeft}');
    expect(document.activeElement?.getAttribute('aria-label')).toMatch(/^Jonas Weber/);
    await user.keyboard('{End}');
    expect(document.activeElement?.getAttribute('aria-label')).toMatch(/^Marta Nowak/);
    expect(bookingButtons().filter((b) => b.tabIndex === 0)).toEqual([document.activeElement]);

    await user.keyboard('{Enter}');
    const details = screen.getByRole('region', { name: 'Marta Nowak' });
    expect(document.activeElement).toBe(within(details).getByRole('heading', { name: 'Marta Nowak' }));
    expect(within(details).getByText('Returning patient')).toBeTruthy();
    expect(within(details).getByText('Dry eyes when reading')).toBeTruthy();
    expect(
      within(details)
        .getByRole('link', { name: /Call Marta Nowak/ })
        .getAttribute('href'),
    ).toBe('tel:+496912345678');
    expect(
      within(details)
        .getByRole('link', { name: /E-mail Marta Nowak/ })
        .getAttribute('href'),
    ).toBe('mailto:marta@example.org');
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('region', { name: 'Marta Nowak' })).toBeNull();
    await waitFor(() => expect(document.activeElement?.getAttribute('aria-label')).toMatch(/^Marta Nowak/));
  });

  it('shows a booking made elsewhere as soon as its event is pushed, and drops a cancelled one', async () => {
    screenWidth(false);
    const state = { bookings: [practiceBooking('2026-12-07T07:00:00.000Z', 30)], open };
    servePractice(state);
    const { queryClient } = renderApp(<PracticeCalendar />, { path: WEEK });
    await waitFor(() => expect(bookingButtons()).toHaveLength(1));
    expect(screen.getByRole('status').textContent).toBe('1 booking this week');

    const walkIn = practiceBooking('2026-12-10T09:30:00.000Z', 30, {
      patient: { id: 'p9', name: 'Riley Walk-in', email: 'riley@example.org', phone: null },
    });
    state.bookings = [...state.bookings, walkIn];
    const seen = new Set<string>();
    const event = (eventId: string, status: string) => ({
      type: 'booking.status_changed',
      eventId,
      at: '2026-12-06T16:00:00.000Z',
      bookingId: walkIn.id,
      providerId: LISTING_ID,
      from: null,
      status,
      start: walkIn.start,
      end: walkIn.end,
      version: 1,
    });
    act(() => {
      applyLiveEvent(queryClient, event('e1', 'confirmed'), seen);
    });
    expect(
      await screen.findByRole('button', { name: /^Riley Walk-in, new patient, Eye test, .*10:30/ }),
    ).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('2 bookings this week');

    state.bookings = state.bookings.filter((b) => b.id !== walkIn.id);
    act(() => {
      applyLiveEvent(queryClient, event('e2', 'cancelled'), seen);
    });
    await waitFor(() => expect(screen.queryByRole('button', { name: /^Riley Walk-in/ })).toBeNull());
  });

  it('at 375 px the week is a list of days with their opening hours; wider, a time grid', async () => {
    const resize = screenWidth(true);
    servePractice({ bookings: [practiceBooking('2026-12-09T08:00:00.000Z', 30)], open });
    const { container } = renderApp(<PracticeCalendar />, { path: WEEK });
    await waitFor(() => expect(bookingButtons()).toHaveLength(1));
    expect(container.querySelector('.cal-list')).toBeTruthy();
    expect(container.querySelector('.cal-grid')).toBeNull();
    const days = screen.getAllByRole('region').filter((r) => r.classList.contains('cal-day'));
    expect(days).toHaveLength(7);
    // Monday: open, nobody booked; Wednesday: open in the morning, one booking shown with its time range.
    expect(
      within(days[0] as HTMLElement).getByText(/^Open 08:00( AM)?–17:00|^Open 08:00( AM)?–05:00 PM/),
    ).toBeTruthy();
    expect(within(days[0] as HTMLElement).getByText('No bookings')).toBeTruthy();
    expect(within(days[5] as HTMLElement).getByText('Closed')).toBeTruthy();
    expect(within(days[2] as HTMLElement).getByTestId('calendar-booking').textContent).toMatch(
      /09:00( AM)?–09:30/,
    );

    act(() => resize(false));
    expect(container.querySelector('.cal-grid')).toBeTruthy();
    expect(container.querySelector('.cal-list')).toBeNull();
    expect(bookingButtons()).toHaveLength(1);
  });

  it('switches between day and week and moves by previous, next and today', async () => {
    screenWidth(false);
    const calls = servePractice({ bookings: [practiceBooking('2026-12-09T08:00:00.000Z', 30)], open });
    const user = userEvent.setup();
    renderApp(<PracticeCalendar />, { path: WEEK });
    await waitFor(() => expect(bookingButtons()).toHaveLength(1));
    expect(calls.at(-1)).toContain('from=2026-12-06T23%3A00%3A00.000Z&to=2026-12-13T23%3A00%3A00.000Z');
    await user.click(screen.getByRole('button', { name: 'Day' }));
    expect(screen.getByRole('button', { name: 'Day' }).getAttribute('aria-pressed')).toBe('true');
    await waitFor(() =>
      expect(calls.at(-1)).toContain('from=2026-12-08T23%3A00%3A00.000Z&to=2026-12-09T23%3A00%3A00.000Z'),
    );
    expect(await screen.findByTestId('calendar-booking')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Next day ›' }));
    await waitFor(() => expect(calls.at(-1)).toContain('from=2026-12-09T23%3A00%3A00.000Z'));
    expect(await screen.findByText('No bookings this day.')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: '‹ Previous day' }));
    await user.click(screen.getByRole('button', { name: '‹ Previous day' }));
    await waitFor(() => expect(calls.at(-1)).toContain('from=2026-12-07T23%3A00%3A00.000Z'));
    await user.click(screen.getByRole('button', { name: 'Week' }));
    await user.click(screen.getByRole('button', { name: 'Today' }));
    // Today is the real today in Frankfurt: the week that contains it.
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Today' })).toHaveProperty('disabled', true),
    );
  });
});
