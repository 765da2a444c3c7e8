import type { BookingStatus } from '@carebook/contracts';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { ids, testContext, testPayload } from '../../../test/support/notifications';
import { type ComposedNotification, composeBookingNotifications } from './compose';

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

  it('turns a reschedule into an update of the same calendar event: same UID, higher SEQUENCE, for patient and clinic', () => {
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
        reason: `Rescheduled from ${ids.booking}`,
      }),
      // What the context loader finds by following rescheduledFrom: the first booking's UID, and
      // the versions the old booking went through (it ended at version 3).
      testContext(
        { calendar: { uid: `${ids.booking}@carebook`, sequenceBase: 3 } },
        { id: ids.newBooking, rescheduledFrom: ids.booking },
      ),
      NOW,
    );
    expect(oldCancelled.map((n) => n.kind)).toEqual(['moved', 'moved']);
    expect(newConfirmed.map((n) => n.kind)).toEqual(['rescheduled', 'rescheduled']);
    // No CANCEL for the moved booking: it would remove the event the update keeps.
    expect(oldCancelled.map((n) => n.mail.attachments ?? [])).toEqual([[], []]);
    for (const audience of [0, 1]) {
      const before = ics(confirmOld[audience]);
      const update = ics(newConfirmed[audience]);
      expect(update?.method).toBe('REQUEST');
      expect(update?.status).toBe('CONFIRMED');
      expect(update?.event.uid).toBe(before?.event.uid);
      expect(update?.event.sequence).toBeGreaterThan(before?.event.sequence ?? Number.POSITIVE_INFINITY);
      expect(update?.event.startDate.toJSDate().toISOString()).toBe('2026-11-26T14:00:00.000Z');
    }
    expect(newConfirmed[0]?.mail.text).toContain('has moved to Thursday, 26 November 2026, 15:00–15:30');
    expect(oldCancelled[0]?.mail.text).toContain(`https://carebook.test/bookings/${ids.newBooking}`);
    // Never a raw id in what people read.
    for (const n of newConfirmed) {
      expect(n.mail.text.replace(/https:\S+/g, '')).not.toContain(ids.booking);
      expect(n.inApp.body).not.toContain(ids.booking);
    }
    expect(oldCancelled[1]?.mail.text).toContain('Reason: Rescheduled by the patient');
  });

  it('an appointment across the clocks going back: each end of the When line is labelled with its own offset', () => {
    // 01:30 BST (00:30Z) to 01:30 GMT (01:30Z) on 25 October 2026 in London.
    const [patient, provider] = composeBookingNotifications(
      testPayload({ start: '2026-10-25T00:30:00.000Z', end: '2026-10-25T01:30:00.000Z' }),
      testContext({ location: '1 Harbour Street, BS1 4XY Bristol' }, { timeZone: 'Europe/London' }),
      NOW,
    );
    for (const n of [patient, provider]) {
      expect(n?.mail.text).toContain(
        'When: Sunday, 25 October 2026, 01:30 (BST, UTC+01:00)–01:30 (GMT, UTC+00:00) Europe/London time',
      );
      // 01:30 happens twice that night: the subject names which one.
      expect(n?.mail.subject).toContain('on 25 Oct 2026, 01:30 Europe/London (UTC+01:00)');
      const cal = ics(n);
      expect(cal?.event.startDate.toJSDate().toISOString()).toBe('2026-10-25T00:30:00.000Z');
      expect(cal?.event.endDate.toJSDate().toISOString()).toBe('2026-10-25T01:30:00.000Z');
      expect(cal?.event.description).toContain(
        '01:30 (BST, UTC+01:00)–01:30 (GMT, UTC+00:00) Europe/London time',
      );
      expect(cal?.event.description).toContain('Where: 1 Harbour Street, BS1 4XY Bristol');
      expect(cal?.event.description).toContain(`https://carebook.test/bookings/${ids.booking}`);
      expect(cal?.event.location).toBe('1 Harbour Street, BS1 4XY Bristol');
      expect(cal?.event.component.getFirstPropertyValue('url')).toBe(
        `https://carebook.test/bookings/${ids.booking}`,
      );
    }
    // An unambiguous time keeps the short subject.
    const [later] = composeBookingNotifications(
      testPayload({ start: '2026-10-25T09:00:00.000Z', end: '2026-10-25T09:30:00.000Z' }),
      testContext({}, { timeZone: 'Europe/London' }),
      NOW,
    );
    expect(later?.mail.subject).toMatch(/on 25 Oct 2026, 09:00 Europe\/London$/);
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

  it('a cancellation says who cancelled, by name, and what is refunded and when', () => {
    const cancel = testPayload({
      from: 'confirmed',
      to: 'cancelled',
      version: 4,
      reason: 'The doctor is ill',
    });
    const entry = (actorRole: string) => ({
      at: '2026-11-24T12:00:00.000Z',
      from: 'confirmed' as const,
      to: 'cancelled' as const,
      actorRole,
      actorId: null,
      reason: null,
    });
    const [byPractice] = composeBookingNotifications(
      cancel,
      testContext({}, { status: 'cancelled', history: [entry('provider')] }),
      NOW,
    );
    expect(byPractice?.inApp.body).toBe(
      'Praxis Müller cancelled your Check-up on Wednesday, 25 November 2026, 10:00–10:30 Europe/Berlin time (CET).',
    );
    expect(byPractice?.mail.text).toContain(
      'A full refund of €60.00 goes back to the card you paid with; refunds usually reach your account within 5–10 business days.',
    );
    expect(byPractice?.mail.text).toContain('Reason: The doctor is ill');

    const [patient, provider] = composeBookingNotifications(
      cancel,
      testContext({}, { status: 'cancelled', priceCents: 0, history: [entry('patient')] }),
      NOW,
    );
    expect(patient?.inApp.body).toMatch(/^You cancelled your Check-up with Praxis Müller on Wednesday/);
    expect(patient?.mail.text).toContain('Nothing was charged, so there is nothing to refund.');
    expect(provider?.inApp.body).toMatch(/^Pat <b>O’Brien<\/b> cancelled their Check-up on Wednesday/);
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
