type Env = Record<string, string | undefined>;

/** REVIEW_WINDOW_DAYS: how long after a completed visit the patient may review it (default 90). */
export function readReviewWindowDays(env: Env, problems: string[]): number {
  const days = Number(env.REVIEW_WINDOW_DAYS ?? '90');
  if (!Number.isInteger(days) || days < 1 || days > 3650) {
    problems.push('REVIEW_WINDOW_DAYS: must be an integer between 1 and 3650');
    return 90;
  }
  return days;
}
