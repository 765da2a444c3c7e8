import type { BookingStatus } from '@carebook/contracts';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { type ComposedNotification, composeBookingNotifications } from './compose';
import { ids, testContext, testPayload } from './notifications.testing';

const NOW = new Date('2026-11-24T12:00:00.000Z');

function ics(n: ComposedNotification | undefined) {
  const a = n?.mail.attachments?.[0];
  if (!a) return null;
  const calendar = new ICAL.Component(ICAL.parse(a.content.toString()));
  const vevent = calendar.getFirstSubcomponent('vevent');
  if (!vevent) throw new Error('no VEVENT');
  return {
    contentType: a.contentType,
    method: calendar.getFirstPropertyValue('method'),
    status: vevent.getFirstPropertyValue('status'),
    event: new ICAL.Event(vevent),
  };
}

type Row = [BookingStatus | null, BookingStatus, string, 'REQUEST' | 'CANCEL' | null, RegExp];
const transitions: Row[] = [
  [null, 'pending', 'requested', null, /complete it before the hold runs out/],
  ['pending', 'payment_pending', 'awaiting_payment', null, /Open the booking to pay/],
  ['payment_pending', 'confirmed', 'confirmed', 'REQUEST', /reschedule or cancel/],
  ['pending', 'confirmed', 'confirmed', 'REQUEST', /Add the attached invitation/],
  ['confirmed', 'in_progress', 'started', null, /contact the practice/],
  ['in_progress', 'completed', 'completed', null, /book again/],
  ['confirmed', 'cancelled', 'cancelled', 'CANCEL', /refund/],
  ['pending', 'cancelled', 'cancelled', null, /book another time/],
  ['payment_pending', 'expired', 'expired', null, /time has been released/],
  ['in_progress', 'no_show', 'no_show', null, /mistake/],
];

