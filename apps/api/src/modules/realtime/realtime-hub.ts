import type { BookingEventPayload } from '@carebook/contracts';
import type { Principal } from '../../lib/request-meta';
import type { DomainEvent } from '../../ports/event-bus';
import { maySeeBooking } from '../bookings/booking-access';

export interface LiveSocket {
  send(data: string): void;
  close(code: number, reason: string): void;
}

/** Who may hear about a booking: its patient, the listing owner's provider and staff, admins. */
export function mayReceive(
  principal: Principal,
  payload: Pick<BookingEventPayload, 'patientId' | 'ownerId'>,
): boolean {
  return maySeeBooking(principal, payload);
}

/**
 * Pushes booking events to the WebSocket clients allowed to see them. It consumes the event bus,
 * so a change made through any instance reaches clients of this one once the bus delivers it.
 */
export class RealtimeHub {
  private readonly clients = new Map<LiveSocket, Principal>();

  add(socket: LiveSocket, principal: Principal): void {
    this.clients.set(socket, principal);
  }

  remove(socket: LiveSocket): void {
    this.clients.delete(socket);
  }

  get size(): number {
    return this.clients.size;
  }

  /** Event-bus consumer. Delivery is best effort per socket; a dead socket is dropped. */
  async handle(event: DomainEvent): Promise<void> {
    if (!event.type.startsWith('booking.')) return;
    const payload = event.payload as unknown as BookingEventPayload;
    const message = JSON.stringify({
      type: event.type,
      eventId: event.id,
      at: event.occurredAt,
      bookingId: payload.bookingId,
      providerId: payload.providerId,
      from: payload.from,
      status: payload.to,
      start: payload.start,
      end: payload.end,
      version: payload.version,
    });
    for (const [socket, principal] of this.clients) {
      if (!mayReceive(principal, payload)) continue;
      try {
        socket.send(message);
      } catch {
        this.clients.delete(socket);
      }
    }
  }

  closeAll(): void {
    for (const socket of this.clients.keys()) socket.close(1001, 'server shutting down');
    this.clients.clear();
  }
}
