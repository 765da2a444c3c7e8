import { DateTime } from 'luxon';

/** A weekly series in the practice's local time (pure: no I/O). */
export interface SeriesRule {
  /** The first occurrence's start, epoch ms. */
  firstStart: number;
  timeZone: string;
  intervalWeeks: number;
  /** How many occurrences; or */
  occurrences?: number;
  /** the last local date (YYYY-MM-DD, inclusive). */
  until?: string;
}

/**
 * The starts of a series: every `intervalWeeks` weeks at the first occurrence's local wall-clock
 * time in `timeZone`, so 09:00 stays 09:00 across a DST change (the UTC instant moves by an hour).
 * A local time that does not exist on some date (a spring-forward gap) moves forward by the gap,
 * as calendars do. Returns at most `max + 1` starts so the caller can tell "too many".
 */
export function seriesStarts(rule: SeriesRule, max: number): number[] {
  const first = DateTime.fromMillis(rule.firstStart, { zone: rule.timeZone });
  if (!first.isValid) throw new RangeError(`invalid time zone ${rule.timeZone}`);
  const out: number[] = [];
  for (let i = 0; out.length <= max; i++) {
    if (rule.occurrences !== undefined && i >= rule.occurrences) break;
    const at = first.plus({ weeks: i * rule.intervalWeeks });
    if (rule.until !== undefined && (at.toISODate() ?? '') > rule.until) break;
    if (rule.occurrences === undefined && rule.until === undefined) break;
    out.push(at.toMillis());
  }
  return out;
}

/** The local wall-clock start of the first occurrence, `YYYY-MM-DDTHH:mm:ss`. */
export function localStartOf(firstStart: number, timeZone: string): string {
  return DateTime.fromMillis(firstStart, { zone: timeZone }).toFormat("yyyy-LL-dd'T'HH:mm:ss");
}

/** The RFC 5545 RRULE of a series with a known number of occurrences. */
export function seriesRrule(intervalWeeks: number, occurrences: number): string {
  return `FREQ=WEEKLY;INTERVAL=${intervalWeeks};COUNT=${occurrences}`;
}
