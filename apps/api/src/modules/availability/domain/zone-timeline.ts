import type { Interval } from './types';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Largest |UTC offset| any zone has had (LMT offsets reach ±15:xx); bounds wall→instant searches. */
const MAX_OFFSET = 16 * HOUR;
/**
 * Offsets are sampled this far apart and changes located by bisection. Assumes no zone changes its
 * offset twice within one sampling step and returns to where it was — true of the tz database.
 */
const SAMPLE_STEP = DAY;

const IANA_NAME = /^(?:[A-Za-z][A-Za-z0-9_+-]*)(?:\/[A-Za-z0-9_+-]+)*$/;
const OFFSET_TEXT = /GMT(?:([+-])(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?)?$/;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    if (!IANA_NAME.test(zone)) throw new RangeError(`Not an IANA time zone name: ${zone}`);
    formatter = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' });
    formatters.set(zone, formatter);
  }
  return formatter;
}

export function isValidTimeZone(zone: unknown): zone is string {
  if (typeof zone !== 'string' || zone.length === 0) return false;
  try {
    formatterFor(zone);
    return true;
  } catch {
    return false;
  }
}

/** UTC offset of `zone` at instant `ms`, in ms (wall clock = instant + offset). One Intl call. */
export function rawOffset(zone: string, ms: number): number {
  const text = formatterFor(zone).format(ms);
  const m = OFFSET_TEXT.exec(text);
  if (!m) throw new Error(`Unexpected offset text from Intl: ${text}`);
  if (!m[1]) return 0;
  const sign = m[1] === '-' ? -1 : 1;
  const seconds = Number(m[2]) * 3600 + Number(m[3] ?? 0) * 60 + Number(m[4] ?? 0);
  return sign * seconds * 1000;
}

/** A stretch of real time during which a zone's offset is constant. */
export interface OffsetSegment extends Interval {
  offset: number;
}

/**
 * The offsets of one zone over a range of instants, as constant-offset segments. Built with one Intl
 * lookup per day plus a bisection per transition, then every lookup is a binary search. Coverage
 * grows on demand in either direction.
 */
export class ZoneTimeline {
  readonly zone: string;
  private segs: OffsetSegment[] = [];

  constructor(zone: string) {
    formatterFor(zone);
    this.zone = zone;
  }

  /** Ensures the timeline knows every offset in `[lo, hi)`. */
  cover(lo: number, hi: number): void {
    const first = this.segs[0];
    const last = this.segs[this.segs.length - 1];
    if (!first || !last) {
      this.segs = this.scan(lo, Math.max(hi, lo + 1));
      return;
    }
    if (lo < first.start) this.segs = joinSegments(this.scan(lo, first.start), this.segs);
    if (hi > last.end) this.segs = joinSegments(this.segs, this.scan(last.end, hi));
  }

