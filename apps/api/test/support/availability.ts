import { DateTime } from 'luxon';
import type {
  LocalInterval,
  Schedule,
  ServiceTiming,
  Slot,
  SlotQuery,
} from '../../src/modules/availability/domain/types';

/** Shared fixtures for the availability tests; luxon serves as an independent time-zone oracle. */

export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

export const everyDay = (intervals: LocalInterval[]): Schedule['weekly'] => ({
  mon: intervals,
  tue: intervals,
  wed: intervals,
  thu: intervals,
  fri: intervals,
  sat: intervals,
  sun: intervals,
});

export function makeSchedule(overrides: Partial<Schedule> = {}): Schedule {
  return {
    timeZone: 'UTC',
    weekly: everyDay([{ start: '09:00', end: '12:00' }]),
    overrides: [],
    timeOff: [],
    slotIntervalMinutes: 30,
    minimumNoticeMinutes: 0,
    bookingHorizonDays: 365,
    ...overrides,
  };
}

export const service = (
  durationMinutes: number,
  bufferBeforeMinutes = 0,
  bufferAfterMinutes = 0,
): ServiceTiming => ({
  durationMinutes,
  bufferBeforeMinutes,
  bufferAfterMinutes,
});

/** Epoch ms of a local wall time that exists unambiguously (throws otherwise, to keep tests honest). */
export function at(zone: string, local: string): number {
  const dt = DateTime.fromISO(local, { zone });
  if (!dt.isValid) throw new Error(`bad local time ${local}`);
  if (dt.toFormat("yyyy-MM-dd'T'HH:mm") !== local.slice(0, 16))
    throw new Error(`${local} does not exist in ${zone}`);
  return dt.toMillis();
}

/** `HH:mm±hh:mm` of an instant in a zone, e.g. `01:30-04:00`. */
export const label = (ms: number, zone: string): string =>
  DateTime.fromMillis(ms, { zone }).toFormat('HH:mmZZ');

/** Query for the local date `date` (whole day) with `now` a week earlier. */
export function dayQuery(schedule: Schedule, svc: ServiceTiming, date: string, busy: Slot[] = []): SlotQuery {
  const from = DateTime.fromISO(date, { zone: schedule.timeZone }).startOf('day').toMillis();
  const to = DateTime.fromISO(date, { zone: schedule.timeZone }).plus({ days: 1 }).startOf('day').toMillis();
  return { schedule, service: svc, busy, now: from - 7 * DAY, from, to };
}
