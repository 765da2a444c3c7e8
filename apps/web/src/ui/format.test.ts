import { describe, expect, it } from 'vitest';
import { relativeDays, viewerTime, zonedDateTime, zonedRange, zoneLabel } from './format';

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

// A patient in New York looking at a clinic in Berlin. Berlin leaves summer time on 25 October
// 2026, New York on 1 November: for that week the two are 5 hours apart, otherwise 6.
describe('times in the clinic zone, seen from New York', () => {
  const NY = 'America/New_York';
  const BERLIN = 'Europe/Berlin';

  it("labels a time with the clinic's zone and the offset at that instant", () => {
    const winter = zonedDateTime('2026-12-09T09:30:00Z', BERLIN, NY);
    expect(winter).toMatch(/Dec 9.*10:30 AM \(Europe\/Berlin, GMT\+1\)$/);
    const summer = zonedDateTime('2027-07-01T08:30:00Z', BERLIN, NY);
    expect(summer).toMatch(/Jul 1.*10:30 AM \(Europe\/Berlin, GMT\+2\)$/);
  });

  it("leaves the label off only in the viewer's own zone", () => {
    expect(zonedDateTime('2026-12-09T09:30:00Z', BERLIN, BERLIN)).toMatch(/10:30 AM$/);
    expect(zonedDateTime('2026-12-09T15:30:00Z', NY, NY)).toMatch(/10:30 AM$/);
  });

  it("says the viewer's own time, following both DST calendars", () => {
    // 10:30 in Berlin on Wed 9 Dec is 04:30 in New York (6 hours).
    expect(viewerTime('2026-12-09T09:30:00Z', BERLIN, NY)).toBe('04:30 AM your time (America/New York)');
    // 10:30 in Berlin on Wed 28 Oct (Berlin already on winter time, New York not yet) is 05:30.
    expect(viewerTime('2026-10-28T09:30:00Z', BERLIN, NY)).toBe('05:30 AM your time (America/New York)');
    // Berlin 01:00 on Thu 10 Dec is still Wednesday evening in New York: the day is named.
    expect(viewerTime('2026-12-10T00:00:00Z', BERLIN, NY)).toMatch(
      /^Wed, Dec 9(, 2026)?, 07:00 PM your time/,
    );
    expect(viewerTime('2026-12-09T09:30:00Z', BERLIN, BERLIN)).toBeNull();
    // Another zone whose clock reads the same at that instant (GMT-5 and EST): no second time.
    expect(viewerTime('2026-12-09T15:30:00Z', 'America/Bogota', NY)).toBeNull();
    expect(viewerTime('2026-07-09T15:30:00Z', 'America/Bogota', NY)).toBe(
      '11:30 AM your time (America/New York)',
    );
  });

  it('labels the zone by the offset of the date shown, not of today', () => {
    expect(zoneLabel(BERLIN, '2027-07-01T08:30:00Z')).toBe('Europe/Berlin (GMT+2)');
    expect(zoneLabel(BERLIN, '2027-01-07T08:30:00Z')).toBe('Europe/Berlin (GMT+1)');
  });

  it('an appointment across the clocks going back gives each end its own offset', () => {
    // 02:30 CEST (00:30Z) to 02:30 CET (01:30Z) on Sunday 25 October 2026 in Berlin.
    expect(zonedRange('2026-10-25T00:30:00Z', '2026-10-25T01:30:00Z', BERLIN)).toMatch(
      /Oct 25(, 2026)?, 02:30 AM GMT\+2–02:30 AM GMT\+1 \(Europe\/Berlin\)$/,
    );
    expect(zonedRange('2026-12-09T09:30:00Z', '2026-12-09T10:00:00Z', BERLIN)).toMatch(
      /Dec 9(, 2026)?, 10:30 AM–11:00 AM \(Europe\/Berlin, GMT\+1\)$/,
    );
  });
});
