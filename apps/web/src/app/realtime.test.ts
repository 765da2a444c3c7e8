import { describe, expect, it } from 'vitest';
import { makeQueryClient } from './query-client';
import { applyLiveEvent, type LiveEvent } from './realtime';

const event = (eventId: string): LiveEvent => ({
  type: 'booking.status_changed',
  eventId,
  at: '2030-01-01T00:00:00.000Z',
  bookingId: 'b1',
  providerId: 'p1',
  from: 'payment_pending',
  status: 'confirmed',
  start: '2030-01-02T09:00:00.000Z',
  end: '2030-01-02T09:20:00.000Z',
  version: 3,
});

describe('live events', () => {
  it('invalidate booking, notification and availability queries once per event id', () => {
    const qc = makeQueryClient();
    qc.setQueryData(['bookings', 'one', 'b1'], { status: 'payment_pending' });
    qc.setQueryData(['notifications', 'badge'], { unread: 0 });
    qc.setQueryData(['availability', 'p1', 's1', 'x', 'UTC'], { days: [] });
    qc.setQueryData(['listing', 'p1'], { name: 'untouched' });
    const seen = new Set<string>();
    expect(applyLiveEvent(qc, event('e1'), seen)).toBe(true);
    expect(qc.getQueryState(['bookings', 'one', 'b1'])?.isInvalidated).toBe(true);
    expect(qc.getQueryState(['notifications', 'badge'])?.isInvalidated).toBe(true);
    expect(qc.getQueryState(['availability', 'p1', 's1', 'x', 'UTC'])?.isInvalidated).toBe(true);
    expect(qc.getQueryState(['listing', 'p1'])?.isInvalidated).toBe(false);
    expect(applyLiveEvent(qc, event('e1'), seen)).toBe(false);
  });
});
