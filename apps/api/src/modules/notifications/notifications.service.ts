import { BookingEventPayload, type WaitlistOfferedPayload } from '@carebook/contracts';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { InventoryDatabase } from '../../db/schema';
import { notFound } from '../../domain/errors';
import { newId } from '../../lib/ids';
import type { Principal } from '../../lib/request-meta';
import { type Clock, toDbTime } from '../../ports/clock';
import type { DomainEvent } from '../../ports/event-bus';
import type { Mailer } from '../../ports/mailer';
import { maySeeBooking } from '../bookings/booking-access';
import { DataKeyMissing, type PrivacyService } from '../privacy/privacy.service';
import {
  bookingCalendar,
  type ComposedNotification,
  composeBookingNotifications,
  type NotificationContext,
} from './compose';
import { deliveryOf } from './delivery';
import { type NotificationRow, NotificationsRepository, toNotification } from './notifications.repository';
import type { Notification, NotificationPage } from './notifications.schemas';
import { composeWaitlistOffer } from './waitlist-offer';

/**
 * Loads what a booking's notifications need; null when the booking no longer exists. `parties`,
 * the booking's patient, owner and listing as an event names them, lets it read them alongside
 * the booking instead of after it (they never change over a booking's life).
 */
export type LoadNotificationContext = (
  bookingId: string,
  parties?: BookingParties,
) => Promise<NotificationContext | null>;

/** Who a booking is between, as its events carry it. */
export interface BookingParties {
  patientId: string;
  ownerId: string;
  providerId: string;
}

export interface NotificationsServiceDeps {
  /** The inventory database (holds `notifications`). */
  db: Kysely<InventoryDatabase>;
  mailer: Mailer;
  loadContext: LoadNotificationContext;
  clock: Clock;
  log: Pick<FastifyBaseLogger, 'warn'>;
  /** Opens the sealed reason an event carries; seals the stored in-app text (repository). */
  privacy: Pick<PrivacyService, 'encryptManyForPatient' | 'revealMany'>;
  /** Whether a patient wants reminders by e-mail (their messaging preferences; default yes). */
  wantsEmailReminders?: (patientId: string) => Promise<boolean>;
  /** How long a delivery waits for another handler's mail of the same event (MAIL_WAIT_MS). */
  mailWaitMs?: number;
}

export type Channel = 'in_app' | 'email';
export const dedupeKey = (eventId: string, userId: string, channel: Channel) =>
  `${eventId}:${userId}:${channel}`;

const isBookingPayload = addFormats(new Ajv({ strict: false })).compile<BookingEventPayload>(
  BookingEventPayload,
);

/** How long a handler holds a notification's e-mail while it sends it (`mail_claimed_until`). */
export const MAIL_LEASE_MS = 5 * 60_000;

/**
 * How long, at most, a delivery waits for another handler sending the same e-mail to mark it sent
 * (normally a few milliseconds: the other instance got the same event at the same moment).
 */
export const MAIL_WAIT_MS = 10_000;

/** Another handler still holds the e-mail after MAIL_WAIT_MS: this delivery leaves it alone. */
export class MailHeldElsewhere extends Error {
  constructor(readonly notificationId: string) {
    super(`the e-mail of notification ${notificationId} is being sent by another handler`);
    this.name = 'MailHeldElsewhere';
  }
}

/** An e-mail still to go: its in-app row, and the lease it holds when this delivery inserted the row. */
interface PendingMail {
  rowId: string;
  lease: string | null;
  recipientId: string;
  mail: ComposedNotification['mail'];
}

/**
 * Consumes `booking.*` events: an in-app notification per recipient, and an e-mail where the change
 * is worth one (`deliveryOf`: confirmed, rescheduled, cancelled, reminder). Delivery is
 * at least once, so both are keyed by event and recipient: the in-app row is inserted once, and
 * its `emailed_at` says whether the e-mail still has to go. Every recipient's in-app row is written
 * before any mail is sent, and each mail is tried on its own, so a failing recipient holds back
 * nobody else; the handler then throws, the bus redelivers, and only what is missing is done again.
 *
 * Two deliveries of one event can run at once, in two instances (both relays published its row)
 * or here. Here the second waits for the first (`handle`). Across instances the row's lease
 * decides (`mail_claimed_until`, MAIL_LEASE_MS): the delivery that inserted the row holds it from
 * the insert; another that finds it held sends nothing and waits until it is marked sent (then it
 * is done, as a handled delivery) or the lease is free (a failed send gives it back at once) or ran
 * out (its holder died): then it sends. After MAIL_WAIT_MS it stops waiting and throws
 * MailHeldElsewhere, and the bus brings the event back later. Waiting rather than failing at once
 * matters where every instance's relay publishes to its own consumers (the in-process bus): a
 * delivery that failed there holds back its aggregate's later events in that instance until its
 * own relay republishes it, which it never does once the other instance marked the row published.
 */
export class NotificationsService {
  private readonly repo: NotificationsRepository;

