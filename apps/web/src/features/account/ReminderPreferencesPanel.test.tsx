import { type MessagingPreferences, SMS_CONSENT_TEXT } from '@carebook/contracts';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderApp } from '../../test/render';
import { ReminderPreferencesPanel } from './ReminderPreferencesPanel';

/** The preferences API as the server behaves: SMS needs a number and consent (422 otherwise). */
function servePreferences(status = 200) {
  let prefs: MessagingPreferences = {
    phone: null,
    reminderChannels: ['email'],
    smsConsent: null,
    smsOptedOutAt: null,
  };
  const puts: unknown[] = [];
  const json = (s: number, body: unknown) =>
    new Response(JSON.stringify(body), {
      status: s,
      headers: { 'content-type': s >= 400 ? 'application/problem+json' : 'application/json' },
    });
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      if (status !== 200)
        return json(status, {
          type: 'x',
          title: 'No such endpoint',
          status,
          detail: 'No route',
          code: 'ROUTE_NOT_FOUND',
          requestId: 'r',
        });
      if (String(input).endsWith('/api/v1/me/messaging') && init?.method === 'PUT') {
        const body = JSON.parse(String(init.body));
        puts.push(body);
        if (body.reminderChannels.includes('sms') && !(body.smsConsent || prefs.smsConsent))
          return json(422, {
            type: 'x',
            title: 'SMS reminders need a phone number and consent',
            status: 422,
            detail: 'Agree to receive reminders by SMS at this number to turn SMS on.',
            code: 'SMS_CONSENT_REQUIRED',
            requestId: 'r',
          });
        prefs = {
          phone: body.phone,
          reminderChannels: body.reminderChannels,
          smsConsent: body.smsConsent
            ? { at: '2030-01-01T00:00:00.000Z', text: SMS_CONSENT_TEXT }
            : prefs.smsConsent,
          smsOptedOutAt: null,
        };
        return json(200, prefs);
      }
      return json(200, prefs);
    }),
  );
  return puts;
}

/** The text of the elements that describe a control (its hint and error). */
const describedBy = (el: HTMLElement) =>
  (el.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ');

describe('ReminderPreferencesPanel', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('turns SMS on only with a number and the consent box, sending the consent once', async () => {
    const puts = servePreferences();
    const user = userEvent.setup();
    renderApp(<ReminderPreferencesPanel />);
    await user.click(await screen.findByLabelText('Text message (SMS)'));
    const save = screen.getByRole('button', { name: 'Save reminder settings' });

    // No number: said at the field, focus there, nothing sent.
    await user.click(save);
    const number = screen.getByLabelText('Mobile number');
    expect(document.activeElement).toBe(number);
    expect(describedBy(number)).toContain('Enter your mobile number to get text reminders.');

    // Written as people write it: spaces and dashes are fine; without consent the box says so.
    await user.type(number, '+1 415-555 0123');
    await user.click(save);
    const box = screen.getByLabelText(SMS_CONSENT_TEXT);
    expect(document.activeElement).toBe(box);
    expect(describedBy(box)).toBe('Tick this box to get text reminders.');
    expect(puts).toEqual([]);

    await user.click(box);
    await user.click(save);
    expect((await screen.findByRole('status')).textContent).toBe('Reminder settings saved.');
    expect(puts).toEqual([{ phone: '+14155550123', reminderChannels: ['email', 'sms'], smsConsent: true }]);
    expect(screen.queryByText('Tick this box to get text reminders.')).toBeNull();
  });

  it('a number without the country code is caught before sending, in words', async () => {
    const puts = servePreferences();
    const user = userEvent.setup();
    renderApp(<ReminderPreferencesPanel />);
    await user.type(await screen.findByLabelText('Mobile number'), '0151 2345678');
    await user.click(screen.getByRole('button', { name: 'Save reminder settings' }));
    const number = screen.getByLabelText('Mobile number');
    expect(document.activeElement).toBe(number);
    expect(describedBy(number)).toContain('Enter the number with + and the country code, e.g. +14155550123.');
    expect(puts).toEqual([]);
  });

  it('is not shown when the server sends no SMS', async () => {
    servePreferences(404);
    renderApp(<ReminderPreferencesPanel />);
    expect(screen.getByRole('heading', { name: 'Appointment reminders' })).toBeTruthy();
    await vi.waitFor(() =>
      expect(screen.queryByRole('heading', { name: 'Appointment reminders' })).toBeNull(),
    );
  });
});
