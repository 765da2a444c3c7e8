import type { AuthResult, Booking, DataExport, ErasureReport } from '@carebook/contracts';
import ICAL from 'ical.js';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, TestClock, testConfig } from '../../../test/support/app';
import {
  at,
  book,
  type Ctx,
  type Practice,
  pay,
  practice,
  WED_0900_NY,
} from '../../../test/support/bookings';
import { describeEachDialect, type FreshDatabases } from '../../../test/support/databases';
import { eventually } from '../../../test/support/eventually';
import { bearer, expectProblem, PASSWORD, register } from '../../../test/support/http';
import { type RedisTestCache, redisTestCache, redisTestUrl } from '../../../test/support/redis';
import { dumpAllTables } from '../../../test/support/table-dump';
import { buildApp } from '../../app';
import { DataKeyMissing } from '../privacy/privacy.service';

// Distinctive strings: none of them may survive the erasure anywhere.
const tag = Math.random().toString(36).slice(2, 8);
const NAME = `Zebulon Quixotefield${tag}`;
const EMAIL = `zq.erasure.${tag}@example.test`;
const PHONE = '+15557654321';
const REASON_FREE = `Xylophonic elbow ache ${tag}`;
const REASON_PAID = `Zygomatic rash ${tag}`;
const REVIEW_TEXT = `Quixotefield${tag} says the visit was fine`;
const SECRETS = [
  NAME,
  `Quixotefield${tag}`,
  EMAIL,
  `zq.erasure.${tag}`,
  PHONE,
  '5557654321',
  REASON_FREE,
  REASON_PAID,
];

async function dumpRedis(url: string, prefix: string): Promise<string> {
  const client = new Redis(url);
  const parts: string[] = [];
  for await (const batch of client.scanStream({ match: `${prefix}*`, count: 500 })) {
    for (const key of batch as string[]) {
      const type = await client.type(key);
      const value =
        type === 'string'
          ? await client.get(key)
          : type === 'set'
            ? await client.smembers(key)
            : type === 'hash'
              ? await client.hgetall(key)
              : type === 'zset'
                ? await client.zrange(key, 0, -1)
                : type === 'list'
                  ? await client.lrange(key, 0, -1)
                  : null;
      parts.push(key, JSON.stringify(value));
    }
  }
  await client.quit();
  return parts.join('\n');
}

const found = (haystack: string) => SECRETS.filter((s) => haystack.toLowerCase().includes(s.toLowerCase()));