  constructor(private readonly deps: NotificationsServiceDeps) {
    this.repo = new NotificationsRepository(deps.db, deps.privacy);
  }

  /**
   * The in-app rows, sealed with the patient's key; null when that key was destroyed meanwhile (the
   * patient was erased while this event waited): the erasure removed every notification about
   * their bookings, and none may come back.
   */
  private async insertForLivePatient(rows: NotificationRow[]): Promise<NotificationRow[] | null> {
    try {
      return await this.repo.insertEachOnce(rows);
    } catch (err) {
      if (err instanceof DataKeyMissing) return null;
      throw err;
    }
  }

  /** Deliveries of one event being handled now, by event id. */
  private readonly handling = new Map<string, Promise<void>>();

  /**
   * Handles an event at least once per delivery; a delivery of an event already being handled
   * here (a redelivery racing the first, or the same event published twice) gets that handling's
   * outcome instead of finding its mails held and polling the database until they are marked.
   */
  handle(event: DomainEvent): Promise<void> {
    const running = this.handling.get(event.id);
    if (running) return running;
    const run: Promise<void> = this.handleOnce(event).finally(() => {
      if (this.handling.get(event.id) === run) this.handling.delete(event.id);
    });
    this.handling.set(event.id, run);
    return run;
  }

  private async handleOnce(event: DomainEvent): Promise<void> {
    if (event.type === 'waitlist.offered') return this.waitlistOffered(event);
    if (!event.type.startsWith('booking.')) return;
    const sealed = event.payload;
    if (!isBookingPayload(sealed)) {
      this.deps.log.warn({ eventId: event.id, type: event.type }, 'booking event with an unexpected payload');
      return;
    }
    // Events carry the reason sealed with the patient's key; an erased patient's reads as none.
    // Opened while the context is read: under load every step that waits for a batch waits for
    // a turn of the event loop, and the consumer keeps pace by taking as few of them as it can.
    const [[reason], context] = await Promise.all([
      this.deps.privacy.revealMany([{ patientId: sealed.patientId, value: sealed.reason }]),
      this.deps.loadContext(sealed.bookingId, sealed),
    ]);
    const payload: BookingEventPayload = { ...sealed, reason: reason ?? null };
    if (!context) {
      this.deps.log.warn({ eventId: event.id, bookingId: payload.bookingId }, 'no booking to notify about');
      return;
    }
    const now = this.deps.clock.now();
    const seen = new Set<string>();
    // The booking has moved on since this event (a free booking is confirmed in the transaction
    // that created it): a step on the way is then not worth telling anyone about.
    const superseded = context.booking.version > payload.version;
    const delivery = new Map<ComposedNotification, ReturnType<typeof deliveryOf>>();
    // A patient who unticked e-mail reminders gets the reminder in the app only.
    const emailReminders =
      event.type === 'booking.reminder_due' && this.deps.wantsEmailReminders
        ? await this.deps.wantsEmailReminders(context.patient.id)
        : true;
    // A series is booked as one: its first visit's confirmation speaks for all the others.
    const laterVisitOfNewSeries =
      !!context.series &&
      context.series.occurrence > 1 &&
      (payload.from === null || payload.from === 'pending');
    const composed = composeBookingNotifications(payload, context, now, event.type).filter((n) => {
      let d = deliveryOf(n.kind, n.audience, payload.from, superseded);
      if (laterVisitOfNewSeries && (n.kind === 'confirmed' || n.kind === 'requested')) d = 'none';
      if (d === 'email' && n.kind === 'reminder' && !emailReminders) d = 'in_app';
      // A person whose account was erased is told nothing more.
      if (d === 'none' || seen.has(n.recipient.id) || context.erased?.includes(n.recipient.id)) return false;
      delivery.set(n, d);
      seen.add(n.recipient.id);
      return true;
    });
    // Every in-app notification first (one statement): no mail server can hold them back. A row
    // whose e-mail is to go is inserted holding it (see the class comment).
    const lease = this.leaseFromNow();
    const ids = composed.map(() => newId());
    const rows = await this.insertForLivePatient(
      composed.map((n, i) => ({
        id: ids[i] as string,
        user_id: n.recipient.id,
        booking_id: payload.bookingId,
        patient_id: payload.patientId,
        kind: n.kind,
        title: n.inApp.title,
        body: n.inApp.body,
        created_at: toDbTime(now),
        read_at: null,
        emailed_at: null,
        mail_claimed_until: delivery.get(n) === 'email' ? lease : null,
        dedupe_key: dedupeKey(event.id, n.recipient.id, 'in_app'),
      })),
    );
    // The patient was erased while this event waited: nobody is told about their booking.
    if (!rows) return;
    const pending = composed.flatMap((n, i): PendingMail[] => {
      const row = rows[i];
      return row && delivery.get(n) === 'email' && !row.emailed_at
        ? [
            {
              rowId: row.id,
              lease: row.id === ids[i] ? lease : null,
              mail: n.mail,
              recipientId: n.recipient.id,
            },
          ]
        : [];
    });
    await this.sendEach(event.id, pending, { bookingId: payload.bookingId });
  }

