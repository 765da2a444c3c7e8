import type { Booking } from '@carebook/contracts';
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Route, Routes } from 'react-router';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { signedIn } from '../../app/session-slice';
import { makeStore } from '../../app/store';
import { renderApp } from '../../test/render';
import { PATIENT } from '../../test/users';
import { BookingDetailPage } from './BookingDetailPage';

// Slots a week or more ahead, on the 5-minute grid, in Berlin (CET in January).
const start = new Date(Math.ceil((Date.now() + 3 * 86_400_000) / 3_600_000) * 3_600_000);
const iso = (ms: number) => new Date(ms).toISOString();
const OLD = { start: iso(start.getTime()), end: iso(start.getTime() + 30 * 60_000) };
const NEW = { start: iso(start.getTime() + 2 * 3_600_000), end: iso(start.getTime() + 2.5 * 3_600_000) };

const booking = (over: Partial<Booking> = {}): Booking => ({
  id: '0190a0a0-0000-7000-8000-000000000001',
  patientId: PATIENT.id,
  providerId: '0190a0a0-0000-7000-8000-0000000000c1',
  providerName: 'Dr Ana Silva',
  serviceId: '0190a0a0-0000-7000-8000-0000000000d1',
  serviceName: 'Skin check',
  ...OLD,
  timeZone: 'Europe/Berlin',
  status: 'confirmed',
  priceCents: 4500,
  currency: 'EUR',
  reasonForVisit: 'Rash',
  newPatient: true,
  holdExpiresAt: null,
  payment: { intentId: 'pi_sim_1', clientSecret: 's', checkoutUrl: null, status: 'succeeded' },
  rescheduledFrom: null,
  rescheduledTo: null,
  version: 3,
  history: [
    {
      at: '2026-12-01T09:00:00.000Z',
      from: null,
      to: 'pending',
      actorRole: 'patient',
      actorId: PATIENT.id,
      reason: null,
    },
    {
      at: '2026-12-01T09:01:00.000Z',
      from: 'pending',
      to: 'payment_pending',
      actorRole: 'system',
      actorId: null,
      reason: null,
    },
    {
      at: '2026-12-01T09:02:00.000Z',
      from: 'payment_pending',
      to: 'confirmed',
      actorRole: 'system',
      actorId: null,
      reason: null,
    },
  ],
  createdAt: '2026-12-01T09:00:00.000Z',
  updatedAt: '2026-12-01T09:02:00.000Z',
  cancellationDeadline: iso(start.getTime() - 86_400_000),
  allowedActions: ['cancel', 'reschedule'],
  ...over,
});

/** The API as this page reads it; `routes` answer by method and path. */
function serveApi(routes: Record<string, (body: unknown) => unknown>) {
  const calls: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(String(input), 'http://localhost');
      const key = `${init?.method ?? 'GET'} ${url.pathname}`;
      calls.push(key);
      const answer = routes[key];
      if (!answer)
        return Response.json({ code: 'NOT_FOUND', status: 404, title: 'Not found' }, { status: 404 });
      return Response.json(answer(init?.body ? JSON.parse(String(init.body)) : null));
    }),
  );
  return calls;
}

function renderAt(path: string) {
  const store = makeStore();
  store.dispatch(signedIn(PATIENT));
  return renderApp(
    <Routes>
      <Route path="/bookings/:id" element={<BookingDetailPage />} />
    </Routes>,
    { store, path },
  );
}

const b1 = booking();
const b2 = booking({
  id: '0190a0a0-0000-7000-8000-000000000002',
  ...NEW,
  rescheduledFrom: b1.id,
  history: [
    {
      at: '2026-12-02T10:00:00.000Z',
      from: null,
      to: 'confirmed',
      actorRole: 'patient',
      actorId: PATIENT.id,
      reason: 'Rescheduled from 0190a0a0-0000-7000-8000-000000000001',
    },
  ],
});

// The viewer is in New York, the clinic in Berlin: Node applies a new TZ at once; restored after this file.
const viewerTz = process.env.TZ;
process.env.TZ = 'America/New_York';
afterAll(() => {
  if (viewerTz === undefined) delete process.env.TZ;
  else process.env.TZ = viewerTz;
});

afterEach(() => vi.unstubAllGlobals());

