import type { AuthResult, Booking, MessagingPreferences } from '@carebook/contracts';
import { SMS_CONSENT_TEXT } from '@carebook/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../../../tools/free-port';
import { buildTestApp, type TestApp } from '../../../test/support/app';
import {
  at,
  book,
  type Ctx,
  type Practice,
  practice,
  signIn,
  WED_0900_NY,
} from '../../../test/support/bookings';
import { describeEachDialect } from '../../../test/support/databases';
import { eventually } from '../../../test/support/eventually';
import { FakeTwilioServer, INVALID_NUMBER, twilioSignature } from '../../../test/support/fake-twilio-server';
import { bearer, expectProblem, register } from '../../../test/support/http';
import { TWILIO_INBOUND_PATH, TWILIO_STATUS_PATH } from './messaging.routes';

const HOUR = 3_600_000;

describeEachDialect('SMS reminders against the Twilio stand-in', (db) => {
  const twilio = new FakeTwilioServer();
  let t: TestApp;
  let base = '';
  let p: Practice;
  const ctx = (): Ctx => ({ ...t, db: db() });

  beforeAll(async () => {
    await twilio.start();
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    t = await buildTestApp(db().dbs, {
      PUBLIC_URL: base,
      SMS: 'twilio',
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_FROM: twilio.from,
      TWILIO_API_URL: twilio.url,
      REMINDER_OFFSETS: '24h,2h',
      // The test runs the job's passes itself.
      REMINDER_INTERVAL_SECONDS: '0',
      LIFECYCLE_INTERVAL_SECONDS: '3600',
    });
    await t.app.listen({ port, host: '127.0.0.1' });
    p = await practice(ctx());
  });
  afterAll(async () => {
    await twilio.stop();
    await t?.app.close();
  });

  const setPrefs = (who: AuthResult, payload: object) =>
    t.app.inject({
      method: 'PUT',
      url: '/api/v1/me/messaging',
      headers: bearer(who.tokens.accessToken),
      payload,
    });
  const smsPatient = async (phone: string) => {
    const who = await register(t.app, { displayName: 'Sam Patient' });
    const res = await setPrefs(who, { phone, reminderChannels: ['email', 'sms'], smsConsent: true });
    expect(res.statusCode, res.body).toBe(200);
    return who;
  };
  const bookFree = async (who: AuthResult, start: string) => {
    const res = await book(t.app, who.tokens.accessToken, {
      providerId: p.listing.id,
      serviceId: p.free,
      start,
    });
    expect(res.statusCode, res.body).toBe(201);
    const booking = res.json() as Booking;
    expect(booking.status).toBe('confirmed');
    return booking;
  };
  const tick = () => {
    const job = t.services.smsReminders;
    if (!job) throw new Error('the reminder job is not configured');
    return job.tick();
  };
  const smsOf = (bookingId: string) =>
    db()
      .dbs.inventory.db.selectFrom('sms_messages')
      .select(['status', 'error', 'fallback_emailed_at'])
      .where('booking_id', '=', bookingId)
      .orderBy('created_at')
      .execute();
  /** Signs in first: the test clock may have outlived the first access token. */
  const prefsOf = async (who: AuthResult) =>
    t.app.inject({ method: 'GET', url: '/api/v1/me/messaging', headers: bearer(await signIn(t.app, who)) });
  const mailsTo = async (email: string) => {
    const box = t.services.devMailbox;
    if (!box) throw new Error('no dev mailbox');
    const { items } = await box.list(1, 100);
    const mails = await Promise.all(items.filter((m) => m.to === email).map((m) => box.get(m.id)));
    // Only the fallback e-mails: the booking's own notifications go to the same address.
    return mails.filter((m) => m?.text.includes('could not be delivered'));
  };

  it('records consent with its time and text, and refuses SMS without a number or consent', async () => {
    const who = await register(t.app);
    expectProblem(
      await setPrefs(who, { phone: null, reminderChannels: ['sms'], smsConsent: true }),
      422,
      'SMS_CONSENT_REQUIRED',
    );
    expectProblem(
      await setPrefs(who, { phone: '+14155550101', reminderChannels: ['sms'] }),
      422,
      'SMS_CONSENT_REQUIRED',
    );
    expectProblem(
      await setPrefs(who, { phone: '0155', reminderChannels: ['email'] }),
      400,
      'VALIDATION_FAILED',
    );
    const ok = await setPrefs(who, { phone: '+14155550101', reminderChannels: ['sms'], smsConsent: true });
    expect(ok.statusCode, ok.body).toBe(200);
    const prefs = ok.json() as MessagingPreferences;
    expect(prefs.smsConsent).toEqual({ at: t.clock.now().toISOString(), text: SMS_CONSENT_TEXT });
    // Same number again without the box: the consent on record stands.
    const again = await setPrefs(who, { phone: '+14155550101', reminderChannels: ['email', 'sms'] });
    expect((again.json() as MessagingPreferences).smsConsent?.text).toBe(SMS_CONSENT_TEXT);
    // A new number needs consent anew.
    expectProblem(
      await setPrefs(who, { phone: '+14155550102', reminderChannels: ['sms'] }),
      422,
      'SMS_CONSENT_REQUIRED',
    );
    const read = await t.app.inject({
      method: 'GET',
      url: '/api/v1/me/messaging',
      headers: bearer(who.tokens.accessToken),
    });
    expect((read.json() as MessagingPreferences).reminderChannels).toEqual(['email', 'sms']);
    expectProblem(await t.app.inject({ method: 'GET', url: '/api/v1/me/messaging' }), 401, 'UNAUTHENTICATED');
  });

  describe('reminder flow', () => {
    let good: AuthResult;
    let unreachable: AuthResult;
    let invalid: AuthResult;
    let emailOnly: AuthResult;
    const bookings: Record<string, Booking> = {};

    beforeAll(async () => {
      t.clock.set(new Date('2026-11-24T12:00:00.000Z'));
      good = await smsPatient('+14155550123');
      twilio.undeliverable('+14155550666');
      // Its callbacks (sent, then undelivered) arrive before the API has answered the send.
      twilio.callbacksBeforeAnswer('+14155550666');
      unreachable = await smsPatient('+14155550666');
      invalid = await smsPatient(INVALID_NUMBER);
      emailOnly = await register(t.app);
      await setPrefs(emailOnly, { phone: null, reminderChannels: ['email'] });
      bookings.good = await bookFree(good, WED_0900_NY);
      bookings.unreachable = await bookFree(unreachable, at(WED_0900_NY, 30));
      bookings.invalid = await bookFree(invalid, at(WED_0900_NY, 60));
      bookings.emailOnly = await bookFree(emailOnly, at(WED_0900_NY, 90));
    });

    it('sends nothing before the first offset, then one SMS per booking and offset', async () => {
      expect(await tick()).toEqual({ sent: 0 });
      expect(twilio.messages).toHaveLength(0);
      t.clock.set(new Date(Date.parse(WED_0900_NY) - 24 * HOUR));
      expect(await tick()).toEqual({ sent: 1 });
      expect(await tick()).toEqual({ sent: 0 });
      t.clock.set(new Date(Date.parse(WED_0900_NY) + 90 * 60_000 - 24 * HOUR));
      expect(await tick()).toEqual({ sent: 2 });
      expect(await tick()).toEqual({ sent: 0 });
      const toGood = twilio.messages.filter((m) => m.to === '+14155550123');
      expect(toGood).toHaveLength(1);
      expect(toGood[0]?.body).toMatch(/^Carebook reminder: .+ Wed 25 Nov, 09:00 \(America\/New_York\)/);
      // The callback address names our message, so a status arriving first still finds it.
      expect(toGood[0]?.statusCallback).toMatch(
        new RegExp(`^${base + TWILIO_STATUS_PATH}\\?sms=[0-9a-f-]{36}$`),
      );
      // The e-mail-only patient is not texted.
      expect(twilio.messages.map((m) => m.to).sort()).toEqual(['+14155550123', '+14155550666']);
    });

    it('tracks delivery from the signed status callbacks', async () => {
      await twilio.settled();
      const rows = await eventually(
        () => smsOf(bookings.good?.id ?? ''),
        (r) => r[0]?.status === 'delivered',
      );
      expect(rows.map((r) => r.status)).toEqual(['delivered']);
      expect(rows[0]?.fallback_emailed_at).toBeNull();
      expect(
        twilio.callbacks
          .filter((c) => c.params.To === '+14155550123')
          .map((c) => [c.params.MessageStatus, c.status]),
      ).toEqual([
        ['sent', 200],
        ['delivered', 200],
      ]);
    });

    it('falls back to e-mail once when the SMS is undelivered or refused by the API', async () => {
      await twilio.settled();
      const undelivered = await smsOf(bookings.unreachable?.id ?? '');
      expect(undelivered[0]).toMatchObject({ status: 'undelivered', error: 'Twilio error 30003' });
      expect(undelivered[0]?.fallback_emailed_at).not.toBeNull();
      const refused = await smsOf(bookings.invalid?.id ?? '');
      expect(refused[0]?.status).toBe('failed');
      expect(refused[0]?.error).toMatch(/^21211: /);
      for (const who of [unreachable, invalid]) {
        const mails = await mailsTo(who.user.email);
        expect(mails).toHaveLength(1);
        expect(mails[0]?.subject).toMatch(/^Reminder: /);
      }
      expect(await mailsTo(good.user.email)).toHaveLength(0);
      // A repeated (validly signed) callback sends no second e-mail.
      const last = twilio.callbacks.find((c) => c.params.MessageStatus === 'undelivered');
      const params = last?.params ?? {};
      const again = await fetch(base + TWILIO_STATUS_PATH, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': twilioSignature(twilio.authToken, base + TWILIO_STATUS_PATH, params),
        },
        body: new URLSearchParams(params).toString(),
      });
      expect(again.status).toBe(200);
      expect(await mailsTo(unreachable.user.email)).toHaveLength(1);
    });

    it('sends the 2 h reminder, but not after STOP; START opts back in', async () => {
      const inbound = base + TWILIO_INBOUND_PATH;
      expect(await twilio.inbound(inbound, '+14155550123', ' Stop ')).toBe(200);
      const prefs = await prefsOf(good);
      expect((prefs.json() as MessagingPreferences).smsOptedOutAt).toBe(t.clock.now().toISOString());
      // The 2 h moment of all four bookings has come (the last starts 90 minutes after the first).
      t.clock.set(new Date(Date.parse(WED_0900_NY) + 90 * 60_000 - 2 * HOUR));
      const before = twilio.messages.length;
      await tick();
      expect(twilio.messages.slice(before).map((m) => m.to)).not.toContain('+14155550123');
      expect(twilio.messages.slice(before).map((m) => m.to)).toContain('+14155550666');

      expect(await twilio.inbound(inbound, '+14155550123', 'START')).toBe(200);
      const back = await prefsOf(good);
      expect((back.json() as MessagingPreferences).smsOptedOutAt).toBeNull();
      // The 2 h offset of the good booking was not recorded while opted out: it goes out now.
      const now = twilio.messages.length;
      expect(await tick()).toEqual({ sent: 1 });
      expect(twilio.messages.slice(now).map((m) => m.to)).toEqual(['+14155550123']);
    });

    it('rejects webhooks whose signature does not match, and changes nothing', async () => {
      // The SMS the test before sent is delivered first (its callback is on its way), so a change
      // after the forged callbacks could only come from them.
      await twilio.settled();
      await eventually(
        () => smsOf(bookings.good?.id ?? ''),
        (r) => r.length > 0 && r.every((x) => x.status === 'delivered'),
      );
      const inbound = base + TWILIO_INBOUND_PATH;
      expect(await twilio.inbound(inbound, '+14155550123', 'STOP', 'not-the-auth-token')).toBe(403);
      const prefs = await prefsOf(good);
      expect((prefs.json() as MessagingPreferences).smsOptedOutAt).toBeNull();

      const delivered = twilio.callbacks.find(
        (c) => c.params.To === '+14155550123' && c.params.MessageStatus === 'sent',
      );
      const forged = { ...(delivered?.params ?? {}), MessageStatus: 'failed', SmsStatus: 'failed' };
      const res = await t.app.inject({
        method: 'POST',
        url: TWILIO_STATUS_PATH,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          // Signed over other parameters: the one that was really sent.
          'x-twilio-signature': twilioSignature(
            twilio.authToken,
            base + TWILIO_STATUS_PATH,
            delivered?.params ?? {},
          ),
        },
        payload: new URLSearchParams(forged).toString(),
      });
      expectProblem(res, 403, 'WEBHOOK_SIGNATURE_INVALID');
      const unsigned = await t.app.inject({
        method: 'POST',
        url: TWILIO_STATUS_PATH,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams(forged).toString(),
      });
      expectProblem(unsigned, 403, 'WEBHOOK_SIGNATURE_INVALID');
      const rows = await smsOf(bookings.good?.id ?? '');
      expect(rows.every((r) => r.status === 'delivered')).toBe(true);
      expect(await mailsTo(good.user.email)).toHaveLength(0);
    });
  });
});