  /**
   * Sends each pending e-mail on its own, side by side: one recipient's failure does not stop the
   * other's mail. A row this delivery found rather than inserted is sent only once its lease is
   * taken (`takeMail`). The rows of the mails that went are marked together (one write); a crash
   * before that mark resends them, once their lease ran out, with the same idempotency key (and
   * Message-ID). Throws the first failure, after the rest was done, so that the bus redelivers.
   */
  private async sendEach(
    eventId: string,
    pending: readonly PendingMail[],
    about: Record<string, string>,
  ): Promise<void> {
    const failures: unknown[] = [];
    const emailed: string[] = [];
    const failed: { id: string; lease: string }[] = [];
    await Promise.all(
      pending.map(async (p) => {
        let lease = p.lease;
        if (lease === null) {
          const taken = await this.takeMail(p.rowId);
          if (taken === 'gone') return;
          if (taken === 'held') {
            failures.push(new MailHeldElsewhere(p.rowId));
            return;
          }
          lease = taken.lease;
        }
        try {
          await this.deps.mailer.send({
            ...p.mail,
            idempotencyKey: dedupeKey(eventId, p.recipientId, 'email'),
          });
          emailed.push(p.rowId);
        } catch (err) {
          failures.push(err);
          failed.push({ id: p.rowId, lease });
          this.deps.log.warn(
            { err, eventId, ...about, recipientId: p.recipientId },
            'notification e-mail failed; the event will be redelivered for it',
          );
        }
      }),
    );
    await Promise.all([
      this.repo.markEmailed(emailed, toDbTime(this.deps.clock.now())),
      this.repo.releaseMailClaims(failed),
    ]);
    // Throwing makes the bus redeliver; only the mail still missing is sent again.
    if (failures.length > 0) throw failures[0];
  }

  /** Until when a lease taken now holds. */
  private leaseFromNow(): string {
    return toDbTime(new Date(this.deps.clock.now().getTime() + MAIL_LEASE_MS));
  }

  /**
   * The e-mail of a row another delivery wrote: the lease taken on it once it is free or ran out,
   * 'gone' when it was sent meanwhile (or the row is gone), 'held' when its holder still holds it
   * after MAIL_WAIT_MS. Looks again after 25 ms, then twice as long each time, up to a second.
   */
  private async takeMail(rowId: string): Promise<{ lease: string } | 'gone' | 'held'> {
    const deadline = performance.now() + (this.deps.mailWaitMs ?? MAIL_WAIT_MS);
    for (let pause = 25; ; pause = Math.min(pause * 2, 1000)) {
      const lease = this.leaseFromNow();
      if (await this.repo.claimMail(rowId, lease, toDbTime(this.deps.clock.now()))) return { lease };
      if ((await this.repo.mailSent(rowId)) !== false) return 'gone';
      if (performance.now() + pause > deadline) return 'held';
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }

  /** A waitlist offer: the patient is told in the app and by e-mail, once per event. */
  private async waitlistOffered(event: DomainEvent): Promise<void> {
    const payload = event.payload as unknown as WaitlistOfferedPayload;
    const context = await this.deps.loadContext(payload.bookingId);
    if (!context) return;
    const n = composeWaitlistOffer(payload, context);
    const id = newId();
    const lease = this.leaseFromNow();
    const [row] = await this.repo.insertEachOnce([
      {
        id,
        user_id: payload.patientId,
        patient_id: payload.patientId,
        booking_id: payload.bookingId,
        kind: 'waitlist_offer',
        title: n.inApp.title,
        body: n.inApp.body,
        created_at: toDbTime(this.deps.clock.now()),
        read_at: null,
        emailed_at: null,
        mail_claimed_until: lease,
        dedupe_key: dedupeKey(event.id, payload.patientId, 'in_app'),
      },
    ]);
    if (!row || row.emailed_at) return;
    await this.sendEach(
      event.id,
      [{ rowId: row.id, lease: row.id === id ? lease : null, mail: n.mail, recipientId: payload.patientId }],
      { bookingId: payload.bookingId },
    );
  }

  /**
   * The booking's calendar file (GET /api/v1/bookings/{id}/ics), from the generator the e-mails
   * use: same UID and SEQUENCE, so importing it updates the invitation's event. Readable by whoever
   * may read the booking; anyone else gets a 404. Answers whose booking it is, for the access audit.
   */
  async calendarFile(principal: Principal, bookingId: string): Promise<{ ics: string; patientId: string }> {
    const context = await this.deps.loadContext(bookingId);
    if (
      !context ||
      !maySeeBooking(principal, { patientId: context.patient.id, ownerId: context.ownerId ?? null })
    )
      throw notFound('The booking');
    const b = context.booking;
    const cancelled = !['confirmed', 'in_progress', 'completed'].includes(b.status);
    const ics = bookingCalendar(
      { bookingId, start: b.start, end: b.end, version: b.version },
      context,
      this.deps.clock.now(),
      'PUBLISH',
      cancelled,
    );
    return { ics, patientId: context.patient.id };
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
