/**
 * Calendar days of a practice in its own IANA zone: where a local day starts and ends as an
 * instant, and where an instant falls on the local wall clock. DST-safe (a day may be 23 or 25
 * hours long; midnight may not exist), with nothing but Intl.
 */

const parts = new Map<string, Intl.DateTimeFormat>();
function partsFormat(tz: string): Intl.DateTimeFormat {
  let f = parts.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    parts.set(tz, f);
  }
  return f;
}

/** The local wall clock of an instant: its date and minutes after local midnight. */
export function wallClock(ms: number, tz: string): { date: string; minutes: number } {
  const p = Object.fromEntries(
    partsFormat(tz)
      .formatToParts(new Date(ms))
      .map((x) => [x.type, x.value]),
  ) as Record<string, string>;
  return {
    date: `${p.year}-${p.month}-${p.day}`,
    minutes: Number(p.hour) * 60 + Number(p.minute) + Number(p.second) / 60,
  };
}

const asUtc = (date: string) => Date.parse(`${date}T00:00:00Z`);

/** yyyy-mm-dd plus `n` calendar days. */
export function addDays(date: string, n: number): string {
  return new Date(asUtc(date) + n * 86_400_000).toISOString().slice(0, 10);
}

/** The Monday of the week `date` is in (weeks start on Monday, as in the opening hours). */
export function mondayOf(date: string): string {
  return addDays(date, -((new Date(asUtc(date)).getUTCDay() + 6) % 7));
}

/** Local date of an instant in a zone. */
export const zonedDate = (ms: number, tz: string) => wallClock(ms, tz).date;

/** The zone's offset from UTC at an instant, in ms. */
function offsetAt(ms: number, tz: string): number {
  const w = wallClock(ms, tz);
  return asUtc(w.date) + Math.round(w.minutes * 60_000) - Math.floor(ms / 1000) * 1000;
}

/** The first instant of local date `date` in `tz` (local midnight, or when the day begins if midnight is skipped). */
export function dayStart(date: string, tz: string): number {
  const wallMidnight = asUtc(date);
  let t = wallMidnight - offsetAt(wallMidnight, tz);
  t = wallMidnight - offsetAt(t, tz);
  // Midnight skipped by a DST change: the guess lands on the day before; the day starts at the jump.
  for (let step = 0; step < 16 && zonedDate(t, tz) < date; step++) t += 15 * 60_000;
  // Two candidates differ by an offset change: take the earliest instant still on `date`.
  while (zonedDate(t - 15 * 60_000, tz) === date) t -= 15 * 60_000;
  return t;
}

/** `[start, end)` of the local dates `first` … `last` (inclusive) as instants. */
export function zonedRange(first: string, last: string, tz: string): { from: number; to: number } {
  return { from: dayStart(first, tz), to: dayStart(addDays(last, 1), tz) };
}
