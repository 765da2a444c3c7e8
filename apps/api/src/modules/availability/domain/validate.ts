import { type ValidationIssue, WEEKDAYS } from './types';
import { isValidTimeZone } from './zone-timeline';

const HH_MM = /^(?:[01]\d|2[0-3]):[0-5]\d$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** ISO 8601 instant with an explicit offset; at most millisecond precision. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Minutes after local midnight of an `HH:mm` time; `24:00` is accepted (as an end) and gives 1440. */
export function parseClock(text: string): number {
  if (text === '24:00') return 1440;
  return Number(text.slice(0, 2)) * 60 + Number(text.slice(3, 5));
}

/** Epoch ms of a validated ISO instant. */
export function parseInstant(text: string): number {
  return Date.parse(text);
}

/** True for a real calendar date `YYYY-MM-DD` (checks month lengths and leap years). */
function isCalendarDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

export function isIsoInstant(text: unknown): text is string {
  if (typeof text !== 'string' || !ISO_INSTANT.test(text)) return false;
  const hour = Number(text.slice(11, 13));
  const minute = Number(text.slice(14, 16));
  const second = text[16] === ':' ? Number(text.slice(17, 19)) : 0;
  return (
    isCalendarDate(Number(text.slice(0, 4)), Number(text.slice(5, 7)), Number(text.slice(8, 10))) &&
    hour < 24 &&
    minute < 60 &&
    second < 60 &&
    Number.isFinite(Date.parse(text))
  );
}

export function isLocalDate(text: unknown): text is string {
  return (
    typeof text === 'string' &&
    DATE.test(text) &&
    isCalendarDate(Number(text.slice(0, 4)), Number(text.slice(5, 7)), Number(text.slice(8, 10)))
  );
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function checkInteger(value: unknown, path: string, min: number, max: number, out: ValidationIssue[]): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    out.push({ path, message: `must be an integer from ${min} to ${max}` });
  }
}

/** Validates one day's interval list: format, start < end, no overlaps (touching is fine). */
function checkIntervals(value: unknown, path: string, out: ValidationIssue[]): void {
  if (!Array.isArray(value)) {
    out.push({ path, message: 'must be a list of {start, end} intervals' });
    return;
  }
  const parsed: { index: number; start: number; end: number }[] = [];
  value.forEach((item: unknown, index) => {
    const at = `${path}[${index}]`;
    if (!isRecord(item)) {
      out.push({ path: at, message: 'must be an object {start, end}' });
      return;
    }
    const { start, end } = item;
    const startOk = typeof start === 'string' && HH_MM.test(start);
    const endOk = typeof end === 'string' && (HH_MM.test(end) || end === '24:00');
    if (!startOk) out.push({ path: `${at}.start`, message: 'must be a local time HH:mm (00:00–23:59)' });
    if (!endOk) out.push({ path: `${at}.end`, message: 'must be a local time HH:mm (00:01–24:00)' });
    if (!startOk || !endOk) return;
    const s = parseClock(start);
    const e = parseClock(end);
    if (s >= e) {
      out.push({ path: `${at}.end`, message: 'must be after start (intervals may not cross midnight)' });
      return;
    }
    parsed.push({ index, start: s, end: e });
  });
  parsed.sort((a, b) => a.start - b.start);
  for (let i = 1; i < parsed.length; i++) {
    const prev = parsed[i - 1];
    const cur = parsed[i];
    if (prev && cur && cur.start < prev.end) {
      out.push({ path: `${path}[${cur.index}]`, message: `overlaps ${path}[${prev.index}]` });
    }
  }
}

/**
 * Checks a schedule and returns every problem with its field path (empty when valid). Accepts any
 * value so it can guard untrusted input.
 */
export function validateSchedule(input: unknown): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  if (!isRecord(input)) return [{ path: '', message: 'must be an object' }];
  if (!isValidTimeZone(input.timeZone)) {
    out.push({ path: 'timeZone', message: 'must be an IANA time zone name, e.g. Europe/Berlin' });
  }
  const weekly = input.weekly;
  if (!isRecord(weekly)) {
    out.push({ path: 'weekly', message: 'must be an object with one interval list per weekday' });
  } else {
    for (const day of WEEKDAYS) checkIntervals(weekly[day], `weekly.${day}`, out);
    for (const key of Object.keys(weekly)) {
      if (!(WEEKDAYS as readonly string[]).includes(key)) {
        out.push({ path: `weekly.${key}`, message: 'is not a weekday (mon…sun)' });
      }
    }
  }
  if (!Array.isArray(input.overrides)) {
    out.push({ path: 'overrides', message: 'must be a list' });
  } else {
    const seen = new Map<string, number>();
    input.overrides.forEach((item: unknown, index) => {
      const at = `overrides[${index}]`;
      if (!isRecord(item)) {
        out.push({ path: at, message: 'must be an object {date, intervals}' });
        return;
      }
      if (!isLocalDate(item.date)) {
        out.push({ path: `${at}.date`, message: 'must be a calendar date YYYY-MM-DD' });
      } else if (seen.has(item.date)) {
        out.push({ path: `${at}.date`, message: `duplicates overrides[${seen.get(item.date)}].date` });
      } else {
        seen.set(item.date, index);
      }
      checkIntervals(item.intervals, `${at}.intervals`, out);
    });
  }
  if (!Array.isArray(input.timeOff)) {
    out.push({ path: 'timeOff', message: 'must be a list' });
  } else {
    input.timeOff.forEach((item: unknown, index) => {
      const at = `timeOff[${index}]`;
      if (!isRecord(item)) {
        out.push({ path: at, message: 'must be an object {start, end}' });
        return;
      }
      const startOk = isIsoInstant(item.start);
      const endOk = isIsoInstant(item.end);
      const message = 'must be an ISO 8601 instant with an offset, e.g. 2026-03-08T09:00:00-05:00';
      if (!startOk) out.push({ path: `${at}.start`, message });
      if (!endOk) out.push({ path: `${at}.end`, message });
      if (startOk && endOk && parseInstant(item.start as string) >= parseInstant(item.end as string)) {
        out.push({ path: `${at}.end`, message: 'must be after start' });
      }
    });
  }
  checkInteger(input.slotIntervalMinutes, 'slotIntervalMinutes', 1, 1440, out);
  checkInteger(input.minimumNoticeMinutes, 'minimumNoticeMinutes', 0, 525_600, out);
  checkInteger(input.bookingHorizonDays, 'bookingHorizonDays', 1, 3660, out);
  return out;
}

/** Checks a service's timing: positive duration, non-negative buffers, whole minutes. */
export function validateService(input: unknown): ValidationIssue[] {
  if (!isRecord(input)) return [{ path: '', message: 'must be an object' }];
  const out: ValidationIssue[] = [];
  checkInteger(input.durationMinutes, 'durationMinutes', 1, 1440, out);
  checkInteger(input.bufferBeforeMinutes, 'bufferBeforeMinutes', 0, 1440, out);
  checkInteger(input.bufferAfterMinutes, 'bufferAfterMinutes', 0, 1440, out);
  return out;
}
