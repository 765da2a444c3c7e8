import type { Kysely } from 'kysely';
import { beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { describeEachDialect } from '../../../test/support/databases';
import {
  bookingEvent,
  ensureNotificationTables,
  ids,
  RecordingMailer,
  steppingClock,
  testContext,
  testPayload,
} from '../../../test/support/notifications';
import { privacyOn } from '../../../test/support/privacy';
import type { InventoryDatabase } from '../../db/schema';
import { DomainError } from '../../domain/errors';
import type { Clock } from '../../ports/clock';
import type { NotificationContext } from './compose';
import { dedupeKey, MAIL_LEASE_MS, MailHeldElsewhere, NotificationsService } from './notifications.service';

const EVENT = '0193a5b0-0000-7000-8000-0000000000e1';

async function insertUser(db: Kysely<InventoryDatabase>, id: string, email: string) {
  const at = '2026-11-24T12:00:00.000Z';
  await db
    .insertInto('users')
    .values({
      id,
      email,
      password_hash: 'x',
      display_name: email,
      role: 'patient',
      status: 'active',
      verified: 1,
      provider_id: null,
      suspended_reason: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
}

describeEachDialect('NotificationsService', (db) => {
  const kysely = (): Kysely<InventoryDatabase> => db().dbs.inventory.db;
  let mailer: RecordingMailer;
  let warnings: unknown[];
  let contexts: number;
  let clock: Clock;
  let booking: Parameters<typeof testContext>[1];
  let series: NotificationContext['series'];
  let emailReminders: boolean;
  const service = (options: { mailWaitMs?: number } = {}) =>
    new NotificationsService({
      ...options,
      db: kysely(),
      mailer,
      loadContext: async (bookingId) => {
        contexts++;
        return bookingId === ids.booking ? { ...testContext({}, booking), series } : null;
      },
      clock,
      log: { warn: (obj: unknown) => warnings.push(obj) } as never,
      privacy: privacyOn(kysely()),
      wantsEmailReminders: async (patientId) => patientId !== ids.patient || emailReminders,
    });
  const rows = () => kysely().selectFrom('notifications').selectAll().orderBy('dedupe_key').execute();

  beforeAll(async () => {
    await ensureNotificationTables(kysely());
    await insertUser(kysely(), ids.patient, 'pat@example.test');
    await insertUser(kysely(), ids.owner, 'owner@clinic.test');
  });
  beforeEach(async () => {
    await kysely().deleteFrom('notifications').execute();
    mailer = new RecordingMailer();
    warnings = [];
    contexts = 0;
    booking = {};
    series = null;
    emailReminders = true;
    clock = steppingClock('2026-11-24T12:00:00.000Z', 1000);
  });

  it('mails and records both recipients once, however often the event is delivered', async () => {
    const event = bookingEvent(EVENT, testPayload());
    await service().handle(event);
    await service().handle(event);
    await Promise.all([service().handle(event), service().handle(event)]);
    expect(mailer.sent.map((m) => [m.to, m.idempotencyKey])).toEqual([
      ['pat@example.test', dedupeKey(EVENT, ids.patient, 'email')],
      ['owner@clinic.test', dedupeKey(EVENT, ids.owner, 'email')],
    ]);
    expect(mailer.sent[0]?.attachments?.[0]?.filename).toBe('invite.ics');
    const stored = await rows();
    expect(stored.map((r) => [r.user_id, r.dedupe_key, r.kind])).toEqual(
      [
        [ids.owner, `${EVENT}:${ids.owner}:in_app`, 'confirmed'],
        [ids.patient, `${EVENT}:${ids.patient}:in_app`, 'confirmed'],
      ].sort((a, b) => String(a[1]).localeCompare(String(b[1]))),
    );
    expect(stored.every((r) => r.emailed_at !== null && r.read_at === null)).toBe(true);
  });

  it('two deliveries of a new event handled at once mail each recipient once', async () => {
    const event = bookingEvent(EVENT, testPayload());
    const one = service();
    await Promise.all([one.handle(event), one.handle(event)]);
    expect(mailer.sent.map((m) => m.to).sort()).toEqual(['owner@clinic.test', 'pat@example.test']);
  });

  /** A mail server that answers when told to (`answer`), or never. */
  const slowMailServer = () => {
    let answer = () => {};
    mailer.slow = new Promise((resolve) => {
      answer = resolve;
    });
    return () => answer();
  };
  const settled = (p: Promise<unknown>) =>
    p.then(
      () => 'resolved',
      (err: unknown) => err,
    );

  it('two instances handling a new event at once: one mails, the other waits until it is marked sent', async () => {
    const event = bookingEvent(EVENT, testPayload());
    const answer = slowMailServer();
    // Each service is an instance of its own (nothing shared but the database).
    const first = settled(service().handle(event));
    await vi.waitFor(async () => expect(await rows()).toHaveLength(2));
    let secondDone = false;
    const second = settled(service().handle(event)).finally(() => {
      secondDone = true;
    });
    await new Promise((r) => setTimeout(r, 150));
    // Still waiting for the first (a delivery that gave up at once would have settled by now).
    expect(secondDone).toBe(false);
    answer();
    expect(await first).toBe('resolved');
    // The second finds the mails sent and is done, as a handled delivery (nothing for the bus to redo).
    expect(await second).toBe('resolved');
    expect(mailer.sent.map((m) => m.to).sort()).toEqual(['owner@clinic.test', 'pat@example.test']);
    expect((await rows()).every((r) => r.emailed_at !== null)).toBe(true);
  });

  it('an instance whose send fails gives the mail back: the one waiting for it sends it', async () => {
    const event = bookingEvent(EVENT, testPayload());
    const answer = slowMailServer();
    const first = settled(service().handle(event));
    await vi.waitFor(async () => expect(await rows()).toHaveLength(2));
    const second = settled(service().handle(event));
    mailer.failNext = 2; // both of the first instance's sends
    answer();
    expect(String(await first)).toMatch(/SMTP 451/);
    expect(await second).toBe('resolved');
    expect(mailer.sent.map((m) => m.to).sort()).toEqual(['owner@clinic.test', 'pat@example.test']);
  });

  it('an instance that died mid-send holds the mail until its lease runs out; a later delivery sends it once', async () => {
    const event = bookingEvent(EVENT, testPayload());
    let ms = Date.parse('2026-11-24T12:00:00.000Z');
    clock = { now: () => new Date(ms) };
    mailer.slow = new Promise(() => {}); // the mail server never answers: the instance is as good as dead
    void service().handle(event);
    await vi.waitFor(async () => expect(await rows()).toHaveLength(2));
    mailer.slow = null;
    // The next delivery waits (here 100 ms, MAIL_WAIT_MS in the app), then leaves it to the bus.
    await expect(service({ mailWaitMs: 100 }).handle(event)).rejects.toBeInstanceOf(MailHeldElsewhere);
    expect(mailer.sent).toEqual([]);
    ms += MAIL_LEASE_MS;
    await service().handle(event);
    await service().handle(event);
    expect(mailer.sent.map((m) => m.to).sort()).toEqual(['owner@clinic.test', 'pat@example.test']);
  });

  it('throws when the mailer fails, and a redelivery sends exactly what is missing', async () => {
    const event = bookingEvent(EVENT, testPayload());
    mailer.failNext = 1;
    await expect(service().handle(event)).rejects.toThrow(/SMTP 451/);
    // The patient's mail failed; the provider's went out, and both in-app notifications exist.
    expect(mailer.sent.map((m) => m.to)).toEqual(['owner@clinic.test']);
    expect((await rows()).map((r) => [r.user_id, r.emailed_at === null])).toEqual(
      [
        [ids.owner, false],
        [ids.patient, true],
      ].sort((a, b) => `${a[0]}:in_app`.localeCompare(`${b[0]}:in_app`)),
    );

    await service().handle(event);
    await service().handle(event);
    expect(mailer.sent.map((m) => m.to)).toEqual(['owner@clinic.test', 'pat@example.test']);
    expect((await rows()).every((r) => r.emailed_at !== null)).toBe(true);
  });

  it('a recipient whose mail keeps failing holds back neither the other e-mail nor any in-app notification', async () => {
    const event = bookingEvent(EVENT, testPayload());
    mailer.refuse.add('pat@example.test');
    for (let delivery = 0; delivery < 3; delivery++)
      await expect(service().handle(event)).rejects.toThrow(/SMTP 550/);
    expect(mailer.sent.map((m) => m.to)).toEqual(['owner@clinic.test']);
    const stored = await rows();
    expect(stored).toHaveLength(2);
    expect(stored.find((r) => r.user_id === ids.owner)?.emailed_at).not.toBeNull();
    expect(stored.find((r) => r.user_id === ids.patient)?.emailed_at).toBeNull();
    // Both see it in the app at once.
    expect((await service().list(ids.patient, 1, 10)).total).toBe(1);
    expect((await service().list(ids.owner, 1, 10)).total).toBe(1);
    mailer.refuse.clear();
    await service().handle(event);
    expect(mailer.sent.map((m) => m.to)).toEqual(['owner@clinic.test', 'pat@example.test']);
  });

  it('a second event for the same booking is a second notification', async () => {
    await service().handle(bookingEvent(EVENT, testPayload()));
    const cancel = testPayload({ from: 'confirmed', to: 'cancelled', version: 4, reason: 'Ill' });
    await service().handle(bookingEvent('0193a5b0-0000-7000-8000-0000000000e2', cancel));
    expect(mailer.sent.map((m) => m.attachments?.[0]?.filename)).toEqual([
      'invite.ics',
      'invite.ics',
      'cancel.ics',
      'cancel.ics',
    ]);
    expect(await rows()).toHaveLength(4);
  });

  it('ignores other event types, unknown bookings and malformed payloads', async () => {
    await service().handle({ ...bookingEvent(EVENT, testPayload()), type: 'listing.updated' });
    expect(contexts).toBe(0);
    await service().handle(bookingEvent(EVENT, testPayload({ bookingId: ids.newBooking })));
    await service().handle({ ...bookingEvent(EVENT, testPayload()), payload: { bookingId: ids.booking } });
    expect(contexts).toBe(1);
    expect(warnings).toHaveLength(2);
    expect(mailer.sent).toEqual([]);
    expect(await rows()).toEqual([]);
  });

  describe('one e-mail per meaningful change', () => {
    const event = (n: number, over: Parameters<typeof testPayload>[0], type?: string) =>
      bookingEvent(
        `0193a5b0-0000-7000-8000-0000000001${String(n).padStart(2, '0')}`,
        testPayload(over),
        type,
      );
    const mails = () => mailer.sent.map((m) => `${m.to}: ${m.subject.split(':')[0]}`);
    const inApp = async () =>
      (await rows()).map((r) => `${r.user_id === ids.patient ? 'patient' : 'provider'} ${r.kind}`).sort();

    it('a free booking (created and confirmed in one transaction) sends "confirmed" only, once each', async () => {
      // By the time the consumer reads "created" (version 1), the booking is at version 2.
      booking = { version: 2, priceCents: 0 };
      await service().handle(event(1, { from: null, to: 'pending', version: 1 }, 'booking.created'));
      await service().handle(event(2, { from: 'pending', to: 'confirmed', version: 2 }));
      expect(mails()).toEqual([
        'pat@example.test: Booking confirmed',
        'owner@clinic.test: Booking confirmed',
      ]);
      expect(await inApp()).toEqual(['patient confirmed', 'provider confirmed']);
    });

    it('a paid booking: the request and the wait for payment are in the app only; the confirmation is mailed', async () => {
      booking = { version: 1, status: 'pending' };
      await service().handle(event(1, { from: null, to: 'pending', version: 1 }, 'booking.created'));
      booking = { version: 2, status: 'payment_pending' };
      await service().handle(event(2, { from: 'pending', to: 'payment_pending', version: 2 }));
      expect(mails()).toEqual([]);
      expect(await inApp()).toEqual(['patient awaiting_payment', 'patient requested', 'provider requested']);
      booking = { version: 3 };
      await service().handle(event(3, { from: 'payment_pending', to: 'confirmed', version: 3 }));
      expect(mails()).toEqual([
        'pat@example.test: Booking confirmed',
        'owner@clinic.test: Booking confirmed',
      ]);
    });

    it('a reschedule is one message each ("rescheduled"), none for the replaced booking', async () => {
      booking = { status: 'cancelled', rescheduledTo: ids.newBooking, version: 4 };
      await service().handle(
        event(1, { from: 'confirmed', to: 'cancelled', version: 4, reason: 'Rescheduled' }),
      );
      booking = { rescheduledFrom: ids.newBooking, version: 5 };
      await service().handle(event(2, { from: null, to: 'confirmed', version: 5 }, 'booking.created'));
      expect(mails()).toEqual([
        'pat@example.test: New time confirmed',
        'owner@clinic.test: Booking rescheduled',
      ]);
      expect(await inApp()).toEqual(['patient rescheduled', 'provider rescheduled']);
    });

    it('cancelling a confirmed booking is mailed; dropping an unpaid hold is not', async () => {
      booking = { status: 'cancelled', version: 4 };
      await service().handle(event(1, { from: 'payment_pending', to: 'cancelled', version: 4 }));
      expect(mails()).toEqual([]);
      await service().handle(event(2, { from: 'confirmed', to: 'cancelled', version: 4 }));
      expect(mails()).toEqual([
        'pat@example.test: Booking cancelled',
        'owner@clinic.test: Booking cancelled',
      ]);
    });

    it('the 24-hour reminder is a reminder to the patient, not a second confirmation', async () => {
      await service().handle(event(1, { from: 'confirmed', to: 'confirmed' }, 'booking.reminder_due'));
      expect(mails()).toEqual(['pat@example.test: Reminder']);
      expect(mailer.sent[0]?.text).toContain(
        'Your Check-up with Praxis Müller is on Wednesday, 25 November 2026',
      );
      expect(mailer.sent[0]?.attachments).toBeUndefined();
      expect(await inApp()).toEqual(['patient reminder']);
    });

    it('a patient who unticked e-mail reminders gets the reminder in the app only', async () => {
      emailReminders = false;
      await service().handle(event(1, { from: 'confirmed', to: 'confirmed' }, 'booking.reminder_due'));
      expect(mails()).toEqual([]);
      expect(await inApp()).toEqual(['patient reminder']);
      // Other messages are not reminders: a cancellation is still mailed.
      booking = { status: 'cancelled', version: 4 };
      await service().handle(event(2, { from: 'confirmed', to: 'cancelled', version: 4 }));
      expect(mails()).toEqual([
        'pat@example.test: Booking cancelled',
        'owner@clinic.test: Booking cancelled',
      ]);
    });

    it('a new series is told once, by its first visit, with the series named; later visits say nothing', async () => {
      booking = { version: 2, priceCents: 0 };
      series = {
        id: '0193a5b0-0000-7000-8000-0000000000e1',
        occurrence: 2,
        occurrences: 4,
        intervalWeeks: 1,
      };
      await service().handle(event(1, { from: null, to: 'pending', version: 1 }, 'booking.created'));
      await service().handle(event(2, { from: 'pending', to: 'confirmed', version: 2 }));
      expect(mails()).toEqual([]);
      expect(await inApp()).toEqual([]);
      series = { ...series, occurrence: 1 };
      await service().handle(event(3, { from: 'pending', to: 'confirmed', version: 2 }));
      expect(mails()).toEqual([
        'pat@example.test: Booking confirmed',
        'owner@clinic.test: Booking confirmed',
      ]);
      expect(mailer.sent[0]?.text).toContain(`Every week, 4 visits — all dates: `);
      expect(mailer.sent[0]?.text).toContain(`/series/${series.id}`);
      // A later visit cancelled on its own is still told.
      series = { ...series, occurrence: 3 };
      booking = { status: 'cancelled', version: 3 };
      await service().handle(event(4, { from: 'confirmed', to: 'cancelled', version: 3 }));
      expect(mails()).toHaveLength(4);
    });
  });

  describe('in-app list', () => {
    beforeEach(async () => {
      for (const [n, to] of (['pending', 'confirmed', 'cancelled'] as const).entries()) {
        await service().handle(bookingEvent(`0193a5b0-0000-7000-8000-00000000f00${n}`, testPayload({ to })));
      }
    });

    it('pages my own notifications newest first with total and unread count', async () => {
      const first = await service().list(ids.patient, 1, 2);
      expect(first).toMatchObject({ page: 1, pageSize: 2, total: 3, unread: 3 });
      expect(first.items.map((n) => n.kind)).toEqual(['cancelled', 'confirmed']);
      expect(first.items[0]).toMatchObject({
        bookingId: ids.booking,
        title: 'Booking cancelled',
        readAt: null,
      });
      expect((await service().list(ids.patient, 2, 2)).items.map((n) => n.kind)).toEqual(['requested']);
      expect((await service().list(ids.owner, 1, 10)).items.map((n) => n.title)).toEqual([
        'Booking cancelled',
        'Booking confirmed',
        'New booking request',
      ]);
    });

    it('marks read once, only for the owner', async () => {
      const [newest] = (await service().list(ids.patient, 1, 1)).items;
      const id = newest?.id ?? '';
      await expect(service().markRead(ids.owner, id)).rejects.toSatisfy(
        (e) => e instanceof DomainError && e.code === 'NOT_FOUND',
      );
      const read = await service().markRead(ids.patient, id);
      expect(read.readAt).not.toBeNull();
      expect((await service().markRead(ids.patient, id)).readAt).toBe(read.readAt);
      expect((await service().list(ids.patient, 1, 10)).unread).toBe(2);
      expect((await service().list(ids.owner, 1, 10)).unread).toBe(3);
    });
  });
});
