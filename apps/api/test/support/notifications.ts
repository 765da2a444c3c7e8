import type { Booking, BookingEventPayload } from '@carebook/contracts';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { migrationSets } from '../../src/db/migrations';
import { notifications } from '../../src/db/migrations/inventory/20261124T2240-notifications';
import type { InventoryDatabase } from '../../src/db/schema';
import { registerAuth } from '../../src/http/auth-plugin';
import { registerErrorHandling } from '../../src/http/error-handler';
import { validatorCompiler } from '../../src/http/validation';
import type { AuthService } from '../../src/modules/auth/auth.service';
import type { NotificationContext } from '../../src/modules/notifications/compose';
import type { Clock } from '../../src/ports/clock';
import type { DomainEvent } from '../../src/ports/event-bus';
import type { Mailer, MailMessage } from '../../src/ports/mailer';

/** Creates the notification tables on a fresh test database unless the migration set already did. */
export async function ensureNotificationTables(db: Kysely<InventoryDatabase>): Promise<void> {
  if (Object.values(migrationSets.inventory).includes(notifications)) return;
  await notifications.up(db);
}

export const ids = {
  booking: '0193a5b0-0000-7000-8000-0000000000b1',
  newBooking: '0193a5b0-0000-7000-8000-0000000000b2',
  patient: '0193a5b0-0000-7000-8000-0000000000a1',
  owner: '0193a5b0-0000-7000-8000-0000000000a2',
  provider: '0193a5b0-0000-7000-8000-0000000000c1',
  service: '0193a5b0-0000-7000-8000-0000000000d1',
};

export function testBooking(over: Partial<Booking> = {}): Booking {
  return {
    id: ids.booking,
    patientId: ids.patient,
    providerId: ids.provider,
    providerName: 'Praxis Müller',
    serviceId: ids.service,
    serviceName: 'Check-up',
    start: '2026-11-25T09:00:00.000Z',
    end: '2026-11-25T09:30:00.000Z',
    timeZone: 'Europe/Berlin',
    status: 'confirmed',
    priceCents: 6000,
    currency: 'EUR',
    reasonForVisit: 'Toothache',
    newPatient: false,
    holdExpiresAt: null,
    payment: null,
    rescheduledFrom: null,
    rescheduledTo: null,
    version: 3,
    history: [],
    createdAt: '2026-11-24T12:00:00.000Z',
    updatedAt: '2026-11-24T12:00:00.000Z',
    ...over,
  };
}

export function testContext(over: Partial<NotificationContext> = {}, booking: Partial<Booking> = {}) {
  return {
    booking: testBooking(booking),
    patient: { id: ids.patient, email: 'pat@example.test', displayName: 'Pat <b>O’Brien</b>' },
    providerContact: { id: ids.owner, email: 'owner@clinic.test', displayName: 'Zoë Müller' },
    providerName: 'Praxis Müller',
    serviceName: 'Check-up',
    location: 'Hauptstraße 1, 10115 Berlin',
    webUrl: 'https://carebook.test/',
    ...over,
  } satisfies NotificationContext;
}

export function testPayload(over: Partial<BookingEventPayload> = {}): BookingEventPayload {
  return {
    bookingId: ids.booking,
    patientId: ids.patient,
    providerId: ids.provider,
    ownerId: ids.owner,
    from: 'payment_pending',
    to: 'confirmed',
    start: '2026-11-25T09:00:00.000Z',
    end: '2026-11-25T09:30:00.000Z',
    version: 3,
    reason: null,
    ...over,
  };
}

export function bookingEvent(
  id: string,
  payload: BookingEventPayload,
  type = 'booking.status_changed',
): DomainEvent {
  return {
    id,
    type,
    aggregateId: payload.bookingId,
    occurredAt: '2026-11-24T12:00:00.000Z',
    payload: { ...payload },
  };
}

/** Records what it sends; `failNext` makes the next sends reject, like an SMTP outage. */
export class RecordingMailer implements Mailer {
  readonly sent: MailMessage[] = [];
  failNext = 0;
  /** Addresses whose mail server refuses everything (a full mailbox, a dead domain). */
  readonly refuse = new Set<string>();
  /** While set, every send waits for it (a slow mail server; one that never answers). */
  slow: Promise<void> | null = null;
  async send(message: MailMessage): Promise<void> {
    if (this.slow) await this.slow;
    if (this.refuse.has(message.to)) throw new Error(`SMTP 550: mailbox ${message.to} unavailable`);
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('SMTP 451: try again later');
    }
    this.sent.push(message);
  }
  async close(): Promise<void> {}
}

/** A small app with the real error handling, validation and (optionally) auth around some routes. */
export async function routeTestApp(
  routes: (app: FastifyInstance) => void,
  auth?: AuthService,
): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  app.setValidatorCompiler(validatorCompiler);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  registerErrorHandling(app);
  if (auth) registerAuth(app, auth);
  routes(app);
  await app.ready();
  return app;
}

/** A clock that moves on by `stepMs` every time it is read. */
export function steppingClock(startIso: string, stepMs: number): Clock {
  let ms = Date.parse(startIso);
  return {
    now: () => {
      ms += stepMs;
      return new Date(ms);
    },
  };
}
