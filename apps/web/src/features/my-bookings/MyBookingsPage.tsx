import type { Booking } from '@carebook/contracts';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { api } from '../../api/endpoints';
import { keys } from '../../app/query-client';
import { CardSkeletons, EmptyState, ErrorNotice, StatusBadge } from '../../ui/feedback';
import { money, zonedDateTime } from '../../ui/format';
import { Pager } from '../../ui/Pager';

function BookingRow({ b }: { b: Booking }) {
  return (
    <li className="card booking-row">
      <div>
        <h3>
          <Link to={`/bookings/${b.id}`}>
            {b.serviceName} with {b.providerName}
          </Link>
        </h3>
        <p className="muted">
          {zonedDateTime(b.start, b.timeZone)} · {money(b.priceCents, b.currency)}
        </p>
        {b.rescheduledTo && <p className="small">Moved to a new time (see the booking for where it went).</p>}
      </div>
      <StatusBadge status={b.status} />
    </li>
  );
}

export function MyBookingsPage() {
  const [when, setWhen] = useState<'upcoming' | 'past'>('upcoming');
  const [page, setPage] = useState(1);
  const q = useQuery({
    queryKey: [...keys.bookings, 'list', when, page],
    queryFn: () => api.bookings({ when, page, pageSize: 10 }),
  });
  // The waitlist page has no place in the menu: this is the way to it while there is something on it.
  const waitlist = useQuery({ queryKey: keys.waitlist, queryFn: api.waitlist });
  const open = waitlist.data?.items.filter((e) => e.status === 'waiting' || e.status === 'offered') ?? [];
  const offered = open.filter((e) => e.status === 'offered').length;
  return (
    <div className="narrow">
      <h1>My bookings</h1>
      {open.length > 0 && (
        <p className={offered ? 'notice' : 'muted'} data-testid="waitlist-link">
          {offered
            ? `A time is held for you from the waitlist. `
            : `You are waiting for ${open.length === 1 ? 'a time' : `${open.length} times`} on the waitlist. `}
          <Link to="/waitlist">{offered ? 'See the offer' : 'See your waitlist'}</Link>
        </p>
      )}
      <fieldset className="segmented">
        <legend className="visually-hidden">Which bookings</legend>
        {(['upcoming', 'past'] as const).map((w) => (
          <button
            key={w}
            type="button"
            aria-pressed={when === w}
            onClick={() => {
              setWhen(w);
              setPage(1);
            }}
          >
            {w === 'upcoming' ? 'Upcoming' : 'Past'}
          </button>
        ))}
      </fieldset>
      {q.isPending && <CardSkeletons count={3} label="Loading bookings" />}
      {q.isError && <ErrorNotice error={q.error} onRetry={() => q.refetch()} />}
      {q.data && q.data.items.length === 0 && (
        <EmptyState title={when === 'upcoming' ? 'No upcoming appointments' : 'No past appointments'}>
          <p>
            <Link to="/search">Find care</Link> and book a time that suits you.
          </p>
        </EmptyState>
      )}
      {q.data && q.data.items.length > 0 && (
        <ul className="card-list" aria-label={`${when} bookings`}>
          {q.data.items.map((b) => (
            <BookingRow key={b.id} b={b} />
          ))}
        </ul>
      )}
      {q.data && <Pager page={page} total={q.data.total} pageSize={10} onPage={setPage} />}
    </div>
  );
}
