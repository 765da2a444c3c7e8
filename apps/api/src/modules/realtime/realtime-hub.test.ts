import { describe, expect, it } from 'vitest';
import type { Principal } from '../../lib/request-meta';
import type { DomainEvent } from '../../ports/event-bus';
import { type LiveSocket, RealtimeHub } from './realtime-hub';

const owner: Principal = {
  userId: 'owner-1',
  role: 'provider',
  sessionId: 'session-1',
  actsForProviderId: 'owner-1',
  emailVerified: true,
};

const bookingEvent = (n: number): DomainEvent => ({
  id: `event-${n}`,
  type: 'booking.created',
  aggregateId: `booking-${n}`,
  occurredAt: '2026-12-01T09:00:00.000Z',
  payload: {
    bookingId: `booking-${n}`,
    patientId: 'patient-1',
    providerId: 'listing-1',
    ownerId: 'owner-1',
    from: null,
    to: 'confirmed',
    start: '2026-12-02T09:00:00.000Z',
    end: '2026-12-02T09:30:00.000Z',
    version: 2,
    reason: null,
  },
});

/** A socket that records what it was sent. */
function recordingSocket() {
  const sent: { type: string; bookingId?: string; code?: string }[] = [];
  let closed: number | null = null;
  const socket: LiveSocket = {
    send: (data) => void sent.push(JSON.parse(data)),
    close: (code) => {
      closed = code;
    },
  };
  return { socket, sent, closed: () => closed };
}

describe('realtime hub', () => {
  it('events pushed in one turn share one session re-check; every one of them is sent', async () => {
    let checks = 0;
    const hub = new RealtimeHub(async (p) => {
      checks++;
      return p;
    });
    const { socket, sent } = recordingSocket();
    hub.add(socket, owner);
    await Promise.all(Array.from({ length: 10 }, (_, i) => hub.handle(bookingEvent(i))));
    expect(checks).toBe(1);
    expect(sent.map((m) => m.bookingId).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `booking-${i}`).sort(),
    );
    // A later event is checked afresh.
    await hub.handle(bookingEvent(10));
    expect(checks).toBe(2);
  });

  it('a session ended before the shared re-check hears nothing, and its socket is closed', async () => {
    let ended = false;
    const hub = new RealtimeHub(async (p) => {
      if (ended) throw new Error('session ended');
      return p;
    });
    const { socket, sent, closed } = recordingSocket();
    hub.add(socket, owner);
    await hub.handle(bookingEvent(1));
    ended = true;
    await Promise.all([hub.handle(bookingEvent(2)), hub.handle(bookingEvent(3))]);
    expect(sent.map((m) => m.bookingId ?? m.code)).toEqual(['booking-1', 'SESSION_ENDED']);
    expect(closed()).toBe(4401);
    expect(hub.size).toBe(0);
  });
});
