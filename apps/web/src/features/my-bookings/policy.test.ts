import type { Booking } from '@carebook/contracts';
import { describe, expect, it } from 'vitest';
import { bookingIcs } from './ics';
import { patientOptions } from './policy';

const booking = (over: Partial<Booking>): Booking => ({
  id: '0190a0a0-0000-7000-8000-000000000001',
  patientId: 'p',
  providerId: 'l',
  providerName: 'Harbour Clinic; Bristol',
  serviceId: 's',
  serviceName: 'Skin check',
  start: '2030-06-01T09:00:00.000Z',
  end: '2030-06-01T09:20:00.000Z',
  timeZone: 'Europe/London',
  status: 'confirmed',
  priceCents: 4500,
  currency: 'GBP',
  reasonForVisit: '',
  newPatient: true,
  holdExpiresAt: null,
  payment: null,
  rescheduledFrom: null,
  rescheduledTo: null,
  version: 3,
  history: [],
  createdAt: '2030-05-01T09:00:00.000Z',
  updatedAt: '2030-05-01T09:00:00.000Z',
  ...over,
});

describe('patient options', () => {
  const start = Date.parse('2030-06-01T09:00:00.000Z');
  it('allows cancel and reschedule until the window, then neither', () => {
    expect(patientOptions(booking({}), 24, start - 25 * 3_600_000)).toMatchObject({
      canCancel: true,
      canReschedule: true,
      tooLate: false,
    });
    expect(patientOptions(booking({}), 24, start - 23 * 3_600_000)).toMatchObject({
      canCancel: false,
      canReschedule: false,
      tooLate: true,
    });
  });
  it('always lets a patient drop an unpaid hold, never reschedule it', () => {
    expect(patientOptions(booking({ status: 'payment_pending' }), 24, start - 1000)).toMatchObject({
      canCancel: true,
      canReschedule: false,
    });
  });
  it('offers nothing on finished bookings', () => {
    for (const status of ['completed', 'cancelled', 'expired', 'no_show'] as const) {
      expect(patientOptions(booking({ status }), 0, 0)).toMatchObject({
        canCancel: false,
        canReschedule: false,
      });
    }
  });
});

describe('.ics file', () => {
  it('is an RFC 5545 event in UTC with escaped text and CRLF lines', () => {
    const ics = bookingIcs(booking({}), new Date('2030-05-01T10:00:00.000Z'));
    expect(ics).toContain('\r\nDTSTART:20300601T090000Z\r\n');
    expect(ics).toContain('\r\nDTEND:20300601T092000Z\r\n');
    expect(ics).toContain('SUMMARY:Skin check — Harbour Clinic\\; Bristol');
    expect(ics).toContain('SEQUENCE:3');
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
  });
});
