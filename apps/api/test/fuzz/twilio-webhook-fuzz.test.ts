import fc from 'fast-check';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { newId } from '../../src/lib/ids';
import { TWILIO_INBOUND_PATH, TWILIO_STATUS_PATH } from '../../src/modules/messaging/messaging.routes';
import { buildTestApp, type TestApp } from '../support/app';
import { describeEachDialect } from '../support/databases';
import { FakeTwilioServer, twilioSignature } from '../support/fake-twilio-server';
import { register } from '../support/http';
import { Findings, send } from './attack';
import { hostileStrings } from './hostile';

const SEED = 20261206;
const BASE = 'http://127.0.0.1:9';

describeEachDialect('Twilio webhook fuzz', (db) => {
  const twilio = new FakeTwilioServer();
  let t: TestApp;
  const sid = `SM${'a'.repeat(32)}`;
  beforeAll(async () => {
    await twilio.start();
    t = await buildTestApp(db().dbs, {
      PUBLIC_URL: BASE,
      SMS: 'twilio',
      TWILIO_ACCOUNT_SID: twilio.accountSid,
      TWILIO_AUTH_TOKEN: twilio.authToken,
      TWILIO_FROM: twilio.from,
      TWILIO_API_URL: twilio.url,
      REMINDER_INTERVAL_SECONDS: '0',
    });
    const who = await register(t.app);
    const now = new Date().toISOString().replace('T', ' ').slice(0, 23);
    await db()
      .dbs.inventory.db.insertInto('sms_messages')
      .values({
        id: newId(),
        user_id: who.user.id,
        booking_id: null,
        to_phone: '+14155550123',
        body: 'Reminder',
        provider_id: sid,
        status: 'sent',
        error: null,
        fallback_email_subject: 'Reminder',
        fallback_email_text: 'Reminder',
        fallback_emailed_at: null,
        created_at: now,
        updated_at: now,
      } as never)
      .execute();
  });
  afterAll(async () => {
    await twilio.stop();
    await t?.app.close();
  });

  const post = (path: string, params: Record<string, string>, signature: string | undefined) => ({
    method: 'POST',
    url: path,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(signature === undefined ? {} : { 'x-twilio-signature': signature }),
    },
    payload: new URLSearchParams(params).toString(),
  });
  const value = fc.oneof(
    fc.constantFrom(...hostileStrings.filter((s) => s.length <= 2000)),
    fc.constantFrom('delivered', 'undelivered', 'STOP', 'start', '30003', 'x'.repeat(2000)),
  );

  it('signed callbacks with any values answer 200 or a problem, never 5xx', async () => {
    const findings = new Findings();
    const cases = fc.sample(
      fc.record({
        path: fc.constantFrom(TWILIO_STATUS_PATH, TWILIO_INBOUND_PATH),
        params: fc.dictionary(
          fc.constantFrom(
            'MessageSid',
            'SmsSid',
            'MessageStatus',
            'SmsStatus',
            'ErrorCode',
            'From',
            'Body',
            '__proto__',
            'constructor',
          ),
          value,
        ),
        knownSid: fc.boolean(),
      }),
      { seed: SEED, numRuns: 120 },
    );
    for (const c of cases) {
      const params: Record<string, string> = { ...c.params };
      if (c.knownSid) params.MessageSid = sid;
      const signature = twilioSignature(twilio.authToken, BASE + c.path, params);
      await send(
        t.app,
        findings,
        { method: 'POST', path: c.path },
        post(c.path, params, signature),
        JSON.stringify(params).slice(0, 60),
      );
    }
    // A status no Twilio message has is ignored, and never stored.
    const odd = { MessageSid: sid, MessageStatus: 'x'.repeat(2000), ErrorCode: '9'.repeat(2000) };
    const res = await t.app.inject(
      post(TWILIO_STATUS_PATH, odd, twilioSignature(twilio.authToken, BASE + TWILIO_STATUS_PATH, odd)),
    );
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ received: true, result: 'ignored' });
    expect(findings.list()).toEqual([]);
  });

  it('unsigned, mis-signed and oversized callbacks are refused as problems', async () => {
    const findings = new Findings();
    const params = { MessageSid: sid, MessageStatus: 'failed' };
    for (const path of [TWILIO_STATUS_PATH, TWILIO_INBOUND_PATH]) {
      for (const signature of [
        undefined,
        '',
        'x',
        twilioSignature('wrong', BASE + path, params),
        'a'.repeat(9000),
      ]) {
        const res = await t.app.inject(post(path, params, signature));
        expect(res.statusCode).toBe(403);
        await send(
          t.app,
          findings,
          { method: 'POST', path },
          post(path, params, signature),
          String(signature).slice(0, 10),
        );
      }
      const huge = { Body: 'x'.repeat(70_000) };
      await send(t.app, findings, { method: 'POST', path }, post(path, huge, 'x'), 'huge');
      await send(
        t.app,
        findings,
        { method: 'POST', path },
        { ...post(path, params, 'x'), payload: '%%%&&&==' },
        'broken form',
      );
      await send(
        t.app,
        findings,
        { method: 'POST', path },
        {
          ...post(path, params, 'x'),
          headers: { 'content-type': 'application/json' },
          payload: '{"MessageSid":1}',
        },
        'json',
      );
    }
    expect(findings.list()).toEqual([]);
    const row = await db()
      .dbs.inventory.db.selectFrom('sms_messages')
      .select(['status'])
      .where('provider_id', '=', sid)
      .executeTakeFirst();
    expect(row?.status).not.toBe('failed');
  });
});
