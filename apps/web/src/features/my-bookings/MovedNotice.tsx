import type { Booking } from '@carebook/contracts';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../../api/endpoints';
import { keys } from '../../app/query-client';
import { zonedRange } from '../../ui/format';

/**
 * Where a moved booking went ("Moved to Wed, Dec 10, 11:00 AM–11:30 AM (Europe/Berlin, GMT+1)"),
 * and where a new one came from: each links to the other.
 */
export function MovedNotice({ booking: b }: { booking: Booking }) {
  const other = b.rescheduledTo ?? b.rescheduledFrom;
  const q = useQuery({
    queryKey: keys.booking(other ?? ''),
    queryFn: () => api.booking(other ?? ''),
    enabled: Boolean(other),
  });
  if (!other) return null;
  const when = q.data ? zonedRange(q.data.start, q.data.end, q.data.timeZone) : null;
  return b.rescheduledTo ? (
    <p className="notice" data-testid="moved-to">
      Moved to {when ?? 'a new time'}. <Link to={`/bookings/${other}`}>See the new booking</Link>.
    </p>
  ) : (
    <p className="muted small" data-testid="moved-from">
      Moved here from {when ?? 'an earlier time'}. <Link to={`/bookings/${other}`}>See the old booking</Link>.
    </p>
  );
}
