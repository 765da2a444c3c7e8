/** Pure rules of SMS reminders: offsets, what is due, keywords, wording. No I/O, no clock. */

const MINUTE = 60_000;

/**
 * Parses REMINDER_OFFSETS: comma-separated durations such as `24h,2h` or `90m` or `1d`.
 * Returns minutes, largest first, without duplicates; throws a message naming the bad part.
 */
export function parseReminderOffsets(raw: string): number[] {
  const out = new Set<number>();
  for (const part of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const m = /^(\d{1,5})\s*(m|h|d)$/i.exec(part);
    if (!m?.[1] || !m[2]) throw new Error(`"${part}" is not a duration like 24h, 90m or 1d`);
    const n = Number(m[1]);
    const minutes = n * { m: 1, h: 60, d: 1440 }[m[2].toLowerCase() as 'm' | 'h' | 'd'];
    if (minutes < 1 || minutes > 14 * 1440) throw new Error(`"${part}" must be between 1 minute and 14 days`);
    out.add(minutes);
  }
  if (out.size === 0) throw new Error('at least one offset is needed, e.g. 24h,2h');
  return [...out].sort((a, b) => b - a);
}

/**
 * The offsets whose moment (start − offset) has come by `now`, for an appointment that has not
 * started. An offset whose moment had already passed when the booking was made is still "due",
 * so the caller can record it, but only the smallest due offset is worth a message: a booking
 * made an hour before the visit gets one reminder, not a 24 h and a 2 h one at once.
 */
export function dueOffsets(now: Date, startAt: Date, offsetsMinutes: readonly number[]): number[] {
  if (now.getTime() >= startAt.getTime()) return [];
  return offsetsMinutes.filter((o) => startAt.getTime() - o * MINUTE <= now.getTime());
}

export type InboundKeyword = 'stop' | 'start' | 'help' | null;

/** Carrier/Twilio opt-out keywords (matched on the whole trimmed message, case-insensitive). */
const STOP = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT', 'REVOKE', 'OPTOUT'];
const START = ['START', 'YES', 'UNSTOP'];
const HELP = ['HELP', 'INFO'];

export function inboundKeyword(body: string): InboundKeyword {
  const word = body.trim().toUpperCase();
  if (STOP.includes(word)) return 'stop';
  if (START.includes(word)) return 'start';
  if (HELP.includes(word)) return 'help';
  return null;
}

export interface ReminderFacts {
  providerName: string;
  serviceName: string;
  startAt: Date;
  timeZone: string;
}

/** "Mon 7 Dec, 09:30" in the practice's time zone. */
function formatLocal(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone,
  }).format(at);
}

/** The SMS text: short (one or two segments), no patient data beyond what they booked. */
export function reminderSms(f: ReminderFacts): string {
  return `Carebook reminder: ${f.serviceName} with ${f.providerName} on ${formatLocal(f.startAt, f.timeZone)} (${f.timeZone}). Reply STOP to opt out.`;
}

export function reminderEmail(f: ReminderFacts): { subject: string; text: string } {
  const when = formatLocal(f.startAt, f.timeZone);
  return {
    subject: `Reminder: ${f.serviceName} with ${f.providerName}, ${when}`,
    text: `This is a reminder of your appointment: ${f.serviceName} with ${f.providerName} on ${when} (${f.timeZone}).\n\nYou can see or change it under My bookings.`,
  };
}
