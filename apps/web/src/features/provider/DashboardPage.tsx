import type { Booking } from '@carebook/contracts';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router';
import { api } from '../../api/endpoints';
import { plainMessage } from '../../api/problem';
import { keys } from '../../app/query-client';
import { useAppSelector } from '../../app/store';
import { CardSkeletons, EmptyState, ErrorNotice, StatusBadge } from '../../ui/feedback';
import { dateTime, isoDate, localZone, time, zoneShort } from '../../ui/format';
import { CalendarFeedPanel } from '../account/CalendarFeedPanel';
import { PracticeReviews } from '../reviews/PracticeReviews';
import { StaffPanel } from './StaffPanel';
import './provider.css';

function BookingItem({ b }: { b: Booking }) {
  const queryClient = useQueryClient();
  const act = useMutation({
    mutationFn: (action: 'complete' | 'no-show') => api.bookingAction(b.id, action),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: keys.bookings }),
  });
  const started = new Date(b.start).getTime() <= Date.now();
  const actionable = started && (b.status === 'confirmed' || b.status === 'in_progress');
  return (
    <li className="card booking-row" data-testid="dashboard-booking">
      <div>
        <h3>
          {time(b.start, b.timeZone)}–{time(b.end, b.timeZone)}{' '}
          <span className="muted small">{zoneShort(b.timeZone, new Date(b.start))}</span> · {b.serviceName}
        </h3>
        <p className="muted">
          {b.providerName} · {dateTime(b.start, b.timeZone)}
          {b.reasonForVisit ? ` · “${b.reasonForVisit}”` : ''}
          {b.newPatient ? ' · new patient' : ''}
        </p>
        {act.isError && (
          <p className="notice notice-error" role="alert">
            {plainMessage(act.error)}
          </p>
        )}
      </div>
      <div className="row-actions">
        <StatusBadge status={b.status} />
        {actionable && (
          <>
            <button
              type="button"
              className="btn btn-small"
              disabled={act.isPending}
              onClick={() => act.mutate('complete')}
            >
              Mark completed
            </button>
            <button
              type="button"
              className="btn btn-secondary btn-small"
              disabled={act.isPending}
              onClick={() => act.mutate('no-show')}
            >
              No-show
            </button>
          </>
        )}
      </div>
    </li>
  );
}

function Section({ title, items, empty }: { title: string; items: Booking[]; empty: string }) {
  const id = title.replace(/\W+/g, '-').toLowerCase();
  return (
    <section aria-labelledby={id}>
      <h2 id={id}>
        {title} <span className="count">{items.length}</span>
      </h2>
      {items.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul className="card-list">
          {items.map((b) => (
            <BookingItem key={b.id} b={b} />
          ))}
        </ul>
      )}
    </section>
  );
}

function Listings() {
  const q = useQuery({ queryKey: keys.myListings, queryFn: api.myListings });
  return (
    <section className="card" aria-labelledby="listings-title">
      <div className="section-head">
        <h2 id="listings-title">Your listings</h2>
        <Link className="btn btn-small" to="/provider/listings/new">
          New listing
        </Link>
      </div>
      {q.isPending && <CardSkeletons count={2} label="Loading listings" />}
      {q.isError && <ErrorNotice error={q.error} onRetry={() => q.refetch()} />}
      {q.data?.items.length === 0 && (
        <p className="muted">No listings yet. Create one to start taking bookings.</p>
      )}
      <ul className="plain-list">
        {q.data?.items.map((l) => (
          <li key={l.id} className="listing-row">
            <Link to={`/provider/listings/${l.id}`}>{l.name}</Link>
            <span className="muted small">{l.city}</span>
            <StatusBadge status={l.status} />
          </li>
        ))}
      </ul>
    </section>
  );
}

export function DashboardPage() {
  const user = useAppSelector((s) => s.session.user);
  const upcoming = useQuery({
    queryKey: [...keys.bookings, 'dashboard', 'upcoming'],
    queryFn: () => api.bookings({ when: 'upcoming', pageSize: 100 }),
  });
  const recent = useQuery({
    queryKey: [...keys.bookings, 'dashboard', 'recent'],
    queryFn: () => api.bookings({ when: 'past', pageSize: 50 }),
  });
  const tz = localZone();
  const today = isoDate(new Date(), tz);
  const live = (b: Booking) => b.status !== 'cancelled' && b.status !== 'expired';
  const now = (recent.data?.items ?? []).filter(
    (b) => b.status === 'confirmed' || b.status === 'in_progress',
  );
  const up = (upcoming.data?.items ?? []).filter(live);
  // Finished today stays in view, so marking a visit completed does not make it vanish.
  const doneToday = (recent.data?.items ?? []).filter(
    (b) => (b.status === 'completed' || b.status === 'no_show') && isoDate(new Date(b.start), tz) === today,
  );
  const todays = up.filter((b) => isoDate(new Date(b.start), tz) === today);
  const later = up.filter((b) => isoDate(new Date(b.start), tz) !== today);
  const error = upcoming.error ?? recent.error;
  return (
    <div className="dashboard">
      <div className="page-head">
        <h1>Dashboard</h1>
        <p className="muted">
          {user?.displayName}
          {user?.role === 'provider' && !user.verified
            ? ' · awaiting verification: you can prepare listings, publishing opens once verified'
            : ''}
        </p>
      </div>
      <div className="dashboard-grid">
        <div className="dashboard-bookings" aria-live="polite">
          {error && <ErrorNotice error={error} />}
          {upcoming.isPending || recent.isPending ? (
            <CardSkeletons count={3} label="Loading bookings" />
          ) : (
            <>
              {now.length > 0 && <Section title="Needs your action" items={now} empty="" />}
              <Section title="Today" items={todays} empty="No more appointments today." />
              <Section title="Upcoming" items={later} empty="Nothing booked yet." />
              {doneToday.length > 0 && <Section title="Done today" items={doneToday} empty="" />}
            </>
          )}
          {!upcoming.isPending && up.length === 0 && now.length === 0 && (
            <EmptyState title="No bookings yet">
              <p>New bookings appear here the moment a patient books.</p>
            </EmptyState>
          )}
        </div>
        <div>
          <Listings />
          <CalendarFeedPanel practice />
          <PracticeReviews />
          <StaffPanel />
        </div>
      </div>
    </div>
  );
}
