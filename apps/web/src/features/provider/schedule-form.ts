import type { Schedule } from '@carebook/contracts';

export const weekdays = [
  ['mon', 'Monday'],
  ['tue', 'Tuesday'],
  ['wed', 'Wednesday'],
  ['thu', 'Thursday'],
  ['fri', 'Friday'],
  ['sat', 'Saturday'],
  ['sun', 'Sunday'],
] as const;
export type Weekday = (typeof weekdays)[number][0];

const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/;

/** Problems a person can fix, keyed by a stable field name ("mon-0", "override-2", "rules"). */
export function validateSchedule(s: Schedule): Record<string, string> {
  const e: Record<string, string> = {};
  const check = (key: string, intervals: { start: string; end: string }[]) => {
    const sorted = [...intervals].sort((a, b) => a.start.localeCompare(b.start));
    intervals.forEach((i, n) => {
      if (!CLOCK.test(i.start) || !CLOCK.test(i.end)) e[`${key}-${n}`] = 'Use times like 09:00.';
      else if (i.start >= i.end) e[`${key}-${n}`] = 'The end must be after the start.';
    });
    for (let n = 1; n < sorted.length; n++) {
      if ((sorted[n]?.start ?? '') < (sorted[n - 1]?.end ?? '')) e[key] = 'Opening times overlap.';
    }
  };
  for (const [d] of weekdays) check(d, s.weekly[d]);
  s.overrides.forEach((o, n) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(o.date)) e[`override-${n}`] = 'Pick a date.';
    check(`override-${n}`, o.intervals);
  });
  s.timeOff.forEach((t, n) => {
    if (!t.start || !t.end || Number.isNaN(Date.parse(t.start)) || Number.isNaN(Date.parse(t.end)))
      e[`timeoff-${n}`] = 'Pick a start and an end.';
    else if (Date.parse(t.end) <= Date.parse(t.start)) e[`timeoff-${n}`] = 'The end must be after the start.';
  });
  if (s.slotIntervalMinutes % 5 || s.slotIntervalMinutes < 5 || s.slotIntervalMinutes > 240)
    e.slotIntervalMinutes = 'A multiple of 5, from 5 to 240.';
  if (s.minimumNoticeMinutes < 0 || s.minimumNoticeMinutes > 43200)
    e.minimumNoticeMinutes = 'From 0 to 43,200 minutes (30 days).';
  if (s.bookingHorizonDays < 1 || s.bookingHorizonDays > 365) e.bookingHorizonDays = 'From 1 to 365 days.';
  if (s.cancellationWindowHours < 0 || s.cancellationWindowHours > 336)
    e.cancellationWindowHours = 'From 0 to 336 hours.';
  return e;
}

export const standardWeek = (): Schedule['weekly'] => {
  const day = [{ start: '09:00', end: '17:00' }];
  return { mon: day, tue: day, wed: day, thu: day, fri: day, sat: [], sun: [] };
};
