import type { BusyTimeReader } from '../../ports/busy-time';
import {
  AvailabilityInputError,
  type Interval,
  nextAvailableSlot,
  type ServiceTiming,
} from '../availability/domain';
import { parseSchedule } from '../providers/listing-mapper';
import type { SearchRow, SearchServiceRow } from './search-doc';

const DAY = 86_400_000;
const MINUTE = 60_000;

/** The first look ahead, in days; each further look reaches twice as far. */
const FIRST_LOOK_DAYS = 2;

/**
 * The earliest bookable start across the listing's active services within its booking horizon,
 * epoch ms, or null. Services with the same timing are computed once. A schedule the slot engine
 * rejects yields null (nothing is bookable) rather than failing the indexer.
 *
 * The claims are read a stretch at a time, from now: the first 2 days, then as far again each
 * time (4, 8, … days) up to the horizon, and each stretch is read once. A slot is taken as soon
 * as it and its buffers end inside what has been read: no claim beyond could overlap it, and every
 * earlier start was judged on complete claims. A busy listing is usually free within days, so
 * recomputing its next slot after each booking reads days of claims, not the year ahead.
 */
export async function nextAvailableAt(
  row: SearchRow,
  services: readonly SearchServiceRow[],
  busy: BusyTimeReader,
  now: number,
): Promise<number | null> {
  const active = services.filter((s) => s.active === 1);
  if (active.length === 0) return null;
  const { cancellationWindowHours: _policy, ...schedule } = parseSchedule(row);
  const timings = new Map<string, ServiceTiming>();
  for (const s of active) {
    const t = {
      durationMinutes: s.duration_minutes,
      bufferBeforeMinutes: s.buffer_before_minutes,
      bufferAfterMinutes: s.buffer_after_minutes,
    };
    timings.set(`${t.durationMinutes}/${t.bufferBeforeMinutes}/${t.bufferAfterMinutes}`, t);
  }
  const horizonEnd = now + (schedule.bookingHorizonDays + 1) * DAY;
  const busyIntervals: Interval[] = [];
  let readFrom = now - DAY;
  for (let days = FIRST_LOOK_DAYS; ; days *= 2) {
    const readTo = Math.min(now + days * DAY, horizonEnd);
    for (const b of await busy.busyIntervals(row.id, readFrom, readTo)) busyIntervals.push(b);
    readFrom = readTo;
    const complete = readTo === horizonEnd;
    // Per service, its first start on the claims read so far. Claims not read yet can only push a
    // start later, so it is that service's answer when its block ends inside what was read, and a
    // lower bound otherwise. No start at all is final either way: more claims free nothing.
    let sure: number | null = null;
    let bound: number | null = null;
    for (const service of timings.values()) {
      const start = firstSlot(schedule, row.time_zone, service, busyIntervals, now);
      if (start === null) continue;
      const blockEnd = start + (service.durationMinutes + service.bufferAfterMinutes) * MINUTE;
      if (complete || blockEnd <= readTo) sure = sure === null ? start : Math.min(sure, start);
      else bound = bound === null ? start : Math.min(bound, start);
    }
    if (bound === null || (sure !== null && sure <= bound)) return sure;
  }
}

function firstSlot(
  schedule: Omit<ReturnType<typeof parseSchedule>, 'cancellationWindowHours'>,
  timeZone: string,
  service: ServiceTiming,
  busy: readonly Interval[],
  now: number,
): number | null {
  try {
    return nextAvailableSlot({ schedule: { ...schedule, timeZone }, service, busy, now })?.start ?? null;
  } catch (err) {
    if (err instanceof AvailabilityInputError) return null;
    throw err;
  }
}
