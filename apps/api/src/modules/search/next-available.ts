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

/**
 * The earliest bookable start across the listing's active services within its booking horizon,
 * epoch ms, or null. Services with the same timing are computed once. A schedule the slot engine
 * rejects yields null (nothing is bookable) rather than failing the indexer.
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
  const busyIntervals = await busy.busyIntervals(
    row.id,
    now - DAY,
    now + (schedule.bookingHorizonDays + 1) * DAY,
  );
  const timings = new Map<string, ServiceTiming>();
  for (const s of active) {
    const t = {
      durationMinutes: s.duration_minutes,
      bufferBeforeMinutes: s.buffer_before_minutes,
      bufferAfterMinutes: s.buffer_after_minutes,
    };
    timings.set(`${t.durationMinutes}/${t.bufferBeforeMinutes}/${t.bufferAfterMinutes}`, t);
  }
  let best: number | null = null;
  for (const service of timings.values()) {
    const start = firstSlot(schedule, row.time_zone, service, busyIntervals, now);
    if (start !== null && (best === null || start < best)) best = start;
  }
  return best;
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
