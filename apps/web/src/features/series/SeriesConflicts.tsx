import type { SeriesConflict } from '@carebook/contracts';
import { time } from '../../ui/format';

/** Which dates of a series could not be had, in sentences, with other free times those days. */
export function SeriesConflicts({ conflicts, timeZone }: { conflicts: SeriesConflict[]; timeZone: string }) {
  return (
    <div className="notice notice-error" role="alert">
      <p>
        Nothing was booked: {conflicts.length === 1 ? 'one date' : `${conflicts.length} dates`} of the series{' '}
        {conflicts.length === 1 ? 'is' : 'are'} not available. Choose another time or fewer visits.
      </p>
      <ul>
        {conflicts.map((c) => (
          <li key={c.occurrence}>
            Visit {c.occurrence} — {c.message}
            {c.alternatives.length > 0 && (
              <> Free that day: {c.alternatives.map((a) => time(a, timeZone)).join(', ')}.</>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}
