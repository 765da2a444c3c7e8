import type { Booking } from '@carebook/contracts';
import { describe, expect, it } from 'vitest';
import { accountRefusal, blockingBookings, isActive } from './erasure-policy';

const b = (status: Booking['status'], allowedActions: Booking['allowedActions'] = []) => ({
  status,
  allowedActions,
});

describe('erasure policy', () => {
  it('refuses admins and providers who own listings; patients, staff and providers without listings go ahead', () => {
    expect(accountRefusal({ role: 'admin', ownsListings: false })).toMatch(/admin/);
    expect(accountRefusal({ role: 'provider', ownsListings: true })).toMatch(/listings/);
    expect(accountRefusal({ role: 'provider', ownsListings: false })).toBeNull();
    expect(accountRefusal({ role: 'patient', ownsListings: false })).toBeNull();
    expect(accountRefusal({ role: 'staff', ownsListings: false })).toBeNull();
  });

  it('a visit in progress always blocks; a confirmed booking past its deadline blocks only the patient', () => {
    const inProgress = b('in_progress');
    const lateConfirmed = b('confirmed', ['reschedule']);
    const cancellable = b('confirmed', ['cancel', 'reschedule']);
    const hold = b('payment_pending', ['pay', 'cancel']);
    const done = b('completed');
    const all = [inProgress, lateConfirmed, cancellable, hold, done];
    expect(blockingBookings(all, 'self')).toEqual([inProgress, lateConfirmed]);
    expect(blockingBookings(all, 'admin')).toEqual([inProgress]);
  });

  it('holds and confirmed bookings are the active ones erasure cancels', () => {
    expect(
      ['pending', 'payment_pending', 'confirmed'].map((s) => isActive(b(s as Booking['status']))),
    ).toEqual([true, true, true]);
    for (const s of ['in_progress', 'completed', 'cancelled', 'expired', 'no_show'] as const)
      expect(isActive(b(s))).toBe(false);
  });
});
