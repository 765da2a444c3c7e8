import { describe, expect, it } from 'vitest';
import { relativeDays } from './format';

describe('relativeDays', () => {
  // Tuesday 24 November 2026, 18:00 in New York (23:00 UTC).
  const now = new Date('2026-11-24T23:00:00Z');

  it('counts calendar days in the zone shown, not 24-hour periods', () => {
    expect(relativeDays('2026-11-24T23:30:00Z', 'America/New_York', now)).toBe('today'); // 18:30 Tue
    expect(relativeDays('2026-11-25T14:00:00Z', 'America/New_York', now)).toBe('tomorrow'); // 09:00 Wed, 15 h away
    expect(relativeDays('2026-11-27T14:00:00Z', 'America/New_York', now)).toBe('in 3 days');
  });

  it('follows the zone: the same instants are a day later in Berlin', () => {
    // 00:00 Wednesday in Berlin already; 15:00 Wednesday Berlin is today there.
    expect(relativeDays('2026-11-25T14:00:00Z', 'Europe/Berlin', now)).toBe('today');
  });

  it('counts across a DST change without drifting', () => {
    // Sunday 8 March 2026, US spring-forward; from Saturday 12:00 to Monday 09:00 New York.
    expect(relativeDays('2026-03-09T13:00:00Z', 'America/New_York', new Date('2026-03-07T17:00:00Z'))).toBe(
      'in 2 days',
    );
  });
});
