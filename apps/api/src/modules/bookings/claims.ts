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

/**
 * An in-process hint that a slot was just claimed: a booking request for it checks the claims
 * table (one read) before doing the work of a booking, so the losers of a contended slot learn at
 * once instead of queueing for a transaction that must fail. Only an optimisation: the database
 * is asked every time (a hint never refuses a booking on its own), entries are dropped after
 * `ttlMs`, and the set is bounded.
 */
export class SlotHints {
  private readonly taken = new Map<string, { units: number[]; until: number }>();

  constructor(
    private readonly ttlMs = 10_000,
    private readonly max = 10_000,
  ) {}

  static key(providerId: string, serviceId: string, start: string): string {
    return `${providerId}|${serviceId}|${Date.parse(start)}`;
  }

  note(key: string, units: number[], now: number): void {
    this.taken.delete(key);
    this.taken.set(key, { units, until: now + this.ttlMs });
    if (this.taken.size > this.max) {
      const oldest = this.taken.keys().next().value;
      if (oldest !== undefined) this.taken.delete(oldest);
    }
  }

  /** The units of a slot noted as claimed within the last `ttlMs`, or null. */
  units(key: string, now: number): number[] | null {
    const hint = this.taken.get(key);
    if (!hint) return null;
    if (hint.until <= now) {
      this.taken.delete(key);
      return null;
    }
    return hint.units;
  }
}
