import type { BookingEventPayload, WaitlistOfferedPayload } from '@carebook/contracts';
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

/** The principal of a socket's session as it is now (role, suspension, revocation); throws when ended. */
export type Recheck = (current: Principal) => Promise<Principal>;

interface Client {
  principal: Principal;
}

/**
 * Pushes booking events to the WebSocket clients allowed to see them. It consumes the event bus,
 * so a change made through any instance reaches clients of this one once the bus delivers it.
 * Before a socket is sent an event, its session is checked afresh (role, suspension, revocation):
 * a user demoted, suspended or signed out since the socket opened hears nothing more, and the
 * socket is closed. The access token itself is re-checked every minute by the route.
 */
export class RealtimeHub {
  private readonly clients = new Map<LiveSocket, Client>();
  /** Re-checks asked for and not started yet, by socket (checkBeforePush). */
  private readonly checksDue = new Map<LiveSocket, Promise<Principal | null>>();

  constructor(private readonly recheck: Recheck) {}

  add(socket: LiveSocket, principal: Principal): void {
    this.clients.set(socket, { principal });
  }

  /**
   * Re-checks one socket's session now (with `check`, by default the session check); null, and
   * the socket closed, when it has ended.
   */
  async revalidate(
    socket: LiveSocket,
    check: () => Promise<Principal> = () => this.recheckOf(socket),
  ): Promise<Principal | null> {
    const client = this.clients.get(socket);
    if (!client) return null;
    try {
      const fresh = await check();
      if (this.clients.get(socket) === client) client.principal = fresh;
      return fresh;
    } catch {
      this.end(socket);
      return null;
    }
  }

  /**
   * The session re-check for a push: every push to this socket asked for in the same tick shares
   * one read, which starts after all of them arrived (so it sees at least what each would have
   * seen on its own). A batch of events then costs one session read per socket, not one per event.
   */
  private checkBeforePush(socket: LiveSocket): Promise<Principal | null> {
    const due = this.checksDue.get(socket);
    if (due) return due;
    // process.nextTick runs once the current cascade of promise callbacks has settled: every push
    // of the events the bus handed over together has asked by then, and no I/O turn is waited for.
    const check = new Promise<void>((resolve) => process.nextTick(resolve)).then(() => {
      this.checksDue.delete(socket);
      return this.revalidate(socket);
    });
    this.checksDue.set(socket, check);
    return check;
  }

  private recheckOf(socket: LiveSocket): Promise<Principal> {
    const client = this.clients.get(socket);
    return client ? this.recheck(client.principal) : Promise.reject(new Error('gone'));
  }

  private end(socket: LiveSocket): void {
    this.clients.delete(socket);
    try {
      socket.send(JSON.stringify({ type: 'error', code: 'SESSION_ENDED' }));
      socket.close(4401, 'SESSION_ENDED');
    } catch {
      // already gone
    }
  }

  remove(socket: LiveSocket): void {
    this.clients.delete(socket);
  }

  get size(): number {
    return this.clients.size;
  }

  /** Event-bus consumer. Delivery is best effort per socket; a dead socket is dropped. */
  async handle(event: DomainEvent): Promise<void> {
    if (event.type === 'account.changed') return this.accountChanged(event);
    if (event.type === 'waitlist.offered') {
      // Only the patient the time is held for hears of the offer.
      const offer = event.payload as unknown as WaitlistOfferedPayload;
      const message = JSON.stringify({ type: event.type, eventId: event.id, at: event.occurredAt, ...offer });
      return this.push(message, (p) => p.userId === offer.patientId);
    }
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
    return this.push(message, (p) => mayReceive(p, payload));
  }

  private async push(message: string, may: (p: Principal) => boolean): Promise<void> {
    // Only sockets the event would go to are re-checked (a promotion only ever widens what a
    // user may see; the periodic re-check picks it up).
    const candidates = [...this.clients].filter(([, c]) => may(c.principal));
    await Promise.all(
      candidates.map(async ([socket]) => {
        const fresh = await this.checkBeforePush(socket);
        if (!fresh || !may(fresh)) return;
        try {
          socket.send(message);
        } catch {
          this.clients.delete(socket);
        }
      }),
    );
  }

  /** Tells the account's own open sockets (after the usual re-check) that it changed. */
  private async accountChanged(event: DomainEvent): Promise<void> {
    const { userId, change } = event.payload as { userId: string; change: string };
    const message = JSON.stringify({ type: event.type, eventId: event.id, at: event.occurredAt, change });
    const mine = [...this.clients].filter(([, c]) => c.principal.userId === userId);
    await Promise.all(
      mine.map(async ([socket]) => {
        if (!(await this.checkBeforePush(socket))) return;
        try {
          socket.send(message);
        } catch {
          this.clients.delete(socket);
        }
      }),
    );
  }

  closeAll(): void {
    for (const socket of this.clients.keys()) socket.close(1001, 'server shutting down');
    this.clients.clear();
  }
}
