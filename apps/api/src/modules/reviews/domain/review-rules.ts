/** Pure rules of verified reviews. No I/O, no clock. */

const DAY = 86_400_000;

/**
 * The name a review shows: first name and the initial of the last name ("Ada L."), or the full
 * display name when the patient chose it. A one-word name shows as it is.
 */
export function reviewAuthor(displayName: string, showFullName: boolean): string {
  const parts = displayName.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return 'A patient';
  if (showFullName || parts.length === 1) return parts.join(' ');
  const last = parts.at(-1) ?? '';
  return `${parts[0]} ${[...last][0]?.toUpperCase() ?? ''}.`;
}

/** A visit may be reviewed from its completion until `windowDays` days after it. */
export function reviewWindowOpen(completedAt: Date, now: Date, windowDays: number): boolean {
  return now.getTime() >= completedAt.getTime() && now.getTime() - completedAt.getTime() <= windowDays * DAY;
}

/** The mean rating to one decimal, or null with no reviews. */
export function averageRating(sum: number, count: number): number | null {
  return count === 0 ? null : Math.round((sum / count) * 10) / 10;
}
