import fc from 'fast-check';
import ICAL from 'ical.js';
import { describe, expect, it } from 'vitest';
import { type BookingIcsInput, bookingIcs, foldLine } from './ics';

const base: BookingIcsInput = {
  uid: '0193a5b0-0000-7000-8000-000000000001@carebook',
  sequence: 2,
  method: 'REQUEST',
  status: 'CONFIRMED',
  start: new Date('2026-11-24T13:00:00.000Z'),
  end: new Date('2026-11-24T13:30:00.000Z'),
  summary: 'Check-up with Dr. Zoë Müller',
  description: 'A visit',
  location: 'Praxis Müller, Hauptstraße 1, 10115 Berlin',
  url: 'https://carebook.test/bookings/0193a5b0-0000-7000-8000-000000000001',
  organizer: { name: 'Praxis "Müller", Berlin', email: 'owner@example.test' },
  attendee: { name: 'Pat Patient', email: 'pat@example.test' },
  now: new Date('2026-11-20T08:15:00.000Z'),
};

function parse(text: string) {
  const calendar = new ICAL.Component(ICAL.parse(text));
  const vevent = calendar.getFirstSubcomponent('vevent');
  if (!vevent) throw new Error('no VEVENT');
  return { calendar, vevent, event: new ICAL.Event(vevent) };
}

const octets = (s: string) => Buffer.byteLength(s, 'utf8');

describe('bookingIcs', () => {
  it('produces a REQUEST that ical.js reads back field by field, in UTC', () => {
    const text = bookingIcs(base);
    const { calendar, vevent, event } = parse(text);
    expect(calendar.getFirstPropertyValue('version')).toBe('2.0');
    expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST');
    expect(calendar.getFirstPropertyValue('calscale')).toBe('GREGORIAN');
    expect(calendar.getFirstPropertyValue('prodid')).toMatch(/Carebook/);
    expect(event.uid).toBe(base.uid);
    expect(event.sequence).toBe(2);
    expect(event.summary).toBe(base.summary);
    expect(event.location).toBe(base.location);
    expect(event.startDate.toJSDate().toISOString()).toBe('2026-11-24T13:00:00.000Z');
    expect(event.endDate.toJSDate().toISOString()).toBe('2026-11-24T13:30:00.000Z');
    expect(event.startDate.zone?.tzid).toBe('UTC');
    expect(vevent.getFirstPropertyValue('status')).toBe('CONFIRMED');
    expect(String(vevent.getFirstPropertyValue('dtstamp'))).toBe('2026-11-20T08:15:00Z');
    expect(event.organizer).toBe('mailto:owner@example.test');
    expect(vevent.getFirstProperty('organizer')?.getParameter('cn')).toBe('Praxis  Müller , Berlin');
    expect(event.attendees[0]?.getFirstValue()).toBe('mailto:pat@example.test');
    expect(event.attendees[0]?.getParameter('cn')).toBe('Pat Patient');
    expect(text).toContain('DTSTART:20261124T130000Z\r\n');
    expect(text).not.toMatch(/TZID|X-WR-TIMEZONE|VTIMEZONE/);
  });

  it('uses CRLF only and ends with one', () => {
    const text = bookingIcs(base);
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('escapes backslash, semicolon, comma and newlines in text values', () => {
    const description = 'Bring: card; letter, and C:\\notes\nSecond line\r\nThird';
    const text = bookingIcs({ ...base, description });
    expect(text).toContain('DESCRIPTION:Bring: card\\; letter\\, and C:\\\\notes\\nSecond line\\nThird');
    expect(parse(text).event.description).toBe('Bring: card; letter, and C:\\notes\nSecond line\nThird');
  });

  it('folds a long multibyte description at 75 octets without splitting a character', () => {
    const description = `${'Zahnärztliche Untersuchung – 歯科検診 😀 '.repeat(12)}Ende`;
    const text = bookingIcs({ ...base, description });
    const physical = text.split('\r\n').filter((l) => l !== '');
    for (const line of physical) expect(octets(line)).toBeLessThanOrEqual(75);
    const folded = physical.filter((l) => l.startsWith(' '));
    expect(folded.length).toBeGreaterThan(5);
    expect(text).not.toContain('\uFFFD');
    expect(parse(text).event.description).toBe(description);
  });

  it('fills lines up to exactly 75 octets before folding', () => {
    const folded = foldLine(`DESCRIPTION:${'a'.repeat(200)}`).split('\r\n');
    // 212 octets: 75 on the first line, then a space + 74, then a space + the remaining 63
    expect(folded.map(octets)).toEqual([75, 75, 64]);
    expect(folded.map((l, i) => (i ? l.slice(1) : l)).join('')).toBe(`DESCRIPTION:${'a'.repeat(200)}`);
    expect(folded.slice(1).every((l) => l.startsWith(' '))).toBe(true);
  });

  it('any line folds into physical lines of at most 75 octets, each full before the next, that unfold to it', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 120 }), (value) => {
        const line = `DESCRIPTION:${value}`;
        const physical = foldLine(line).split('\r\n');
        for (const l of physical) expect(octets(l)).toBeLessThanOrEqual(75);
        expect(physical.map((l, i) => (i ? l.slice(1) : l)).join('')).toBe(line);
        expect(physical.slice(1).every((l) => l.startsWith(' ') && l.length > 1)).toBe(true);
        // A line was folded only when its next character would not have fitted.
        for (let i = 0; i + 1 < physical.length; i++) {
          const next = [...(physical[i + 1] as string).slice(1)][0] as string;
          expect(octets(physical[i] as string) + octets(next)).toBeGreaterThan(75);
        }
      }),
    );
  });

  it('cancels with METHOD:CANCEL, STATUS:CANCELLED, the same UID and a higher SEQUENCE', () => {
    const request = parse(bookingIcs(base));
    const cancel = parse(bookingIcs({ ...base, method: 'CANCEL', status: 'CANCELLED', sequence: 3 }));
    expect(cancel.calendar.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(cancel.vevent.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(cancel.event.uid).toBe(request.event.uid);
    expect(cancel.event.sequence).toBeGreaterThan(request.event.sequence);
  });
});
