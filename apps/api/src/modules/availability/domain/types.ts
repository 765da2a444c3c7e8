/** Days of the week as used in weekly hours. */
export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/**
 * An opening interval in local wall time of the provider's zone, `HH:mm`–`HH:mm`, half-open.
 * `end` may be `24:00` (end of the day); intervals never cross midnight.
 */
export interface LocalInterval {
  start: string;
  end: string;
}

/** Replaces the weekly hours of one local date. An empty `intervals` list means closed. */
export interface DateOverride {
  date: string;
  intervals: LocalInterval[];
}

/** A range of real time the provider is away: ISO 8601 instants with an explicit offset or `Z`. */
export interface TimeOff {
  start: string;
  end: string;
}

export interface Schedule {
  /** IANA zone the weekly hours and overrides are written in. */
  timeZone: string;
  weekly: Record<Weekday, LocalInterval[]>;
  overrides: DateOverride[];
  timeOff: TimeOff[];
  slotIntervalMinutes: number;
  minimumNoticeMinutes: number;
  bookingHorizonDays: number;
}

export interface ServiceTiming {
  durationMinutes: number;
  bufferBeforeMinutes: number;
  bufferAfterMinutes: number;
}

/** Half-open interval of epoch milliseconds: `[start, end)`. */
export interface Interval {
  start: number;
  end: number;
}

/** A bookable appointment (without its buffers), epoch ms UTC. */
export type Slot = Interval;

export interface SlotQuery {
  schedule: Schedule;
  service: ServiceTiming;
  /**
   * Time already held or booked, as epoch-ms intervals. Each entry must already include the
   * buffers of the booking it stands for (the booking's `[start - before, end + after)`), so the
   * engine treats it as plainly unavailable. Entries with `end <= start` are ignored.
   */
  busy: readonly Interval[];
  /** The current instant, epoch ms. Nothing reads the clock inside this module. */
  now: number;
  /** Slots whose start lies in `[from, to)` are returned. */
  from: number;
  to: number;
}

/** One local day in the patient's zone with its slots as ISO 8601 strings carrying their offset. */
export interface DaySlots {
  date: string;
  slots: { start: string; end: string }[];
}

/** A validation problem, addressed by a field path such as `weekly.mon[1].end`. */
export interface ValidationIssue {
  path: string;
  message: string;
}

export class AvailabilityInputError extends Error {
  readonly issues: readonly ValidationIssue[];

  constructor(issues: readonly ValidationIssue[]) {
    super(`Invalid availability input: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
    this.name = 'AvailabilityInputError';
    this.issues = issues;
  }
}
