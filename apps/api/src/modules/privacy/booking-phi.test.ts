import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { Booking } from '@carebook/contracts';
import { type Kysely, sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeAppEachDialect } from '../../../test/support/app';
import { startDynalite } from '../../../test/support/archive';
import {
  at,
  book,
  type Ctx,
  newKey,
  type Practice,
  pay,
  practice,
  signIn,
  WED_0900_NY,
} from '../../../test/support/bookings';
import { bearer } from '../../../test/support/http';
import { DynamoDbBookingArchive } from '../../adapters/archive/dynamodb';
import { BookingArchival } from '../../jobs/archival';
import { ERASED_TEXT } from '../bookings/booking-mapper';

const DAY = 86_400_000;

/** Every row of every table of one database, as text (raw SQL: nothing is decrypted). */
async function dumpDatabase(db: Kysely<unknown>, dialect: string): Promise<Map<string, string>> {
  const tables =
    dialect === 'sqlite'
      ? await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db)
      : await sql<{
          name: string;
        }>`select table_name as name from information_schema.tables where table_schema = database()`.execute(
          db,
        );
  const out = new Map<string, string>();
  for (const { name } of tables.rows) {
    const rows = await sql`select * from ${sql.table(name)}`.execute(db);
    out.set(
      name,
      JSON.stringify(rows.rows, (_k, v) => (Buffer.isBuffer(v) ? v.toString('latin1') : v)),
    );
  }
  return out;
}

const filesUnder = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => join(e.parentPath, e.name))
    : [];

