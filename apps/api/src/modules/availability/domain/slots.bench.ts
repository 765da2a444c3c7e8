/**
 * Micro-benchmark: one provider, 30 days of slots.
 * Run: node --import tsx apps/api/src/modules/availability/domain/slots.bench.ts
 */
import { groupSlotsByDay } from './group';
import { computeSlots, nextAvailableSlot } from './slots';
import type { Interval, Schedule, ServiceTiming } from './types';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const now = Date.parse('2026-03-02T07:00:00Z');

const workday = [
  { start: '08:00', end: '12:00' },
  { start: '13:00', end: '18:30' },
];
const schedule: Schedule = {
  timeZone: 'Europe/Berlin', // the range includes the 2026-03-29 spring-forward
  weekly: {
    mon: workday,
    tue: workday,
    wed: workday,
    thu: workday,
    fri: workday,
    sat: [{ start: '09:00', end: '13:00' }],
    sun: [],
  },
  overrides: [
    { date: '2026-03-10', intervals: [] },
    { date: '2026-03-14', intervals: [{ start: '10:00', end: '16:00' }] },
  ],
  timeOff: [{ start: '2026-03-18T11:00:00+01:00', end: '2026-03-19T12:00:00+01:00' }],
  slotIntervalMinutes: 15,
  minimumNoticeMinutes: 120,
  bookingHorizonDays: 90,
};
const service: ServiceTiming = { durationMinutes: 30, bufferBeforeMinutes: 5, bufferAfterMinutes: 10 };

// About six bookings per working day, deterministic.
const busy: Interval[] = [];
for (let d = 0; d < 30; d++) {
  for (let k = 0; k < 6; k++) {
    const start = now + d * DAY + (2 + ((d * 7 + k * 13) % 9)) * 60 * MIN;
    busy.push({ start: start - 5 * MIN, end: start + 40 * MIN });
  }
}

function time(label: string, iterations: number, fn: () => unknown): void {
  for (let i = 0; i < 20; i++) fn(); // warm-up
  const t0 = performance.now();
  for (let i = 0; i < iterations; i++) fn();
  const ms = (performance.now() - t0) / iterations;
  console.log(`${label.padEnd(46)} ${ms.toFixed(3)} ms`);
}

const query = { schedule, service, busy, now, from: now, to: now + 30 * DAY };
const coldStart = performance.now();
const slots = computeSlots(query);
console.log(
  `first call (cold, includes Intl setup)`.padEnd(46),
  `${(performance.now() - coldStart).toFixed(3)} ms`,
);
console.log(`slots in 30 days: ${slots.length}, busy intervals: ${busy.length}`);
time('computeSlots, 30 days', 500, () => computeSlots(query));
time('computeSlots + groupSlotsByDay (America/Chicago)', 500, () =>
  groupSlotsByDay(computeSlots(query), 'America/Chicago'),
);
time('nextAvailableSlot', 2000, () => nextAvailableSlot({ schedule, service, busy, now }));

// Offsets are memoised per zone; the first computation in a zone also builds its offset timeline.
const zones = [
  'America/New_York',
  'America/Sao_Paulo',
  'Asia/Kolkata',
  'Australia/Adelaide',
  'Pacific/Auckland',
];
const t0 = performance.now();
for (const timeZone of zones) computeSlots({ ...query, schedule: { ...schedule, timeZone } });
console.log(
  'computeSlots, first call in a new zone'.padEnd(46),
  `${((performance.now() - t0) / zones.length).toFixed(3)} ms`,
);
