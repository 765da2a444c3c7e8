import { describe, expect, it } from 'vitest';
import { readMessagingConfig } from './messaging';

const read = (env: Record<string, string>, prod = false) => {
  const problems: string[] = [];
  return { config: readMessagingConfig(env, prod, problems), problems };
};

describe('messaging config', () => {
  it('defaults to the dev inbox and 24h,2h in the embedded profile, to no SMS in production', () => {
    expect(read({}).config).toEqual({
      sms: { kind: 'inbox' },
      reminderOffsetsMinutes: [1440, 120],
      reminderIntervalSeconds: 60,
    });
    expect(read({}, true).config.sms).toEqual({ kind: 'off' });
  });

  it('names every bad variable', () => {
    const { problems } = read({
      SMS: 'twilio',
      TWILIO_ACCOUNT_SID: 'nope',
      TWILIO_API_URL: 'ftp://x',
      REMINDER_OFFSETS: '24h,later',
    });
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'TWILIO_ACCOUNT_SID',
      'TWILIO_AUTH_TOKEN',
      'TWILIO_FROM',
      'TWILIO_API_URL',
      'REMINDER_OFFSETS',
    ]);
    expect(read({ SMS: 'inbox' }, true).problems[0]).toMatch(/^SMS: the production profile/);
    expect(read({ SMS: 'pigeon' }).problems[0]).toMatch(/^SMS: must be one of/);
  });

  it('reads a complete Twilio setting', () => {
    const sid = `AC${'a'.repeat(32)}`;
    const { config, problems } = read(
      {
        SMS: 'twilio',
        TWILIO_ACCOUNT_SID: sid,
        TWILIO_AUTH_TOKEN: 't',
        TWILIO_FROM: '+15005550006',
        REMINDER_OFFSETS: '2h,1d',
      },
      true,
    );
    expect(problems).toEqual([]);
    expect(config.sms).toEqual({ kind: 'twilio', accountSid: sid, authToken: 't', from: '+15005550006' });
    expect(config.reminderOffsetsMinutes).toEqual([1440, 120]);
  });
});
