import type { Booking } from '@carebook/contracts';
import { describe, expect, it } from 'vitest';
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
  it('shows what the API allows, with its deadline', () => {
    const deadline = '2030-05-31T09:00:00.000Z';
    expect(
      patientOptions(booking({ allowedActions: ['cancel', 'reschedule'], cancellationDeadline: deadline })),
    ).toEqual({ canCancel: true, canReschedule: true, deadline, tooLate: false });
    expect(patientOptions(booking({ allowedActions: [], cancellationDeadline: deadline }))).toEqual({
      canCancel: false,
      canReschedule: false,
      deadline,
      tooLate: true,
    });
  });
  it('an unpaid hold: cancel only, no deadline', () => {
    expect(
      patientOptions(
        booking({ status: 'payment_pending', allowedActions: ['pay', 'cancel'], cancellationDeadline: null }),
      ),
    ).toEqual({ canCancel: true, canReschedule: false, deadline: null, tooLate: false });
  });
  it('offers nothing the API did not allow', () => {
    for (const status of ['completed', 'cancelled', 'expired', 'no_show'] as const) {
      expect(patientOptions(booking({ status, allowedActions: [] }))).toMatchObject({
        canCancel: false,
        canReschedule: false,
        tooLate: false,
      });
    }
  });
});
