import { parseReminderOffsets } from '../modules/messaging/domain/reminders';

export interface MessagingConfig {
  /** Where SMS go: nowhere, the dev inbox at /dev/sms (embedded), or Twilio. */
  sms:
    | { kind: 'off' }
    | { kind: 'inbox' }
    | { kind: 'twilio'; accountSid: string; authToken: string; from: string; apiUrl?: string };
  /** REMINDER_OFFSETS in minutes, largest first (default 24h,2h). */
  reminderOffsetsMinutes: number[];
  /** How often the leased reminder job looks for due reminders; 0 turns it off. */
  reminderIntervalSeconds: number;
}

type Env = Record<string, string | undefined>;

/** SMS=off|inbox|twilio, TWILIO_*, REMINDER_OFFSETS, REMINDER_INTERVAL_SECONDS. */
export function readMessagingConfig(env: Env, prod: boolean, problems: string[]): MessagingConfig {
  const kind = env.SMS ?? (prod ? 'off' : 'inbox');
  let sms: MessagingConfig['sms'] = { kind: 'off' };
  if (kind === 'inbox') {
    if (prod) problems.push('SMS: the production profile sends real SMS (SMS=twilio) or none (SMS=off)');
    sms = { kind: 'inbox' };
  } else if (kind === 'twilio') {
    const accountSid = env.TWILIO_ACCOUNT_SID ?? '';
    const authToken = env.TWILIO_AUTH_TOKEN ?? '';
    const from = env.TWILIO_FROM ?? '';
    if (!/^AC[0-9a-fA-F]{32}$/.test(accountSid))
      problems.push('TWILIO_ACCOUNT_SID: required with SMS=twilio (AC followed by 32 hex digits)');
    if (!authToken) problems.push('TWILIO_AUTH_TOKEN: required with SMS=twilio');
    if (!/^\+[1-9]\d{6,14}$/.test(from))
      problems.push('TWILIO_FROM: required with SMS=twilio (E.164, e.g. +14155550100)');
    const apiUrl = env.TWILIO_API_URL;
    if (apiUrl && !/^https?:\/\/[^/]+\/?$/.test(apiUrl))
      problems.push('TWILIO_API_URL: must be an http(s) origin such as http://127.0.0.1:4010');
    sms = { kind: 'twilio', accountSid, authToken, from, ...(apiUrl ? { apiUrl } : {}) };
  } else if (kind !== 'off') problems.push(`SMS: must be one of off, inbox, twilio (got "${kind}")`);

  let reminderOffsetsMinutes = [1440, 120];
  try {
    if (env.REMINDER_OFFSETS !== undefined)
      reminderOffsetsMinutes = parseReminderOffsets(env.REMINDER_OFFSETS);
  } catch (err) {
    problems.push(`REMINDER_OFFSETS: ${(err as Error).message}`);
  }
  const interval = Number(env.REMINDER_INTERVAL_SECONDS ?? '60');
  if (!Number.isInteger(interval) || interval < 0 || interval > 3600)
    problems.push('REMINDER_INTERVAL_SECONDS: must be an integer between 0 and 3600');
  return { sms, reminderOffsetsMinutes, reminderIntervalSeconds: interval };
}
