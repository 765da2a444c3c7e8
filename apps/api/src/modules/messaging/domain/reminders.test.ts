import { describe, expect, it } from 'vitest';
import { dueOffsets, inboundKeyword, parseReminderOffsets, reminderSms } from './reminders';

describe('reminder rules', () => {
  it('parses offsets largest first, in minutes, and names a bad part', () => {
    expect(parseReminderOffsets('2h, 24h,90m,2h')).toEqual([1440, 120, 90]);
    expect(parseReminderOffsets('1d')).toEqual([1440]);
    expect(() => parseReminderOffsets('24h,soon')).toThrow(/"soon"/);
    expect(() => parseReminderOffsets('')).toThrow(/at least one/);
    expect(() => parseReminderOffsets('30d')).toThrow(/14 days/);
  });

  it('finds the offsets whose moment has come, none once the visit started', () => {
    const start = new Date('2026-12-10T09:00:00.000Z');
    const offsets = [1440, 120];
    expect(dueOffsets(new Date('2026-12-09T08:59:00.000Z'), start, offsets)).toEqual([]);
    expect(dueOffsets(new Date('2026-12-09T09:00:00.000Z'), start, offsets)).toEqual([1440]);
    expect(dueOffsets(new Date('2026-12-10T07:30:00.000Z'), start, offsets)).toEqual([1440, 120]);
    expect(dueOffsets(start, start, offsets)).toEqual([]);
  });

  it('knows the opt-out and opt-in keywords, on the whole message only', () => {
    expect(inboundKeyword(' stop ')).toBe('stop');
    expect(inboundKeyword('Unsubscribe')).toBe('stop');
    expect(inboundKeyword('START')).toBe('start');
    expect(inboundKeyword('help')).toBe('help');
    expect(inboundKeyword('please stop by at 5')).toBeNull();
  });

  it('words the SMS in the practice time zone', () => {
    const text = reminderSms({
      providerName: 'Dr Ada Lovelace',
      serviceName: 'Check-up',
      startAt: new Date('2026-12-10T09:00:00.000Z'),
      timeZone: 'Europe/Berlin',
    });
    expect(text).toContain('Thu 10 Dec, 10:00');
    expect(text).toContain('Reply STOP');
  });
});