describe('BookingDetailPage', () => {
  it('asks before moving: old time → new time with zones, then says it moved; the old booking says where it went', async () => {
    const user = userEvent.setup();
    let moved = false;
    const calls = serveApi({
      [`GET /api/v1/bookings/${b1.id}`]: () =>
        moved ? booking({ status: 'cancelled', rescheduledTo: b2.id }) : b1,
      [`GET /api/v1/bookings/${b2.id}`]: () => b2,
      [`GET /api/v1/providers/${b1.providerId}/availability`]: () => ({
        timeZone: 'Europe/Berlin',
        days: [{ date: NEW.start.slice(0, 10), slots: [NEW] }],
      }),
      [`POST /api/v1/bookings/${b1.id}/reschedule`]: (body) => {
        expect(body).toEqual({ start: NEW.start });
        moved = true;
        return b2;
      },
    });
    renderAt(`/bookings/${b1.id}`);
    await user.click(await screen.findByRole('button', { name: 'Reschedule' }));
    const slot = await waitFor(() => {
      const found = screen.getAllByRole('button').find((s) => s.classList.contains('slot'));
      if (!found) throw new Error('no slot offered yet');
      return found;
    });
    await user.click(slot);
    const dialog = screen.getByRole('alertdialog', { name: 'Move your appointment?' });
    // The pressed slot is gone: focus is on the answer, inside the question.
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Yes, move it' }));
    // "Choose another time" goes back to the calendar with focus on its heading.
    await user.click(screen.getByRole('button', { name: 'Choose another time' }));
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'Pick a new time' }));
    await user.click(
      await waitFor(() => {
        const found = screen.getAllByRole('button').find((s) => s.classList.contains('slot'));
        if (!found) throw new Error('no slot offered yet');
        return found;
      }),
    );
    expect(dialog.textContent).toMatch(/From.+\(Europe\/Berlin, GMT\+\d\).*To.+\(Europe\/Berlin, GMT\+\d\)/);
    expect(dialog.textContent).toContain('Your payment moves with it.');
    expect(calls.filter((c) => c.startsWith('POST'))).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Yes, move it' }));
    expect(await screen.findByRole('heading', { name: 'Your appointment has moved' })).toBeTruthy();
    expect((await screen.findByTestId('moved-from')).textContent).toMatch(
      /Moved here from .+\(Europe\/Berlin/,
    );
    expect(screen.getByText(/^Your appointment moved to this time on .+\)\.$/)).toBeTruthy();
    // The panel to pick a time belonged to the old booking's page.
    expect(screen.queryByRole('region', { name: 'Pick a new time' })).toBeNull();
  });

  it('the moved booking says where it went, with a link to the new one', async () => {
    serveApi({
      [`GET /api/v1/bookings/${b1.id}`]: () => booking({ status: 'cancelled', rescheduledTo: b2.id }),
      [`GET /api/v1/bookings/${b2.id}`]: () => b2,
    });
    renderAt(`/bookings/${b1.id}`);
    expect(await screen.findByRole('heading', { name: 'This appointment was moved' })).toBeTruthy();
    await waitFor(() =>
      expect(screen.getByTestId('moved-to').textContent).toMatch(/^Moved to .+\(Europe\/Berlin, GMT\+\d\)\./),
    );
    expect(screen.getByRole('link', { name: 'See the new booking' }).getAttribute('href')).toBe(
      `/bookings/${b2.id}`,
    );
    expect(screen.queryByTestId('refund-outcome')).toBeNull();
    // The viewer in New York also sees the time on their own clock.
    expect(screen.getByText(/your time \(America\/New York\)$/)).toBeTruthy();
  });

  it('says how much is refunded and when, before and after cancelling', async () => {
    const user = userEvent.setup();
    const cancelled = booking({
      status: 'cancelled',
      allowedActions: [],
      payment: { intentId: 'pi_sim_1', clientSecret: 's', checkoutUrl: null, status: 'refund_pending' },
    });
    let current = b1;
    serveApi({
      [`GET /api/v1/bookings/${b1.id}`]: () => current,
      [`POST /api/v1/bookings/${b1.id}/cancel`]: () => {
        current = cancelled;
        return cancelled;
      },
    });
    renderAt(`/bookings/${b1.id}`);
    expect(
      await screen.findByText(/^Free cancellation, with a full refund, until .+\(Europe\/Berlin/),
    ).toBeTruthy();
    // Asking first puts focus on the safe answer; "Keep it" returns it to where it was.
    await user.click(screen.getByRole('button', { name: 'Cancel booking' }));
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Keep it' }));
    await user.click(screen.getByRole('button', { name: 'Keep it' }));
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Cancel booking' }));
    await user.click(screen.getByRole('button', { name: 'Cancel booking' }));
    expect(screen.getByTestId('refund-before').textContent).toBe(
      'You will get €45.00 back in full, to the card you paid with. Refunds usually reach your account within 5–10 business days.',
    );
    await user.click(screen.getByRole('button', { name: 'Yes, cancel it' }));
    expect((await screen.findByTestId('refund-outcome')).textContent).toBe(
      'A full refund of €45.00 is on its way to the card you paid with. Refunds usually reach your account within 5–10 business days.',
    );
    // The buttons are gone: focus is on the heading that says what happened.
    expect(document.activeElement).toBe(screen.getByRole('heading', { name: 'This booking was cancelled' }));
  });

  it('tells the history as sentences with names and zone-labelled times, never ids or status names', async () => {
    serveApi({
      [`GET /api/v1/bookings/${b1.id}`]: () =>
        booking({
          status: 'cancelled',
          history: [
            ...b1.history,
            {
              at: '2026-12-03T15:00:00.000Z',
              from: 'confirmed',
              to: 'cancelled',
              actorRole: 'provider',
              actorId: '0190a0a0-0000-7000-8000-0000000000f1',
              reason: 'The doctor is ill',
            },
          ],
        }),
    });
    renderAt(`/bookings/${b1.id}`);
    const items = (await screen.findAllByRole('listitem')).map((li) => li.textContent ?? '');
    expect(items).toEqual([
      expect.stringMatching(
        /^You asked for this time on Tue, Dec 1(, 2026)?, 10:00 AM \(Europe\/Berlin, GMT\+1\)\.$/,
      ),
      expect.stringMatching(
        /^The time was held while waiting for payment on .+10:01 AM \(Europe\/Berlin, GMT\+1\)\.$/,
      ),
      expect.stringMatching(/^The payment went through and your appointment was confirmed on .+10:02 AM/),
      expect.stringMatching(
        /^Dr Ana Silva cancelled your appointment on .+04:00 PM \(Europe\/Berlin, GMT\+1\): “The doctor is ill”\.$/,
      ),
    ]);
    for (const text of items)
      expect(text).not.toMatch(/0190a0a0|payment_pending|cancelled\b(?! your)|provider|system/);
  });
});
