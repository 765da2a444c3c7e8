/** The oldest age a date of birth may give (the oldest verified person lived 122 years). */
export const MAX_AGE_YEARS = 130;

/**
 * Why a date of birth (YYYY-MM-DD) is not acceptable at instant `now`, or null when it is: a real
 * calendar date, not in the future and at most 130 years back. "The future" is judged by the
 * latest date anywhere on Earth (UTC+14), so a patient east of UTC is never told their birthday
 * today lies ahead.
 */
export function dateOfBirthProblem(value: string, now: Date): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return 'must be a date like 1985-04-23';
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return 'is not a calendar date';
  const latestToday = new Date(now.getTime() + 14 * 3_600_000).toISOString().slice(0, 10);
  if (value > latestToday) return 'cannot be in the future';
  const earliest = new Date(now.getTime() - 12 * 3_600_000);
  earliest.setUTCFullYear(earliest.getUTCFullYear() - MAX_AGE_YEARS);
  if (value < earliest.toISOString().slice(0, 10)) return `cannot be more than ${MAX_AGE_YEARS} years ago`;
  return null;
}
