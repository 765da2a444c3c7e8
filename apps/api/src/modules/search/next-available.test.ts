import type { Schedule } from '@carebook/contracts';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BusyTimeReader } from '../../ports/busy-time';
import { type Interval, nextAvailableSlot } from '../availability/domain';
import { UNIT_MS } from '../bookings/claims';
import { nextAvailableAt } from './next-available';
import type { SearchRow, SearchServiceRow } from './search-doc';

const DAY = 86_400_000;
const NOW = Date.parse('2026-03-07T10:02:00Z'); // the weekend Europe and America change clocks on

/**
 * Busy time as the claims table gives it (ClaimsBusyTimeReader): whole 5-minute units, those in
 * [floor(from), ceil(to)), so a stretch of busy time crossing `to` is cut there. Every range asked
 * is recorded.
 */
function claimsOf(busy: readonly Interval[]) {
  const asked: [number, number][] = [];
  const reader: BusyTimeReader = {
    busyIntervals: async (_providerId, from, to) => {
      asked.push([from, to]);
      const lo = Math.floor(from / UNIT_MS) * UNIT_MS;
      const hi = Math.ceil(to / UNIT_MS) * UNIT_MS;
      return busy
        .filter((b) => b.start < hi && b.end > lo)
        .map((b) => ({ start: Math.max(b.start, lo), end: Math.min(b.end, hi) }));
    },
  };
  return { reader, asked };
}

const openAllWeek = (hours: { start: string; end: string }[]): Schedule['weekly'] => ({
  mon: hours,
  tue: hours,
  wed: hours,
  thu: hours,
  fri: hours,
  sat: hours,
  sun: hours,
});

function listing(schedule: Omit<Schedule, 'cancellationWindowHours'>, timeZone: string): SearchRow {
  return {
    id: 'prov-1',
    time_zone: timeZone,
    schedule: JSON.stringify({ ...schedule, cancellationWindowHours: 24 }),
  } as SearchRow;
}

const service = (duration: number, before = 0, after = 0): SearchServiceRow => ({
  provider_id: 'prov-1',
  name: `s${duration}/${before}/${after}`,
  price_cents: 0,
  duration_minutes: duration,
  buffer_before_minutes: before,
  buffer_after_minutes: after,
  active: 1,
});

/** The answer on every claim of the horizon at once: the earliest first slot over the services. */
function reference(
  schedule: Omit<Schedule, 'cancellationWindowHours'>,
  timeZone: string,
  services: readonly SearchServiceRow[],
  busy: readonly Interval[],
): number | null {
  let best: number | null = null;
  for (const s of services) {
    const slot = nextAvailableSlot({
      schedule: { ...schedule, timeZone },
      service: {
        durationMinutes: s.duration_minutes,
        bufferBeforeMinutes: s.buffer_before_minutes,
        bufferAfterMinutes: s.buffer_after_minutes,
      },
      busy,
      now: NOW,
    });
    if (slot && (best === null || slot.start < best)) best = slot.start;
  }
  return best;
}

const baseSchedule = {
  weekly: openAllWeek([{ start: '09:00', end: '17:00' }]),
  overrides: [],
  timeOff: [],
  slotIntervalMinutes: 15,
  minimumNoticeMinutes: 0,
  bookingHorizonDays: 365,
};

