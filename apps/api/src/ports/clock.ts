/** The one source of "now", so jobs and tests can move time. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Datetimes are stored as fixed-width UTC ISO strings: sortable, identical on every dialect. */
export const toDbTime = (d: Date): string => d.toISOString();
export const fromDbTime = (s: string): Date => new Date(s);