  offsetAt(ms: number): number {
    this.cover(ms, ms + 1);
    const segs = this.segs;
    let lo = 0;
    let hi = segs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((segs[mid] as OffsetSegment).start <= ms) lo = mid;
      else hi = mid - 1;
    }
    return (segs[lo] as OffsetSegment).offset;
  }

  /** Segments intersecting `[lo, hi)`, unclipped, in order. */
  segments(lo: number, hi: number): OffsetSegment[] {
    this.cover(lo, hi);
    return this.segs.filter((s) => s.end > lo && s.start < hi);
  }

  /** The instants whose local wall clock lies in `[wallStart, wallEnd)` (wall clock as if UTC ms). */
  wallRangeToInstants(wallStart: number, wallEnd: number): Interval[] {
    const pieces: Interval[] = [];
    for (const seg of this.segments(wallStart - MAX_OFFSET, wallEnd + MAX_OFFSET)) {
      const start = Math.max(wallStart - seg.offset, seg.start);
      const end = Math.min(wallEnd - seg.offset, seg.end);
      if (start >= end) continue;
      const prev = pieces[pieces.length - 1];
      if (prev && prev.end === start) prev.end = end;
      else pieces.push({ start, end });
    }
    return pieces;
  }

  /** Days since 1970-01-01 of the local date at instant `ms`. */
  localDayNumber(ms: number): number {
    return Math.floor((ms + this.offsetAt(ms)) / DAY);
  }

  private scan(lo: number, hi: number): OffsetSegment[] {
    const out: OffsetSegment[] = [];
    let segStart = lo;
    let offset = rawOffset(this.zone, lo);
    let t = lo;
    while (t < hi) {
      const next = Math.min(t + SAMPLE_STEP, hi);
      if (rawOffset(this.zone, next) === offset) {
        t = next;
        continue;
      }
      const change = this.firstChange(t, next, offset);
      out.push({ start: segStart, end: change, offset });
      segStart = change;
      offset = rawOffset(this.zone, change);
      t = change;
    }
    if (segStart < hi) out.push({ start: segStart, end: hi, offset });
    return out;
  }

  /** Smallest instant in `(lo, hi]` whose offset differs from `offset` (which holds at `lo`). */
  private firstChange(lo: number, hi: number, offset: number): number {
    // Modern transitions fall on whole minutes: bisect minutes first, then milliseconds if needed.
    let a = lo;
    let b = hi;
    while (b - a > MINUTE) {
      const mid = a + Math.max(MINUTE, Math.floor((b - a) / 2 / MINUTE) * MINUTE);
      if (mid >= b) break;
      if (rawOffset(this.zone, mid) === offset) a = mid;
      else b = mid;
    }
    if (b - 1 > a && rawOffset(this.zone, b - 1) === offset) return b;
    while (b - a > 1) {
      const mid = a + Math.floor((b - a) / 2);
      if (rawOffset(this.zone, mid) === offset) a = mid;
      else b = mid;
    }
    return b;
  }
}

const MAX_CACHED_ZONES = 1024;
const timelines = new Map<string, ZoneTimeline>();

/**
 * A process-wide timeline per zone. Offsets are a fixed function of (zone, instant) for the life of
 * the process, so sharing them is memoisation, not state: results are the same with or without it.
 */
export function timelineFor(zone: string): ZoneTimeline {
  let timeline = timelines.get(zone);
  if (!timeline) {
    timeline = new ZoneTimeline(zone);
    if (timelines.size >= MAX_CACHED_ZONES) timelines.clear();
    timelines.set(zone, timeline);
  }
  return timeline;
}

function joinSegments(left: OffsetSegment[], right: OffsetSegment[]): OffsetSegment[] {
  const a = left[left.length - 1];
  const b = right[0];
  if (a && b && a.end === b.start && a.offset === b.offset) {
    return [...left.slice(0, -1), { start: a.start, end: b.end, offset: a.offset }, ...right.slice(1)];
  }
  return [...left, ...right];
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/** `YYYY-MM-DD` of a day number (days since 1970-01-01), for years 0–9999. */
export function dayNumberToDate(day: number): string {
  // Civil-from-days (H. Hinnant), proleptic Gregorian calendar.
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;
}

/** `HH:mm:ss` (plus `.SSS` when not a whole second) of a time of day in ms. */
export function timeOfDay(msOfDay: number): string {
  const seconds = Math.floor(msOfDay / 1000);
  const ms = msOfDay - seconds * 1000;
  const hms = `${pad2(Math.floor(seconds / 3600))}:${pad2(Math.floor(seconds / 60) % 60)}:${pad2(seconds % 60)}`;
  return ms === 0 ? hms : `${hms}.${String(ms).padStart(3, '0')}`;
}

/** Day number of a `YYYY-MM-DD` date (assumed valid). */
export function dateToDayNumber(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY;
}

const WEEKDAY_BY_INDEX = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** Weekday of a day number (1970-01-01 was a Thursday). */
export function weekdayOfDayNumber(day: number): (typeof WEEKDAY_BY_INDEX)[number] {
  return WEEKDAY_BY_INDEX[(((day + 4) % 7) + 7) % 7] as (typeof WEEKDAY_BY_INDEX)[number];
}
