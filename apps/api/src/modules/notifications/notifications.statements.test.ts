import { AsyncLocalStorage } from 'node:async_hooks';
import type { Booking } from '@carebook/contracts';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/support/app';
import { at, book, type Practice, practice, WED_0900_NY } from '../../../test/support/bookings';
import { describeEachDialect } from '../../../test/support/databases';
import { eventually } from '../../../test/support/eventually';
import { bearer } from '../../../test/support/http';
import { RecordingMailer } from '../../../test/support/notifications';
import { DevMailbox } from '../../adapters/mailer/dev-mailbox';
import type { Databases } from '../../container';
import { observeDatabases } from '../../db/open-databases';
import type { DomainEvent } from '../../ports/event-bus';
import type { Mailer } from '../../ports/mailer';
import { notificationContextLoader } from './context';
import { formatWhen } from './format';
import { NotificationsService } from './notifications.service';

/**
 * What the notifications consumer costs in SQL per booking event, counted on the real app's
 * databases: every statement started inside a handler's async context is recorded. A fresh
 * service and context loader per count, so nothing is remembered from the app's own consumer; the
 * patient's data key is cached as it is in steady state (the booking request used it).
 */
describeEachDialect('notifications consumer: statements per booking event', (db) => {
  const counting = new AsyncLocalStorage<string[]>();
  let t: TestApp;
  let dbs: Databases;
  const captured: DomainEvent[] = [];

  beforeAll(async () => {
    dbs = observeDatabases(db().dbs, (database) => (kind) => {
      counting.getStore()?.push(`${database} ${kind}`);
      return () => {};
    });
    t = await buildTestApp(dbs);
    t.services.eventBus.subscribe('capture', 'broadcast', async (e) => {
      captured.push(e);
    });
  });
  afterAll(async () => {
    await t?.app.close();
  });

  /** Handles the events side by side (as the bus does) with a fresh consumer; the statements it ran. */
  async function statementsOf(
    events: DomainEvent[],
    // A dev mailbox of its own: the app's batches the writes of one turn, and its own consumer may
    // be storing this booking's mails at the same moment, in its own context.
    mailer: Mailer = new DevMailbox(dbs.inventory.db, t.clock),
  ): Promise<string[]> {
    const s = t.services;
    const service = new NotificationsService({
      db: dbs.inventory.db,
      mailer,
      loadContext: notificationContextLoader({
        bookingRow: async (id) => (await s.bookings.forBooking(id)).repo.byId(id),
        bookings: s.bookings,
        users: s.users,
        providersRepo: s.providersRepo,
        webUrl: t.config.publicUrl,
      }),
      clock: t.clock,
      log: { warn: () => {} },
      privacy: s.privacy,
    });
    const seen: string[] = [];
    // A new event id each time: new dedupe keys, so the rows are written as the first time.
    await counting.run(seen, () =>
      Promise.all(events.map((e) => service.handle({ ...e, id: `${e.id}-${Math.random()}` }))),
    );
    return seen.sort();
  }

  const count = (statements: string[], kind: string) => statements.filter((s) => s === kind).length;

  async function bookFree(p: Practice, start: string): Promise<Booking> {
    const res = await book(t.app, p.cast.patient.tokens.accessToken, {
      providerId: p.listing.id,
      serviceId: p.free,
      start,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Booking;
  }

  /** The events of these bookings the app published, once there are `n` of each. */
  const eventsOf = (bookings: Booking[], n = 1) =>
    eventually(
      async () => captured.filter((e) => bookings.some((b) => b.id === e.aggregateId)),
      (e) => e.length >= n * bookings.length,
    );

  let p: Practice;
  beforeAll(async () => {
    p = await practice({ ...t, db: db() });
  });

  it('a free booking, confirmed at once: one booking.created, one read of the booking database', async () => {
    const booking = await bookFree(p, WED_0900_NY);
    const events = await eventsOf([booking]);
    expect(events.map((e) => [e.type, e.payload.from, e.payload.to])).toEqual([
      ['booking.created', null, 'confirmed'],
    ]);
    // The booking with its series; both people; the listing; the two in-app rows; the two
    // e-mails (dev mailbox, sent side by side: one statement); the mark that they went. The
    // patient's data key is cached.
    expect(await statementsOf(events)).toEqual([
      'bookings select',
      'inventory insert',
      'inventory insert',
      'inventory select',
      'inventory select',
      'inventory update',
    ]);
  });

  it('events handled side by side share their reads and their writes: one statement per table', async () => {
    const bookings = [
      await bookFree(p, at(WED_0900_NY, 15)),
      await bookFree(p, at(WED_0900_NY, 30)),
      await bookFree(p, at(WED_0900_NY, 45)),
    ];
    const statements = await statementsOf(await eventsOf(bookings));
    expect(count(statements, 'bookings select')).toBe(1);
    expect(count(statements, 'inventory select')).toBe(2);
    // …and their writes: the six in-app rows, the six e-mails and the marks, one statement each.
    expect(count(statements, 'inventory insert')).toBe(2);
    expect(count(statements, 'inventory update')).toBe(1);
  });

  it('a cancellation still names who cancelled (the history is read for it)', async () => {
    const booking = await bookFree(p, at(WED_0900_NY, 60));
    const res = await t.app.inject({
      method: 'POST',
      url: `/api/v1/bookings/${booking.id}/cancel`,
      headers: bearer(p.cast.patient.tokens.accessToken),
      payload: {},
    });
    expect(res.statusCode, res.body).toBe(200);
    const events = (await eventsOf([booking], 2)).filter((e) => e.payload.to === 'cancelled');
    const mailer = new RecordingMailer();
    const statements = await statementsOf(events, mailer);
    // The booking with its series, and its history.
    expect(count(statements, 'bookings select')).toBe(2);
    expect(mailer.sent.map((m) => m.text.split('\n')[2])).toEqual([
      `You cancelled your Repeat prescription with ${p.listing.name} on ${formatWhen(
        new Date(booking.start),
        new Date(booking.end),
        booking.timeZone,
      )}.`,
      expect.stringMatching(/ cancelled their Repeat prescription on /),
    ]);
  });
});
