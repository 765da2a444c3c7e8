import type { Kysely } from 'kysely';
import type { BookingDatabase } from '../../db/schema';
import type { BusyTimeReader } from '../../ports/busy-time';
import { BookingsRepository } from './bookings.repository';

/** Bookings claim time in 5-minute units; durations, buffers and slot grids are multiples of 5. */
export const UNIT_MS = 5 * 60_000;

/** The units a block [start, end) covers. */
export function unitsOf(blockStart: number, blockEnd: number): number[] {
  const units: number[] = [];
  for (let u = Math.floor(blockStart / UNIT_MS); u * UNIT_MS < blockEnd; u++) units.push(u);
  return units;
}

/** Merges claimed units into busy intervals (epoch ms, buffers included). */
export function unitsToIntervals(units: readonly number[]): { start: number; end: number }[] {
  const sorted = [...units].sort((a, b) => a - b);
  const out: { start: number; end: number }[] = [];
  for (const u of sorted) {
    const last = out.at(-1);
    if (last && last.end === u * UNIT_MS) last.end = (u + 1) * UNIT_MS;
    else out.push({ start: u * UNIT_MS, end: (u + 1) * UNIT_MS });
  }
  return out;
}

/** Busy time straight from the claims table: exactly what the database will refuse to double-book. */
export class ClaimsBusyTimeReader implements BusyTimeReader {
  private readonly repo: BookingsRepository;
  constructor(db: Kysely<BookingDatabase>) {
    this.repo = new BookingsRepository(db);
  }

  async busyIntervals(providerId: string, from: number, to: number) {
    const units = await this.repo.claimedUnits(
      providerId,
      Math.floor(from / UNIT_MS),
      Math.ceil(to / UNIT_MS),
    );
    return unitsToIntervals(units);
  }
}
