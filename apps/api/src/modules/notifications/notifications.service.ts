import { BookingEventPayload } from '@carebook/contracts';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { InventoryDatabase } from '../../db/schema';
import { notFound } from '../../domain/errors';
import { newId } from '../../lib/ids';
import { type Clock, toDbTime } from '../../ports/clock';
import type { DomainEvent } from '../../ports/event-bus';
import type { Mailer } from '../../ports/mailer';
import { composeBookingNotifications, type NotificationContext } from './compose';
import { NotificationsRepository, toNotification } from './notifications.repository';
import type { Notification, NotificationPage } from './notifications.schemas';

/** Loads what a booking's notifications need; null when the booking no longer exists. */
export type LoadNotificationContext = (bookingId: string) => Promise<NotificationContext | null>;

export interface NotificationsServiceDeps {
  /** The inventory database (holds `notifications`). */
  db: Kysely<InventoryDatabase>;
  mailer: Mailer;
  loadContext: LoadNotificationContext;
  clock: Clock;
  log: Pick<FastifyBaseLogger, 'warn'>;
}

export type Channel = 'in_app' | 'email';
export const dedupeKey = (eventId: string, userId: string, channel: Channel) =>
  `${eventId}:${userId}:${channel}`;

const isBookingPayload = addFormats(new Ajv({ strict: false })).compile<BookingEventPayload>(
  BookingEventPayload,
);

/**
 * Consumes `booking.*` events: an in-app notification and an e-mail per recipient. Delivery is
 * at least once, so both are keyed by event and recipient: the in-app row is inserted once, and
 * its `emailed_at` says whether the e-mail still has to go. A mailer failure throws, so the relay
 * redelivers and only what is missing is done again.
 */
export class NotificationsService {
  private readonly repo: NotificationsRepository;

  constructor(private readonly deps: NotificationsServiceDeps) {
    this.repo = new NotificationsRepository(deps.db);
  }

  async handle(event: DomainEvent): Promise<void> {
    if (!event.type.startsWith('booking.')) return;
    const payload = event.payload;
    if (!isBookingPayload(payload)) {
      this.deps.log.warn({ eventId: event.id, type: event.type }, 'booking event with an unexpected payload');
      return;
    }
    const context = await this.deps.loadContext(payload.bookingId);
    if (!context) {
      this.deps.log.warn({ eventId: event.id, bookingId: payload.bookingId }, 'no booking to notify about');
      return;
    }
    const now = this.deps.clock.now();
    const seen = new Set<string>();
    for (const n of composeBookingNotifications(payload, context, now)) {
      if (seen.has(n.recipient.id)) continue;
      seen.add(n.recipient.id);
      const row = await this.repo.insertOnce({
        id: newId(),
        user_id: n.recipient.id,
        booking_id: payload.bookingId,
        kind: n.kind,
        title: n.inApp.title,
        body: n.inApp.body,
        created_at: toDbTime(now),
        read_at: null,
        emailed_at: null,
        dedupe_key: dedupeKey(event.id, n.recipient.id, 'in_app'),
      });
      if (row.emailed_at) continue;
      await this.deps.mailer.send({
        ...n.mail,
        idempotencyKey: dedupeKey(event.id, n.recipient.id, 'email'),
      });
      await this.repo.markEmailed(row.id, toDbTime(this.deps.clock.now()));
    }
  }

  async list(userId: string, page: number, pageSize: number): Promise<NotificationPage> {
    const { rows, total, unread } = await this.repo.page(userId, page, pageSize);
    return { items: rows.map(toNotification), page, pageSize, total, unread };
  }

  /** Marks one of the user's notifications read (idempotent); someone else's is a 404. */
  async markRead(userId: string, id: string): Promise<Notification> {
    const row = await this.repo.markRead(userId, id, toDbTime(this.deps.clock.now()));
    if (!row) throw notFound('The notification');
    return toNotification(row);
  }
}