describeEachDialect('GDPR export and erasure', (db) => {
  let t: TestApp & { db: FreshDatabases };
  let redis: RedisTestCache | null = null;
  let redisUrl = '';
  const logLines: string[] = [];
  let p: Practice;
  let patient: AuthResult;
  let free: Booking;
  let paid: Booking;

  beforeAll(async () => {
    redisUrl = await redisTestUrl();
    if (redisUrl) redis = await redisTestCache(redisUrl);
    const clock = new TestClock();
    const config = testConfig({ LOG_LEVEL: 'debug' });
    const { app, services } = await buildApp(config, {
      dbs: db().dbs,
      clock,
      ...(redis ? { cache: redis.cache } : {}),
      logStream: { write: (line: string) => void logLines.push(line) },
    });
    await app.ready();
    t = { app, services, clock, config, db: db() };
    p = await practice(t as Ctx);
    patient = await register(t.app, { email: EMAIL, displayName: NAME });
    const h = bearer(patient.tokens.accessToken);
    const prefs = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/me/messaging',
      headers: h,
      payload: { phone: PHONE, reminderChannels: ['email', 'sms'], smsConsent: true },
    });
    expect(prefs.statusCode, prefs.body).toBe(200);
    expect(
      (await t.app.inject({ method: 'POST', url: '/api/v1/calendar-feed/rotate', payload: {}, headers: h }))
        .statusCode,
    ).toBe(201);
    const f = await book(t.app, patient.tokens.accessToken, {
      providerId: p.listing.id,
      serviceId: p.free,
      start: at(WED_0900_NY, 60),
      reasonForVisit: REASON_FREE,
    });
    expect(f.statusCode, f.body).toBe(201);
    free = f.json() as Booking;
    const b = await book(t.app, patient.tokens.accessToken, {
      providerId: p.listing.id,
      serviceId: p.paid,
      start: at(WED_0900_NY, 120),
      reasonForVisit: REASON_PAID,
    });
    expect(b.statusCode, b.body).toBe(201);
    const paidRes = await pay(t.app, b.json() as Booking);
    expect(paidRes.statusCode, paidRes.body).toBeLessThan(300);
    paid = await eventually(
      async () =>
        (
          await t.app.inject({ url: `/api/v1/bookings/${(b.json() as Booking).id}`, headers: h })
        ).json() as Booking,
      (x) => x.status === 'confirmed',
    );
    expect(paid.status).toBe('confirmed');
    // The practice reads them (audited) and has been notified under the patient's name.
    const owner = bearer(p.cast.owner.tokens.accessToken);
    expect((await t.app.inject({ url: '/api/v1/bookings', headers: owner })).statusCode).toBe(200);
    expect((await t.app.inject({ url: `/api/v1/bookings/${paid.id}`, headers: owner })).statusCode).toBe(200);
    await eventually(
      () =>
        t.db.dbs.inventory.db
          .selectFrom('notifications')
          .select('body')
          .where('booking_id', '=', paid.id)
          .execute(),
      (rows) => rows.length >= 2,
    );
    // A finished, archived visit with a review, written the way the archival job and reviews leave them.
    const row = await t.db.dbs.bookings.db
      .selectFrom('bookings')
      .selectAll()
      .where('id', '=', free.id)
      .executeTakeFirstOrThrow();
    const archivedId = crypto.randomUUID();
    await t.services.archive.put([
      {
        booking: {
          ...row,
          id: archivedId,
          status: 'completed',
          start_at: '2026-10-01T14:00:00.000Z',
          end_at: '2026-10-01T14:15:00.000Z',
        },
        history: [
          {
            id: crypto.randomUUID(),
            booking_id: archivedId,
            at: row.created_at,
            from_status: null,
            to_status: 'confirmed',
            actor_role: 'patient',
            actor_id: patient.user.id,
            reason: REASON_FREE,
          },
        ],
      },
    ]);
    await t.db.dbs.bookings.db
      .insertInto('reviews')
      .values({
        id: crypto.randomUUID(),
        booking_id: archivedId,
        provider_id: p.listing.id,
        owner_id: p.cast.owner.user.id,
        patient_id: patient.user.id,
        service_name: 'Repeat prescription',
        rating: 5,
        text: REVIEW_TEXT,
        author: `Zebulon Quixotefield${tag}`,
        created_at: '2026-10-02T10:00:00.000Z',
        reply_text: null,
        reply_by: null,
        replied_at: null,
        hidden_at: null,
        hidden_reason: null,
        hidden_by: null,
      })
      .execute();
  });
  afterAll(async () => {
    await t?.app.close();
    await redis?.dispose();
  });

  it('exports everything held about the caller as a JSON download, without secrets, and audits it', async () => {
    const res = await t.app.inject({ url: '/api/v1/me/export', headers: bearer(patient.tokens.accessToken) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="carebook-export-2026-11-24\.json"$/,
    );
    expect(res.headers['cache-control']).toMatch(/no-store/);
    const data = res.json() as DataExport;
    expect(data.account).toMatchObject({ email: EMAIL, displayName: NAME });
    expect(data.sessions.length).toBeGreaterThanOrEqual(1);
    expect(data.bookings.map((b) => b.reasonForVisit).sort()).toEqual(
      [REASON_FREE, REASON_FREE, REASON_PAID].sort(),
    );
    expect(data.bookings.find((b) => b.id === paid.id)?.history.length).toBeGreaterThan(1);
    expect(data.payments).toEqual([
      expect.objectContaining({ bookingId: paid.id, intentId: paid.payment?.intentId, amountCents: 12000 }),
    ]);
    expect(data.notifications.length).toBeGreaterThan(0);
    expect(data.reviews.map((r) => r.text)).toEqual([REVIEW_TEXT]);
    expect(data.messaging.preferences).toMatchObject({ phone: PHONE, reminderChannels: ['email', 'sms'] });
    expect(data.calendarFeed?.createdAt).toBeTruthy();
    expect(data.accessLog.map((e) => e.action)).toEqual(
      expect.arrayContaining(['access.bookings_listed', 'access.booking_viewed']),
    );
    expect(data.accountActivity.map((e) => e.action)).toContain('auth.registered');
    // No secrets: client secrets, token hashes, the feed token, the password hash.
    const text = res.body;
    expect(paid.payment?.clientSecret).toBeTruthy();
    expect(text).not.toContain(paid.payment?.clientSecret ?? '-');
    expect(text).not.toMatch(/password_hash|token_hash|\$argon2/);
    const feed = await t.db.dbs.inventory.db
      .selectFrom('calendar_feeds')
      .select('token')
      .executeTakeFirstOrThrow();
    expect(text).not.toContain(feed.token);
    const audited = await t.db.dbs.inventory.db
      .selectFrom('audit_events')
      .select(['actor_id', 'patient_id', 'purpose'])
      .where('action', '=', 'access.data_exported')
      .execute();
    expect(audited).toEqual([
      { actor_id: patient.user.id, patient_id: patient.user.id, purpose: 'patient_request' },
    ]);
  });

  it('exports the bookings as an iCalendar file', async () => {
    const res = await t.app.inject({
      url: '/api/v1/me/export/bookings.ics',
      headers: bearer(patient.tokens.accessToken),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar/);
    expect(res.headers['content-disposition']).toContain('attachment');
    const vevents = new ICAL.Component(ICAL.parse(res.body)).getAllSubcomponents('vevent');
    expect(vevents.map((v) => v.getFirstPropertyValue('uid')).sort()).toEqual(
      expect.arrayContaining([`${free.id}@carebook`, `${paid.id}@carebook`]),
    );
  });

  it('refuses erasure without the right password, changing nothing', async () => {
    const res = await t.app.inject({
      method: 'DELETE',
      url: '/api/v1/me',
      headers: bearer(patient.tokens.accessToken),
      payload: { password: 'not-the-password' },
    });
    expectProblem(res, 400, 'VALIDATION_FAILED');
    const user = await t.services.users.byId(patient.user.id);
    expect(user).toMatchObject({ email: EMAIL, erased_at: null });
  });

  it('erases: bookings cancelled and refunded, sessions gone, and no trace of the person anywhere', async () => {
    const h = bearer(patient.tokens.accessToken);
    // The scans below can fail: before the erasure they find the person everywhere.
    const before = found([...(await dumpAllTables(t.db.dbs.inventory.db, t.db.dialect)).values()].join('\n'));
    expect(before).toEqual(expect.arrayContaining([NAME, EMAIL]));
    // The SMS number is sealed with the patient's data key (preferences, SMS sent, dev inbox).
    expect(before).not.toContain(PHONE);
    expect(before).not.toContain('5557654321');
    // (Reasons for visit are sealed with the patient's data key; in clear only in copies of sent
    // mail in the dev mailbox, which erasure deletes and the scan after it covers.)
    // The booking cache holds bookings sealed: the reason is not in Redis in clear, even now.
    if (redis) expect(found(await dumpRedis(redisUrl, redis.prefix))).not.toContain(REASON_PAID);
    expect(found(logLines.join('\n'))).toEqual([]);
    // Waiting in a line for June: an erased account must leave it (nobody offered times for them).
    const entryId = crypto.randomUUID();
    await t.db.dbs.bookings.db
      .insertInto('waitlist_entries')
      .values({
        id: entryId,
        patient_id: patient.user.id,
        provider_id: p.listing.id,
        owner_id: p.cast.owner.user.id,
        service_id: p.free,
        from_date: '2027-06-01',
        to_date: '2027-06-30',
        weekdays: 0b0111110,
        day_part: 'any',
        earlier_than_booking_id: null,
        status: 'waiting',
        created_at: '2026-11-20T10:00:00.000Z',
        updated_at: '2026-11-20T10:00:00.000Z',
      })
      .execute();
    const res = await t.app.inject({
      method: 'DELETE',
      url: '/api/v1/me',
      headers: h,
      payload: { password: PASSWORD },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json() as ErasureReport).toMatchObject({
      userId: patient.user.id,
      bookingsCancelled: 2,
      bookingsKept: 3,
    });
    // Every instance is told to forget them; the relays deliver the cancellations too.
    await t.services.relay.drain();
    await t.services.bookingsRelay.drain();
    const entry = await t.db.dbs.bookings.db
      .selectFrom('waitlist_entries')
      .select('status')
      .where('id', '=', entryId)
      .executeTakeFirstOrThrow();
    expect(entry.status).toBe('left');
    await eventually(
      () =>
        t.db.dbs.inventory.db
          .selectFrom('inventory_outbox')
          .select('published_at')
          .where('event_type', '=', 'privacy.forget')
          .executeTakeFirst(),
      (r) => !!r?.published_at,
    );
    // The practice keeps the facts, pseudonymised; the paid one is refunded through payments.
    const owner = bearer(p.cast.owner.tokens.accessToken);
    const kept = await eventually(
      async () =>
        (await t.app.inject({ url: `/api/v1/bookings/${paid.id}`, headers: owner })).json() as Booking,
      (b) => b.payment?.status === 'refunded',
    );
    expect(kept).toMatchObject({
      status: 'cancelled',
      priceCents: 12000,
      reasonForVisit: '',
      start: paid.start,
    });
    expect(kept.payment?.status).toBe('refunded');
    expect((await t.services.users.byId(patient.user.id))?.display_name).toBe('Former patient');
    // The session and every token are gone; the key is destroyed.
    expectProblem(await t.app.inject({ url: '/api/v1/me', headers: h }), 401, 'INVALID_TOKEN');
    const keysOf = () =>
      t.db.dbs.inventory.db
        .selectFrom('patient_data_keys')
        .selectAll()
        .where('user_id', '=', patient.user.id)
        .execute();
    expect(await keysOf()).toEqual([]);
    // Something that still seals for them afterwards (a notification of the cancellations that
    // waited in the outbox) gets no new key: what was shredded stays shredded.
    await expect(t.services.privacy.encryptForPatient(patient.user.id, 'late')).rejects.toThrow(
      DataKeyMissing,
    );
    expect(await keysOf()).toEqual([]);
    expect(
      await t.db.dbs.inventory.db
        .selectFrom('sessions')
        .selectAll()
        .where('user_id', '=', patient.user.id)
        .execute(),
    ).toEqual([]);

    // No PII of theirs in any table of either database, in the cache, the search index or the logs.
    const tables = await dumpAllTables(t.db.dbs.inventory.db, t.db.dialect);
    const leaks = [...tables].flatMap(([name, text]) => found(text).map((s) => `${name}: ${s}`));
    expect(leaks).toEqual([]);
    if (redis) expect(found(await dumpRedis(redisUrl, redis.prefix))).toEqual([]);
    else console.warn('Redis unreachable: the cache part of the erasure scan ran on the memory cache only');
    expect(logLines.length).toBeGreaterThan(10);
    expect(found(logLines.join('\n'))).toEqual([]);
    // The privacy.forget event matched the contracts (a mismatch is logged and skipped).
    expect(logLines.filter((l) => l.includes('does not match the contracts'))).toEqual([]);
    const search = await t.app.inject({
      url: `/api/v1/search?q=${encodeURIComponent(`Quixotefield${tag}`)}`,
    });
    expect(search.statusCode, search.body).toBe(200);
    // (after the log scan: the request line logs the query itself)
    const hits = search.json() as { results: unknown[]; total: number };
    expect(hits.total).toBe(0);
    expect(found(JSON.stringify(hits.results))).toEqual([]);

    // The erasure is in the audit trail; the address can register again; the old one signs in nowhere.
    const erased = await t.db.dbs.inventory.db
      .selectFrom('audit_events')
      .select(['actor_id', 'patient_id'])
      .where('action', '=', 'access.data_erased')
      .execute();
    expect(erased).toEqual([{ actor_id: patient.user.id, patient_id: patient.user.id }]);
    expectProblem(
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: EMAIL, password: PASSWORD },
      }),
      401,
      'INVALID_CREDENTIALS',
    );
    const again = await register(t.app, { email: EMAIL, displayName: 'Someone new' });
    expect(again.user.id).not.toBe(patient.user.id);
  });

  describe('who may be erased', () => {
    it('an admin erases a patient for them; admins and providers with listings are refused with ERASURE_BLOCKED', async () => {
      const admin = bearer(p.cast.admin.tokens.accessToken);
      const other = await register(t.app, { displayName: 'To be erased by admin' });
      const res = await t.app.inject({
        method: 'DELETE',
        url: `/api/v1/admin/users/${other.user.id}/data`,
        headers: admin,
      });
      expect(res.statusCode, res.body).toBe(200);
      // Idempotent: again finishes nothing new and still answers.
      const twice = await t.app.inject({
        method: 'DELETE',
        url: `/api/v1/admin/users/${other.user.id}/data`,
        headers: admin,
      });
      expect(twice.statusCode, twice.body).toBe(200);
      expectProblem(
        await t.app.inject({
          method: 'DELETE',
          url: `/api/v1/admin/users/${p.cast.owner.user.id}/data`,
          headers: admin,
        }),
        409,
        'ERASURE_BLOCKED',
      );
      expectProblem(
        await t.app.inject({
          method: 'DELETE',
          url: `/api/v1/admin/users/${p.cast.admin.user.id}/data`,
          headers: admin,
        }),
        409,
        'ERASURE_BLOCKED',
      );
      expectProblem(
        await t.app.inject({
          method: 'DELETE',
          url: `/api/v1/admin/users/${other.user.id}/data`,
          headers: bearer(p.cast.staff.tokens.accessToken),
        }),
        403,
        'FORBIDDEN',
      );
    });

    it('a patient with a confirmed booking past its online cancellation deadline is refused, nothing changed', async () => {
      const late = await register(t.app, { displayName: 'Late canceller' });
      const booked = await book(t.app, late.tokens.accessToken, {
        providerId: p.listing.id,
        serviceId: p.free,
        start: at(WED_0900_NY, 240),
      });
      expect(booked.statusCode, booked.body).toBe(201);
      t.clock.advance(20 * 3_600_000); // now inside the 24 h window
      const token = (
        await t.app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email: late.user.email, password: PASSWORD },
        })
      ).json().tokens.accessToken as string;
      const res = await t.app.inject({
        method: 'DELETE',
        url: '/api/v1/me',
        headers: bearer(token),
        payload: { password: PASSWORD },
      });
      const problem = expectProblem(res, 409, 'ERASURE_BLOCKED') as { errors?: { path: string }[] };
      expect(problem.errors?.map((e) => e.path)).toEqual([`/bookings/${(booked.json() as Booking).id}`]);
      expect(await t.services.users.byId(late.user.id)).toMatchObject({
        erased_at: null,
        email: late.user.email,
      });
    });
  });
});
