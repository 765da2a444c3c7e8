import type { HoursStyle } from './countries';
import type { Rng } from './prng';

export const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof weekdays)[number];

/** Opening interval in local wall-clock time, `HH:mm`, start before end, same day. */
export interface Interval {
  readonly start: string;
  readonly end: string;
}

export type WeeklyHours = Record<Weekday, Interval[]>;

const HHMM: readonly string[] = Array.from(
  { length: 24 * 60 },
  (_, m) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`,
);
const hhmm = (minutes: number): string => {
  const text = HHMM[minutes];
  if (text === undefined) throw new RangeError(`time of day out of range: ${minutes}`);
  return text;
};

/** Minutes since midnight for `HH:mm`. */
export function toMinutes(time: string): number {
  const [h = '0', m = '0'] = time.split(':');
  return Number(h) * 60 + Number(m);
}

const at = (h: number, m = 0) => h * 60 + m;
const span = (start: number, end: number): Interval => ({ start: hhmm(start), end: hhmm(end) });

/** A working day with an optional break: [start, breakStart) and [breakEnd, end). */
function day(start: number, end: number, lunch?: readonly [number, number]): Interval[] {
  if (!lunch) return [span(start, end)];
  return [span(start, lunch[0]), span(lunch[1], end)];
}

function empty(): WeeklyHours {
  return { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
}

export interface HoursOptions {
  readonly style: HoursStyle;
  readonly kind: 'practitioner' | 'clinic';
  /** Urgent care keeps long hours every day. */
  readonly extended: boolean;
}

/**
 * Realistic weekly opening hours for a practice in a country's style: lunch breaks, the German
 * Wednesday and Friday afternoons off, the Spanish split day, French late evenings, Indian
 * morning and evening sessions, some Saturdays, and part-time practitioners.
 */
export function weeklyHours(rng: Rng, options: HoursOptions): WeeklyHours {
  const week = empty();
  if (options.extended) {
    const open = rng.pick([at(7), at(8), at(8)]);
    const close = rng.pick([at(20), at(21), at(22)]);
    for (const d of ['mon', 'tue', 'wed', 'thu', 'fri'] as const) week[d] = [span(open, close)];
    week.sat = [span(at(9), rng.pick([at(17), at(18)]))];
    week.sun = [span(at(9), rng.pick([at(15), at(17)]))];
    return week;
  }
  const clinic = options.kind === 'clinic';
  switch (options.style) {
    case 'anglo': {
      const start = rng.pick([at(7, 30), at(8), at(8), at(8, 30), at(9)]);
      const end = rng.pick([at(16, 30), at(17), at(17), at(17, 30), at(18)]);
      const lunchStart = rng.pick([at(12), at(12, 30), at(13)]);
      const lunch = rng.chance(clinic ? 0.2 : 0.55)
        ? ([lunchStart, lunchStart + rng.pick([30, 60])] as const)
        : undefined;
      for (const d of ['mon', 'tue', 'wed', 'thu', 'fri'] as const) week[d] = day(start, end, lunch);
      if (rng.chance(0.3))
        week[rng.pick(['tue', 'wed', 'thu'] as const)] = day(start, rng.pick([at(19), at(20)]), lunch);
      if (rng.chance(clinic ? 0.45 : 0.2)) week.sat = [span(at(9), rng.pick([at(12), at(13), at(14)]))];
      if (rng.chance(clinic ? 0.06 : 0.02)) week.sun = [span(at(10), at(14))];
      break;
    }
    case 'de': {
      const start = rng.pick([at(7, 30), at(8), at(8), at(8, 30)]);
      const morningEnd = rng.pick([at(12), at(12), at(12, 30), at(13)]);
      const afternoon = rng.pick([at(14), at(15), at(15)]);
      const close = rng.pick([at(17), at(18), at(18), at(19)]);
      for (const d of ['mon', 'tue', 'thu'] as const) week[d] = day(start, close, [morningEnd, afternoon]);
      week.wed = [span(start, morningEnd)];
      week.fri = [span(start, rng.pick([morningEnd, at(13), at(14)]))];
      if (clinic && rng.chance(0.5)) week.wed = day(start, close, [morningEnd, afternoon]);
      if (rng.chance(0.08)) week.sat = [span(at(9), at(12))];
      break;
    }
    case 'fr': {
      const start = rng.pick([at(8), at(8, 30), at(9)]);
      const lunch = [rng.pick([at(12), at(12, 30)]), rng.pick([at(13, 30), at(14)])] as const;
      const close = rng.pick([at(18), at(18, 30), at(19), at(19, 30)]);
      for (const d of ['mon', 'tue', 'wed', 'thu', 'fri'] as const) week[d] = day(start, close, lunch);
      if (rng.chance(0.35)) week.wed = [span(start, lunch[0])];
      if (rng.chance(0.4)) week.sat = [span(at(9), rng.pick([at(12), at(12, 30)]))];
      break;
    }
    case 'es': {
      if (rng.chance(0.25)) {
        const start = rng.pick([at(8), at(8, 30)]);
        const end = rng.pick([at(15), at(15, 30)]);
        for (const d of ['mon', 'tue', 'wed', 'thu', 'fri'] as const) week[d] = [span(start, end)];
      } else {
        const start = rng.pick([at(9), at(9), at(9, 30), at(10)]);
        const lunch = [rng.pick([at(13, 30), at(14)]), rng.pick([at(16), at(16, 30), at(17)])] as const;
        const close = rng.pick([at(20), at(20), at(20, 30), at(21)]);
        for (const d of ['mon', 'tue', 'wed', 'thu'] as const) week[d] = day(start, close, lunch);
        week.fri = rng.chance(0.4) ? [span(start, lunch[0])] : day(start, close, lunch);
      }
      if (rng.chance(0.2)) week.sat = [span(at(10), at(14))];
      break;
    }
    case 'in': {
      const morning = [rng.pick([at(9), at(9, 30), at(10)]), rng.pick([at(13), at(13, 30), at(14)])] as const;
      const evening = [
        rng.pick([at(17), at(17, 30), at(18)]),
        rng.pick([at(20), at(20, 30), at(21)]),
      ] as const;
      for (const d of ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const)
        week[d] = [span(...morning), span(...evening)];
      if (rng.chance(0.3)) week.sat = [span(...morning)];
      if (rng.chance(0.1)) week.sun = [span(at(10), at(13))];
      break;
    }
  }
  if (!clinic && rng.chance(0.25)) {
    const workdays = weekdays.filter((d) => week[d].length > 0 && d !== 'sat' && d !== 'sun');
    for (const off of rng.sample(workdays, rng.int(1, 2))) week[off] = [];
  }
  return week;
}