describe('composeBookingNotifications', () => {
  it.each(transitions)('%s → %s: %s for patient and provider', (from, to, kind, method, patientNext) => {
    const payload = testPayload({ from, to, version: 4 });
    const [patient, provider, ...rest] = composeBookingNotifications(payload, testContext(), NOW);
    expect(rest).toEqual([]);
    expect(patient?.audience).toBe('patient');
    expect(provider?.audience).toBe('provider');
    expect([patient?.kind, provider?.kind]).toEqual([kind, kind]);
    expect(patient?.mail.to).toBe('pat@example.test');
    expect(provider?.mail.to).toBe('owner@clinic.test');
    expect(patient?.mail.text).toMatch(patientNext);
    for (const n of [patient, provider]) {
      // 09:00Z is 10:00 in Berlin in November (CET, UTC+1)
      expect(n?.mail.subject).toContain('Check-up on 25 Nov 2026, 10:00 Europe/Berlin');
      expect(n?.mail.subject.startsWith(n?.inApp.title ?? '?')).toBe(true);
      expect(n?.mail.text).toContain('Wednesday, 25 November 2026, 10:00–10:30 Europe/Berlin time (CET)');
      expect(n?.mail.text).toContain(`https://carebook.test/bookings/${ids.booking}`);
      expect(n?.mail.html).toContain(`href="https://carebook.test/bookings/${ids.booking}"`);
      expect(n?.inApp.body).toContain('10:00–10:30 Europe/Berlin');
      const cal = ics(n);
      expect(cal?.method ?? null).toBe(method);
      if (cal) {
        expect(cal.contentType).toBe(`text/calendar; method=${method}; charset=UTF-8`);
        expect(cal.status).toBe(method === 'REQUEST' ? 'CONFIRMED' : 'CANCELLED');
        expect(cal.event.uid).toBe(`${ids.booking}@carebook`);
        expect(cal.event.sequence).toBe(4);
        expect(cal.event.startDate.toJSDate().toISOString()).toBe('2026-11-25T09:00:00.000Z');
        expect(cal.event.location).toBe('Hauptstraße 1, 10115 Berlin');
        expect(cal.event.organizer).toBe('mailto:owner@clinic.test');
      }
    }
    expect(provider?.mail.text).toContain('Patient: Pat <b>O’Brien</b>');
    expect(patient?.mail.text).not.toContain('Patient:');
  });

  it('turns a reschedule into REQUEST for the new booking and CANCEL for the old, same UIDs as before', () => {
    const confirmOld = composeBookingNotifications(testPayload({ version: 2 }), testContext(), NOW);
    const oldCancelled = composeBookingNotifications(
      testPayload({ from: 'confirmed', to: 'cancelled', version: 3, reason: 'Rescheduled by the patient' }),
      testContext({}, { status: 'cancelled', rescheduledTo: ids.newBooking }),
      NOW,
    );
    const newConfirmed = composeBookingNotifications(
      testPayload({
        bookingId: ids.newBooking,
        from: null,
        to: 'confirmed',
        start: '2026-11-26T14:00:00.000Z',
        end: '2026-11-26T14:30:00.000Z',
        version: 1,
      }),
      testContext({}, { id: ids.newBooking, rescheduledFrom: ids.booking }),
      NOW,
    );
    const before = ics(confirmOld[0]);
    const cancel = ics(oldCancelled[0]);
    const request = ics(newConfirmed[0]);
    expect(oldCancelled.map((n) => n.kind)).toEqual(['moved', 'moved']);
    expect(newConfirmed.map((n) => n.kind)).toEqual(['rescheduled', 'rescheduled']);
    expect(cancel?.method).toBe('CANCEL');
    expect(cancel?.status).toBe('CANCELLED');
    expect(cancel?.event.uid).toBe(before?.event.uid);
    expect(cancel?.event.sequence).toBeGreaterThan(before?.event.sequence ?? Number.POSITIVE_INFINITY);
    expect(request?.method).toBe('REQUEST');
    expect(request?.event.uid).toBe(`${ids.newBooking}@carebook`);
    expect(newConfirmed[0]?.mail.text).toContain('has moved to Thursday, 26 November 2026, 15:00–15:30');
    expect(oldCancelled[0]?.mail.text).toContain(`https://carebook.test/bookings/${ids.newBooking}`);
    expect(oldCancelled[1]?.mail.text).toContain('Reason: Rescheduled by the patient');
  });

  it("states the time in the provider's zone, across daylight saving time", () => {
    const summer = composeBookingNotifications(
      testPayload({ start: '2027-07-01T13:00:00.000Z', end: '2027-07-01T14:00:00.000Z' }),
      testContext({}, { timeZone: 'America/New_York' }),
      NOW,
    );
    expect(summer[0]?.mail.text).toContain(
      'Thursday, 1 July 2027, 09:00–10:00 America/New_York time (GMT-4)',
    );
    const winter = composeBookingNotifications(
      testPayload({ start: '2027-01-07T13:00:00.000Z', end: '2027-01-07T14:00:00.000Z' }),
      testContext({}, { timeZone: 'America/New_York' }),
      NOW,
    );
    expect(winter[0]?.mail.text).toContain('08:00–09:00 America/New_York time (GMT-5)');
  });

  it('mentions the hold end for a new request', () => {
    const [patient] = composeBookingNotifications(
      testPayload({ from: null, to: 'pending' }),
      testContext({}, { status: 'pending', holdExpiresAt: '2026-11-24T12:10:00.000Z' }),
      NOW,
    );
    expect(patient?.mail.text).toContain('until 13:10 Europe/Berlin time (CET), Tuesday, 24 November 2026');
  });

  it('escapes everything it puts into HTML', () => {
    const [patient, provider] = composeBookingNotifications(
      testPayload({ reason: '<img src=x onerror=alert(1)>' }),
      testContext({ serviceName: 'Check-up & "clean"' }),
      NOW,
    );
    expect(patient?.mail.html).toContain('Hello Pat &lt;b&gt;O’Brien&lt;/b&gt;,');
    expect(patient?.mail.html).toContain('Check-up &amp; &quot;clean&quot;');
    expect(provider?.mail.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    for (const n of [patient, provider]) expect(n?.mail.html).not.toMatch(/<img|<b>/);
  });
});
