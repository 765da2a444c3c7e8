/** Dates as people read them: in the provider's IANA zone, always naming the zone. */
// Building an Intl.DateTimeFormat costs far more than using one, and every booking event formats
// several dates: formatters are kept per zone and style (a few hundred zones at most).
const STYLES = {
  day: { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' },
  time: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
  abbreviation: { timeZoneName: 'short' },
  offset: { timeZoneName: 'longOffset' },
  shortDay: { day: 'numeric', month: 'short', year: 'numeric' },
} satisfies Record<string, Intl.DateTimeFormatOptions>;
type Style = keyof typeof STYLES;
const formatters = new Map<string, Intl.DateTimeFormat>();
const fmt = (timeZone: string, style: Style) => {
  const key = `${style} ${timeZone}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, ...STYLES[style] });
    formatters.set(key, f);
  }
  return f;
};

const dayOf = (d: Date, timeZone: string) => fmt(timeZone, 'day').format(d);
const timeOf = (d: Date, timeZone: string) => fmt(timeZone, 'time').format(d);
const zoneAbbreviation = (d: Date, timeZone: string) =>
  fmt(timeZone, 'abbreviation')
    .formatToParts(d)
    .find((p) => p.type === 'timeZoneName')?.value ?? timeZone;

// An event asks for the offset of the same few instants several times (its start for the body,
// the subject and the ambiguity check): the answers are kept, a bounded number of them.
const offsets = new Map<string, number>();
const MAX_OFFSETS = 10_000;

/** The zone's UTC offset at an instant in minutes (e.g. 60 for CET). */
export function offsetMinutes(d: Date, timeZone: string): number {
  const key = `${timeZone} ${d.getTime()}`;
  const known = offsets.get(key);
  if (known !== undefined) return known;
  const minutes = readOffset(d, timeZone);
  if (offsets.size >= MAX_OFFSETS) offsets.clear();
  offsets.set(key, minutes);
  return minutes;
}

function readOffset(d: Date, timeZone: string): number {
  const name =
    fmt(timeZone, 'offset')
      .formatToParts(d)
      .find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):?(\d{2})?/.exec(name);
  if (!m) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -minutes : minutes;
}

/** "UTC+01:00" */
export function offsetLabel(d: Date, timeZone: string): string {
  const o = offsetMinutes(d, timeZone);
  const abs = Math.abs(o);
  return `UTC${o < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/**
 * Whether the local date and time of `d` also names another instant (the repeated hour when the
 * clocks go back): then a time without its offset is ambiguous.
 */
export function isAmbiguousLocalTime(d: Date, timeZone: string): boolean {
  const own = offsetMinutes(d, timeZone);
  let wall: string | undefined;
  for (const probe of [-1, 1]) {
    const other = offsetMinutes(new Date(d.getTime() + probe * 6 * 3_600_000), timeZone);
    if (other === own) continue;
    wall ??= `${dayOf(d, timeZone)} ${timeOf(d, timeZone)}`;
    const twin = new Date(d.getTime() + (own - other) * 60_000);
    if (
      offsetMinutes(twin, timeZone) === other &&
      `${dayOf(twin, timeZone)} ${timeOf(twin, timeZone)}` === wall
    )
      return true;
  }
  return false;
}

/**
 * "Tuesday 24 November 2026, 14:00–14:30 Europe/Berlin time (CET)". When the clocks change during
 * the appointment, each time carries its own zone name:
 * "Sunday 25 October 2026, 01:30 (BST)–01:30 (GMT) Europe/London time".
 */
export function formatWhen(start: Date, end: Date, timeZone: string): string {
  const startDay = dayOf(start, timeZone);
  const endDay = dayOf(end, timeZone);
  const until = endDay === startDay ? timeOf(end, timeZone) : `${endDay}, ${timeOf(end, timeZone)}`;
  const startZone = zoneAbbreviation(start, timeZone);
  if (offsetMinutes(start, timeZone) !== offsetMinutes(end, timeZone)) {
    const endZone = zoneAbbreviation(end, timeZone);
    const label = (d: Date, abbr: string) =>
      abbr.startsWith('GMT') && abbr !== 'GMT' ? `(${abbr})` : `(${abbr}, ${offsetLabel(d, timeZone)})`;
    return `${startDay}, ${timeOf(start, timeZone)} ${label(start, startZone)}–${until} ${label(end, endZone)} ${timeZone} time`;
  }
  return `${startDay}, ${timeOf(start, timeZone)}–${until} ${timeZone} time (${startZone})`;
}

/** "24 Nov 2026, 14:00 Europe/Berlin" for subjects; "… 01:30 Europe/London (UTC+01:00)" when ambiguous. */
export function formatShort(at: Date, timeZone: string): string {
  const day = fmt(timeZone, 'shortDay').format(at);
  const offset = isAmbiguousLocalTime(at, timeZone) ? ` (${offsetLabel(at, timeZone)})` : '';
  return `${day}, ${timeOf(at, timeZone)} ${timeZone}${offset}`;
}

/** "14:10 Europe/Berlin time, Tuesday 24 November 2026" for hold ends. */
export function formatInstant(at: Date, timeZone: string): string {
  return `${timeOf(at, timeZone)} ${timeZone} time (${zoneAbbreviation(at, timeZone)}), ${dayOf(at, timeZone)}`;
}