describeAppEachDialect(
  'PHI at rest: bookings, history, outbox, notifications, idempotency, archives',
  (t) => {
    let p: Practice;
    let dynalite: Awaited<ReturnType<typeof startDynalite>>;
    const tag = randomBytes(5).toString('hex');
    const REASON_PAID = `Migraine-aura-${tag}`;
    const REASON_FREE = `Insulin-refill-${tag}`;
    const CANCEL = `Admitted-to-hospital-${tag}`;
    let paid: Booking;
    let free: Booking;
    let clientSecret = '';
    // A distinctive SMS reminder number (E.164): sealed in preferences, SMS sent and the dev inbox.
    const PHONE = `+1555${Number.parseInt(tag.slice(0, 6), 16).toString().padStart(8, '0').slice(0, 7)}`;
    const plain = () => [REASON_PAID, REASON_FREE, clientSecret, PHONE, PHONE.slice(2)];
    const expectNothingInClear = async () => {
      for (const db of [t().db.dbs.inventory.db, t().db.dbs.bookings.db]) {
        for (const [name, text] of await dumpDatabase(db as Kysely<unknown>, t().db.dialect)) {
          for (const secret of plain()) expect(text.includes(secret), `${secret} in ${name}`).toBe(false);
          // E-mails are sent in clear (the dev mailbox holds what was sent); everything else is sealed.
          if (name !== 'dev_mailbox') expect(text.includes(CANCEL), `${CANCEL} in ${name}`).toBe(false);
        }
      }
    };
    beforeAll(async () => {
      p = await practice(t() as Ctx);
      dynalite = await startDynalite();
    });
    afterAll(() => dynalite?.stop());

    it('stores the reason for visit, history reasons and the payment client secret nowhere in clear', async () => {
      const app = t().app;
      const patient = p.cast.patient.tokens.accessToken;
      const key = newKey();
      const created = await book(
        app,
        patient,
        { providerId: p.listing.id, serviceId: p.paid, start: WED_0900_NY, reasonForVisit: REASON_PAID },
        key,
      );
      expect(created.statusCode, created.body).toBe(201);
      paid = created.json() as Booking;
      clientSecret = paid.payment?.clientSecret ?? '';
      expect(clientSecret).toMatch(/_secret_/);
      expect(paid.reasonForVisit).toBe(REASON_PAID);
      // A replay answers from the stored (sealed) response: the same booking, secret and reason.
      const replay = await book(
        app,
        patient,
        { providerId: p.listing.id, serviceId: p.paid, start: WED_0900_NY, reasonForVisit: REASON_PAID },
        key,
      );
      expect(replay.statusCode).toBe(201);
      expect(replay.json()).toMatchObject({
        id: paid.id,
        reasonForVisit: REASON_PAID,
        payment: { clientSecret },
      });
      expect((await pay(app, paid)).statusCode).toBe(200);

      const freeRes = await book(app, patient, {
        providerId: p.listing.id,
        serviceId: p.free,
        start: at(WED_0900_NY, 120),
        reasonForVisit: REASON_FREE,
      });
      expect(freeRes.statusCode, freeRes.body).toBe(201);
      free = freeRes.json() as Booking;
      const cancelled = await app.inject({
        method: 'POST',
        url: `/api/v1/bookings/${free.id}/cancel`,
        headers: bearer(patient),
        payload: { reason: CANCEL },
      });
      expect(cancelled.statusCode, cancelled.body).toBe(200);
      expect(cancelled.json().history.at(-1).reason).toBe(CANCEL);
      await t().services.bookingsRelay.drain();
      // The notifications consumer opened the sealed reason and stored its text sealed.
      const inApp = async () =>
        (await app.inject({ url: '/api/v1/notifications', headers: bearer(patient) })).json() as {
          items: { title: string; body: string }[];
        };
      await expect.poll(async () => (await inApp()).items.length).toBeGreaterThan(1);
      for (const n of (await inApp()).items) expect(`${n.title} ${n.body}`).not.toMatch(/v1\./);

      // SMS reminders to a number: the preferences, the SMS sent and its dev-inbox copy.
      const sms = await app.inject({
        method: 'PUT',
        url: '/api/v1/me/messaging',
        headers: bearer(patient),
        payload: { phone: PHONE, reminderChannels: ['email', 'sms'], smsConsent: true },
      });
      expect(sms.statusCode, sms.body).toBe(200);
      const sent = await t().services.messaging?.sendSms({
        userId: p.cast.patient.user.id,
        bookingId: paid.id,
        to: PHONE,
        body: 'Reminder: your visit tomorrow',
        fallback: { subject: 'Reminder', text: 'Your visit tomorrow' },
      });
      expect(sent?.status).toBe('delivered');
      expect((await t().services.devSmsInbox?.list(1, 10))?.items[0]?.to).toBe(PHONE);
      // STOP from that number finds the account by the keyed hash of the number.
      expect(await t().services.messaging?.inbound({ From: PHONE, Body: 'STOP' })).toBe('opted-out');
      const prefs = await app.inject({ url: '/api/v1/me/messaging', headers: bearer(patient) });
      expect(prefs.json()).toMatchObject({ phone: PHONE, smsOptedOutAt: expect.any(String) });

      // Before archival: the live tables hold nothing in clear.
      await expectNothingInClear();

      // The paid booking runs its course; both are archived (SQL), and copied into DynamoDB.
      const { clock, services } = t();
      clock.set(new Date(WED_0900_NY));
      await services.lifecycle.tick();
      clock.set(new Date(at(WED_0900_NY, 30)));
      await services.lifecycle.tick();
      await services.bookingsRelay.drain();
      clock.set(new Date(Date.parse(WED_0900_NY) + 40 * DAY));
      const archival = new BookingArchival(
        { db: t().db.dbs.bookings.db, archive: services.archive, clock, privacy: services.privacy },
        { olderThanDays: 30 },
      );
      expect(await archival.runOnce()).toEqual({ archived: 2 });
      const table = `archive-${randomUUID()}`;
      const dynamo = new DynamoDbBookingArchive({
        table,
        region: 'us-east-1',
        endpoint: dynalite.endpoint,
        credentials: { accessKeyId: 'dynalite', secretAccessKey: 'dynalite' },
      });
      await dynamo.ensureTable();
      const records = await Promise.all([paid.id, free.id].map((id) => services.archive.get(id)));
      await dynamo.put(records.filter((r) => r !== null));
      await dynamo.close();

      // Everything still reads back in full for the patient (from the archive now).
      const token = await signIn(app, p.cast.patient);
      const readPaid = (
        await app.inject({ url: `/api/v1/bookings/${paid.id}`, headers: bearer(token) })
      ).json();
      expect(readPaid).toMatchObject({
        status: 'completed',
        reasonForVisit: REASON_PAID,
        payment: { clientSecret },
      });
      const readFree = (
        await app.inject({ url: `/api/v1/bookings/${free.id}`, headers: bearer(token) })
      ).json();
      expect(readFree.reasonForVisit).toBe(REASON_FREE);
      expect(readFree.history.at(-1).reason).toBe(CANCEL);

      // Raw: every table of both logical databases (again, after archival), the DynamoDB items, the files.
      await expectNothingInClear();
      const items = await new DynamoDBClient({
        region: 'us-east-1',
        endpoint: dynalite.endpoint,
        credentials: { accessKeyId: 'dynalite', secretAccessKey: 'dynalite' },
      }).send(new ScanCommand({ TableName: table }));
      const dynamoText = JSON.stringify(items.Items);
      expect(dynamoText).toContain(paid.id);
      for (const secret of [...plain(), CANCEL]) expect(dynamoText.includes(secret)).toBe(false);
      const files = [
        ...filesUnder(t().config.dataDir),
        ...(t().db.dialect === 'sqlite'
          ? [t().db.url.replace(/^sqlite:/, '')].flatMap((f) => [f, `${f}-wal`])
          : []),
      ].filter((f) => existsSync(f));
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) {
        const raw = readFileSync(file);
        for (const secret of plain())
          expect(raw.includes(Buffer.from(secret)), `${secret} in ${file}`).toBe(false);
      }
    });

    it('providers and staff never see the client secret; an erased patient’s bookings read as unavailable', async () => {
      const app = t().app;
      const { clock } = t();
      clock.set(new Date('2026-11-24T12:00:00.000Z'));
      const patient = await signIn(app, p.cast.patient);
      const res = await book(app, patient, {
        providerId: p.listing.id,
        serviceId: p.paid,
        start: at(WED_0900_NY, 240),
        reasonForVisit: `Erased-${tag}`,
      });
      expect(res.statusCode, res.body).toBe(201);
      const held = res.json() as Booking;
      expect(held.payment?.clientSecret).toMatch(/_secret_/);
      for (const who of [p.cast.owner, p.cast.staff]) {
        const token = await signIn(app, who);
        const one = (await app.inject({ url: `/api/v1/bookings/${held.id}`, headers: bearer(token) })).json();
        expect(one.reasonForVisit).toBe(`Erased-${tag}`);
        expect(one.payment).toMatchObject({ intentId: held.payment?.intentId, clientSecret: '' });
        const list = (
          await app.inject({ url: '/api/v1/bookings?pageSize=100', headers: bearer(token) })
        ).json();
        const listed = (list.items as Booking[]).find((b) => b.id === held.id);
        expect(listed?.payment?.clientSecret).toBe('');
        expect(JSON.stringify(list)).not.toContain('_secret_');
      }

      // Crypto-shredding (what erasure does): the lists keep working, the fields read as unavailable.
      expect(await t().services.privacy.destroyPatientKey(p.cast.patient.user.id)).toBe(true);
      const owner = await signIn(app, p.cast.owner);
      const list = await app.inject({ url: '/api/v1/bookings?pageSize=100', headers: bearer(owner) });
      expect(list.statusCode, list.body).toBe(200);
      const mine = (list.json().items as Booking[]).filter((b) => b.patientId === p.cast.patient.user.id);
      expect(mine.length).toBeGreaterThan(0);
      for (const b of mine) expect(b.reasonForVisit).toBe(ERASED_TEXT);
      const one = await app.inject({ url: `/api/v1/bookings/${held.id}`, headers: bearer(owner) });
      expect(one.statusCode, one.body).toBe(200);
      expect(one.json()).toMatchObject({ reasonForVisit: ERASED_TEXT, payment: { clientSecret: '' } });
      const archived = await app.inject({ url: `/api/v1/bookings/${free.id}`, headers: bearer(owner) });
      expect(archived.statusCode, archived.body).toBe(200);
      expect(archived.json().history.at(-1).reason).toBeNull();
      const notes = await app.inject({ url: '/api/v1/notifications', headers: bearer(patient) });
      expect(notes.statusCode, notes.body).toBe(200);
      for (const n of notes.json().items) expect(n.body).toBe(ERASED_TEXT);
    });
  },
);
