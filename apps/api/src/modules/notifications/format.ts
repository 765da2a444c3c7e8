/** Dates as people read them: in the provider's IANA zone, always naming the zone. */
// Building an Intl.DateTimeFormat costs far more than using one, and every booking event formats
// several dates: formatters are kept per zone and style (a few hundred zones at most).
const formatters = new Map<string, Intl.DateTimeFormat>();
const fmt = (timeZone: string, options: Intl.DateTimeFormatOptions) => {
  const key = `${timeZone}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, ...options });
    formatters.set(key, f);
  }
  return f;
};

const dayOf = (d: Date, timeZone: string) =>
  fmt(timeZone, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(d);
const timeOf = (d: Date, timeZone: string) =>
  fmt(timeZone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);
const zoneAbbreviation = (d: Date, timeZone: string) =>
  fmt(timeZone, { timeZoneName: 'short' })
    .formatToParts(d)
    .find((p) => p.type === 'timeZoneName')?.value ?? timeZone;

/** "Tuesday 24 November 2026, 14:00–14:30 Europe/Berlin time (CET)" */
export function formatWhen(start: Date, end: Date, timeZone: string): string {
  const startDay = dayOf(start, timeZone);
  const endDay = dayOf(end, timeZone);
  const until = endDay === startDay ? timeOf(end, timeZone) : `${endDay}, ${timeOf(end, timeZone)}`;
  return `${startDay}, ${timeOf(start, timeZone)}–${until} ${timeZone} time (${zoneAbbreviation(start, timeZone)})`;
}

/** "24 Nov 2026, 14:00 Europe/Berlin" for subjects. */
export function formatShort(at: Date, timeZone: string): string {
  const day = fmt(timeZone, { day: 'numeric', month: 'short', year: 'numeric' }).format(at);
  return `${day}, ${timeOf(at, timeZone)} ${timeZone}`;
}

/** "14:10 Europe/Berlin time, Tuesday 24 November 2026" for hold ends. */
export function formatInstant(at: Date, timeZone: string): string {
  return `${timeOf(at, timeZone)} ${timeZone} time (${zoneAbbreviation(at, timeZone)}), ${dayOf(at, timeZone)}`;
}