describe('nextAvailableAt', () => {
  it('reads only the first two days of claims when a slot is free in them', async () => {
    const { reader, asked } = claimsOf([]);
    const next = await nextAvailableAt(listing(baseSchedule, 'UTC'), [service(30)], reader, NOW);
    expect(next).toBe(Date.parse('2026-03-07T10:15:00Z'));
    expect(asked).toEqual([[NOW - DAY, NOW + 2 * DAY]]);
  });

  it('reads further, each stretch once, while everything read so far is booked', async () => {
    // Booked solid for the next ten days: the first free opening is on day 10 at 09:00.
    const busy = [{ start: NOW - DAY, end: Date.parse('2026-03-17T09:00:00Z') }];
    const { reader, asked } = claimsOf(busy);
    const next = await nextAvailableAt(listing(baseSchedule, 'UTC'), [service(30)], reader, NOW);
    expect(next).toBe(Date.parse('2026-03-17T09:00:00Z'));
    expect(asked).toEqual([
      [NOW - DAY, NOW + 2 * DAY],
      [NOW + 2 * DAY, NOW + 4 * DAY],
      [NOW + 4 * DAY, NOW + 8 * DAY],
      [NOW + 8 * DAY, NOW + 16 * DAY],
    ]);
  });

  it('does not take a slot whose buffer reaches past what was read', async () => {
    // Open 09:00–10:45 UTC; a 60-minute visit with 15 minutes after it. The first stretch read ends
    // at NOW + 2 days = 03-09 10:02 and everything before 03-09 09:00 is booked, so 03-09 09:00 is
    // the first start on what was read, but its block (to 10:15) runs past the cut, where a claim
    // at 10:10 holds it and the two starts after it.
    const schedule = { ...baseSchedule, weekly: openAllWeek([{ start: '09:00', end: '10:45' }]) };
    const busy = [
      { start: NOW - DAY, end: Date.parse('2026-03-09T09:00:00Z') },
      { start: Date.parse('2026-03-09T10:10:00Z'), end: Date.parse('2026-03-09T10:15:00Z') },
    ];
    const { reader, asked } = claimsOf(busy);
    const services = [service(60, 0, 15)];
    const next = await nextAvailableAt(listing(schedule, 'UTC'), services, reader, NOW);
    expect(next).toBe(Date.parse('2026-03-10T09:00:00Z'));
    expect(next).toBe(reference(schedule, 'UTC', services, busy));
    expect(asked.slice(0, 2)).toEqual([
      [NOW - DAY, NOW + 2 * DAY],
      [NOW + 2 * DAY, NOW + 4 * DAY],
    ]);
  });

  it('is null when nothing is free within the horizon, after reading up to it', async () => {
    const schedule = { ...baseSchedule, bookingHorizonDays: 20 };
    const busy = [{ start: NOW - DAY, end: NOW + 30 * DAY }];
    const { reader, asked } = claimsOf(busy);
    expect(await nextAvailableAt(listing(schedule, 'UTC'), [service(30)], reader, NOW)).toBeNull();
    expect(asked.at(-1)?.[1]).toBe(NOW + 21 * DAY);
  });

  it('gives the same slot as reading the whole horizon at once (random claims, zones, services)', async () => {
    const zones = ['UTC', 'America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'Asia/Kathmandu'];
    const busyArb = fc.array(
      fc.record({
        startUnit: fc.integer({ min: -300, max: 40 * 288 }),
        units: fc.integer({ min: 1, max: 600 }),
      }),
      { maxLength: 60 },
    );
    const serviceArb = fc.record({
      duration: fc.integer({ min: 1, max: 24 }).map((n) => n * 5),
      before: fc.integer({ min: 0, max: 6 }).map((n) => n * 5),
      after: fc.integer({ min: 0, max: 6 }).map((n) => n * 5),
    });
    await fc.assert(
      fc.asyncProperty(
        busyArb,
        fc.array(serviceArb, { minLength: 1, maxLength: 3 }),
        fc.constantFrom(...zones),
        fc.integer({ min: 1, max: 60 }),
        fc.constantFrom(5, 10, 15, 30),
        fc.boolean(),
        async (claims, specs, zone, horizonDays, step, nights) => {
          const base = Math.floor(NOW / UNIT_MS) * UNIT_MS;
          const busy = claims.map((c) => ({
            start: base + c.startUnit * UNIT_MS,
            end: base + (c.startUnit + c.units) * UNIT_MS,
          }));
          const schedule = {
            ...baseSchedule,
            // Evenings up to midnight too: in some zones a stretch's cut (10:02 UTC) falls inside them.
            weekly: openAllWeek(
              nights ? [{ start: '20:00', end: '24:00' }] : [{ start: '08:00', end: '12:30' }],
            ),
            slotIntervalMinutes: step,
            bookingHorizonDays: horizonDays,
          };
          const services = specs.map((s) => service(s.duration, s.before, s.after));
          const { reader, asked } = claimsOf(busy);
          const next = await nextAvailableAt(listing(schedule, zone), services, reader, NOW);
          expect(next).toBe(reference(schedule, zone, services, busy));
          // The stretches asked for follow one another without overlap.
          for (let i = 1; i < asked.length; i++) expect(asked[i]?.[0]).toBe(asked[i - 1]?.[1]);
        },
      ),
      { numRuns: 300 },
    );
  });
});
