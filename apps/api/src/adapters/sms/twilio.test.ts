import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeTwilioServer, INVALID_NUMBER, twilioSignature } from '../../../test/support/fake-twilio-server';
import { smsContract } from './sms.contract';
import { TwilioSms } from './twilio';

describe('TwilioSms against the Twilio stand-in', () => {
  const fake = new FakeTwilioServer();
  beforeAll(() => fake.start());
  afterAll(() => fake.stop());
  const sender = (over: Partial<ConstructorParameters<typeof TwilioSms>[0]> = {}) =>
    new TwilioSms({
      accountSid: fake.accountSid,
      authToken: fake.authToken,
      from: fake.from,
      apiUrl: fake.url,
      ...over,
    });

  smsContract(
    'twilio',
    async () => {
      const seen = fake.messages.length;
      const s = sender();
      return {
        sender: s,
        received: async () =>
          fake.messages.slice(seen).map((m) => ({ providerId: m.sid, to: m.to, body: m.body })),
        dispose: () => s.close(),
      };
    },
    INVALID_NUMBER,
  );

  it('sends from our number with the status callback, as Twilio expects', async () => {
    const sent = await sender().send({
      to: '+14155550199',
      body: 'hello',
      statusCallbackUrl: 'http://127.0.0.1:1/cb',
    });
    expect(sent.providerId).toMatch(/^SM[0-9a-f]{32}$/);
    expect(sent.status).toBe('queued');
    expect(fake.messages.at(-1)).toMatchObject({ from: fake.from, statusCallback: 'http://127.0.0.1:1/cb' });
  });

  it('reports wrong credentials and an unreachable API as SmsSendError', async () => {
    await expect(
      sender({ authToken: 'wrong' }).send({ to: '+14155550199', body: 'x' }),
    ).rejects.toMatchObject({
      name: 'SmsSendError',
      providerCode: '20003',
    });
    await expect(
      sender({ apiUrl: 'http://127.0.0.1:1', timeoutMs: 2000 }).send({ to: '+14155550199', body: 'x' }),
    ).rejects.toMatchObject({ name: 'SmsSendError', providerCode: null });
  });

  it('accepts exactly the signatures Twilio computes over URL and parameters', () => {
    const s = sender();
    const url = 'https://carebook.example/api/v1/messaging/twilio/status';
    const params = { MessageSid: 'SM1', MessageStatus: 'delivered', To: '+14155550199' };
    const good = twilioSignature(fake.authToken, url, params);
    expect(s.verifyWebhook(url, params, good)).toBe(true);
    expect(s.verifyWebhook(url, { ...params, MessageStatus: 'failed' }, good)).toBe(false);
    expect(s.verifyWebhook(`${url}?x=1`, params, good)).toBe(false);
    expect(s.verifyWebhook(url, params, twilioSignature('other-token', url, params))).toBe(false);
    expect(s.verifyWebhook(url, params, undefined)).toBe(false);
  });
});
