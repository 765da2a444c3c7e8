import type { BookingStatus } from '../../src/modules/bookings/domain/status';
import type { Actor, BookingEventType } from '../../src/modules/bookings/domain/transitions';

/**
 * The booking state machine as the tests expect it, written independently of `TRANSITIONS`:
 * for each `"<from> <event>"` with any rule, who may attempt it, and where it leads.
 */
export const EXPECTED_EDGES: Record<string, { actors: Actor[]; to: BookingStatus }> = {
  'pending require_payment': { actors: ['system'], to: 'payment_pending' },
  'pending confirm': { actors: ['system'], to: 'confirmed' },
  'payment_pending payment_succeeded': { actors: ['system'], to: 'confirmed' },
  'pending expire': { actors: ['system'], to: 'expired' },
  'payment_pending expire': { actors: ['system'], to: 'expired' },
  'confirmed start': { actors: ['system'], to: 'in_progress' },
  'in_progress complete': { actors: ['system', 'provider', 'staff'], to: 'completed' },
  'confirmed complete': { actors: ['provider', 'staff'], to: 'completed' },
  'pending cancel': { actors: ['system', 'patient', 'provider', 'staff', 'admin'], to: 'cancelled' },
  'payment_pending cancel': { actors: ['patient', 'provider', 'staff', 'admin'], to: 'cancelled' },
  'confirmed cancel': { actors: ['patient', 'provider', 'staff', 'admin'], to: 'cancelled' },
  'confirmed mark_no_show': { actors: ['provider', 'staff'], to: 'no_show' },
  'in_progress mark_no_show': { actors: ['provider', 'staff'], to: 'no_show' },
};

export const edgeKey = (from: BookingStatus, event: BookingEventType) => `${from} ${event}`;
